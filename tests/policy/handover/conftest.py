"""tests/policy/handover/: the demo site (source of a handover) and fresh sites created next to it."""

# Each fixture asks for its layer's session fixture as well, so the layer is set up once for the
# session: module-level test functions would otherwise set it up and tear it down around every test.

import pytest


@pytest.fixture
def integration(demo_integration_session, demo_integration):
    return demo_integration


@pytest.fixture
def functional(demo_functional_session, demo_functional):
    return demo_functional
