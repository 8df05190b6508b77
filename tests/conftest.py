"""Root of the test suite.

zope.pytestlayer creates the fixtures of a layer (and of its bases) only once per process, in the
conftest that asks first, so layers bound in two sibling conftests lose their shared bases. All layers are
therefore created here, under package-prefixed names; each area's conftest.py binds pytest-plone's
`integration` and `functional` to the layers of its package and asks for the layer's session fixture, so a
layer is set up once for the session, and only when a test needs it (keep_session=True would set up every
layer, the demo site included, for any test run).
"""

import pytest
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


#: Layer chain, base first (content -> policy -> demo): the session fixtures each layer's tests ask for.
LAYER_RANK = {"content": 1, "policy": 2, "demo": 3}


def pytest_collection_modifyitems(items):
    """Run the tests base layer first, as zope.testrunner does.

    A layer stays set up for the whole session once a test asked for it. If a policy test ran before a
    content test, the content test would run with the policy layer's global component registry stacked on
    top of its own; ordering by layer (stable, so files keep their order within a layer) means a layer is
    only ever set up after every test of its bases has run.
    """

    def rank(item):
        ranks = [
            LAYER_RANK[name.split("_", 1)[0]]
            for name in getattr(item, "fixturenames", ())
            if name.endswith("_session") and name.split("_", 1)[0] in LAYER_RANK
        ]
        return max(ranks, default=0)

    items.sort(key=rank)


@pytest.fixture(autouse=True)
def own_audit_dir(tmp_path_factory, monkeypatch):
    """Each test gets its own audit folder outside the ZODB (LINKS_AUDIT_DIR).

    The audit trail keeps its chain head there too, keyed by site id, and every test site is "plone": a
    test that committed would otherwise leave a head that a later test's fresh database reports as a chain
    gone backwards (so audit tests failed when other content tests ran before them).
    """
    monkeypatch.setenv("LINKS_AUDIT_DIR", str(tmp_path_factory.mktemp("audit")))
