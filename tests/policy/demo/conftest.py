"""tests/policy/demo/: pytest-plone's fixtures on the demo site, as `make create-site` builds it."""

import pytest


@pytest.fixture
def integration(demo_integration):
    return demo_integration


@pytest.fixture
def functional(demo_functional):
    return demo_functional
