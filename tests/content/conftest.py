"""tests/content/: pytest-plone's fixtures on links.content's layers."""

import pytest


@pytest.fixture
def integration(content_integration):
    return content_integration


@pytest.fixture
def functional(content_functional):
    return content_functional
