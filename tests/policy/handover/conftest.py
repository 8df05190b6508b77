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


@pytest.fixture
def source(functional):
    """The served demo site, as the outgoing host (acting as the site owner)."""
    from AccessControl.SecurityManagement import newSecurityManager
    from plone.app.testing import SITE_OWNER_NAME
    from zope.component.hooks import setSite

    app, portal = functional["app"], functional["portal"]
    newSecurityManager(None, app.acl_users.getUser(SITE_OWNER_NAME).__of__(app.acl_users))
    setSite(portal)
    return portal


@pytest.fixture
def snapshot():
    """A function giving what an import could change in a site (to check a stopped import changed none)."""
    from plone import api
    from zope.annotation.interfaces import IAnnotations

    from links.content.audit.storage import get_log
    from links.policy.handover import serialize

    def take(site) -> dict:
        catalog = api.portal.get_tool("portal_catalog")
        log = get_log(site)
        return {
            "records": sorted(
                b.getPath() for b in catalog.unrestrictedSearchResults(path="/" + site.getId())
            ),
            "ids": sorted(site.objectIds()),
            "principals": serialize.principals_data(site, include_passwords=True),
            "registry": serialize.registry_data(),
            "annotations": sorted(k for k in IAnnotations(site) if isinstance(k, str)),
            "audit": (log.last_seq, log.last_hash) if log is not None else None,
            "local_roles": dict(getattr(site, "__ac_local_roles__", None) or {}),
        }

    return take
