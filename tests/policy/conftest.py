"""tests/policy/: pytest-plone's fixtures on the site as links.policy sets it up (no demo data)."""

import pytest


@pytest.fixture
def integration(policy_integration):
    return policy_integration


@pytest.fixture
def functional(policy_functional):
    return policy_functional
