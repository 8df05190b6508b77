"""tests/content/: pytest-plone's fixtures on links.content's layers."""

# Each fixture asks for its layer's session fixture as well, so the layer is set up once for the
# session: module-level test functions would otherwise set it up and tear it down around every test.

import pytest


@pytest.fixture
def integration(content_integration_session, content_integration):
    return content_integration


@pytest.fixture
def functional(content_functional_session, content_functional):
    return content_functional
