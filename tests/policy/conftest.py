"""tests/policy/: pytest-plone's fixtures on the site as links.policy sets it up (no demo data)."""

# Each fixture asks for its layer's session fixture as well, so the layer is set up once for the
# session: module-level test functions would otherwise set it up and tear it down around every test.

import pytest


@pytest.fixture
def integration(policy_integration_session, policy_integration):
    return policy_integration


@pytest.fixture
def functional(policy_functional_session, policy_functional):
    return policy_functional
