"""Root of the test suite.

zope.pytestlayer creates the fixtures of a layer (and of its bases) only once per process, in the
conftest that asks first, so layers bound in two sibling conftests lose their shared bases. All layers are
therefore created here, under package-prefixed names; each area's conftest.py binds pytest-plone's
`integration` and `functional` to the layers of its package and asks for the layer's session fixture, so a
layer is set up once for the session, and only when a test needs it (keep_session=True would set up every
layer, the demo site included, for any test run).
"""

from pytest_plone import fixtures_factory

from links.content.testing import LINKS_CONTENT_FUNCTIONAL_TESTING
from links.content.testing import LINKS_CONTENT_INTEGRATION_TESTING
from links.policy.testing import LINKS_DEMO_FUNCTIONAL_TESTING
from links.policy.testing import LINKS_DEMO_INTEGRATION_TESTING
from links.policy.testing import LINKS_POLICY_FUNCTIONAL_TESTING
from links.policy.testing import LINKS_POLICY_INTEGRATION_TESTING

pytest_plugins = ["pytest_plone"]

globals().update(
    fixtures_factory(
        (
            (LINKS_CONTENT_INTEGRATION_TESTING, "content_integration"),
            (LINKS_CONTENT_FUNCTIONAL_TESTING, "content_functional"),
            (LINKS_POLICY_INTEGRATION_TESTING, "policy_integration"),
            (LINKS_POLICY_FUNCTIONAL_TESTING, "policy_functional"),
            (LINKS_DEMO_INTEGRATION_TESTING, "demo_integration"),
            (LINKS_DEMO_FUNCTIONAL_TESTING, "demo_functional"),
        ),
        keep_session=False,
    )
)
