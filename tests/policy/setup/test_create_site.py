"""`make create-site` creates a Classic UI site with the policy, idempotently; FORCE recreates it."""

import pytest
import transaction
from plone import api
from zope.component.hooks import setSite

from links.policy.site import create_site


@pytest.fixture
def root(functional_app, functional_portal):
    """create_site commits, so it runs on the functional layer (a fresh storage per test).

    It runs as scripts/create_site.py does under `bin/instance run`.
    """
    from AccessControl.SecurityManagement import getSecurityManager
    from AccessControl.SecurityManagement import setSecurityManager

    from links.policy.site import run_as_site_builder

    before = getSecurityManager()
    run_as_site_builder(functional_app)
    yield functional_app
    setSecurityManager(before)
    setSite(functional_portal)


def test_create_is_idempotent_and_force_recreates(root):
    site, created = create_site(root, site_id="links-new", demo=False)
    assert created is True
    assert site.title == "Local Involvement Network"
    setSite(site)
    assert api.portal.get_registry_record("plone.default_language") == "en-gb"
    installer = api.content.get_view("installer", site, site.REQUEST)
    assert installer.is_product_installed("links.policy")
    site.marker = "first"

    again, created = create_site(root, site_id="links-new", demo=False)
    assert created is False
    assert again.marker == "first"

    fresh, created = create_site(root, site_id="links-new", demo=False, force=True)
    assert created is True
    assert not hasattr(fresh.aq_base, "marker")


def test_create_with_demo_installs_policy_and_demo(root):
    """The path `make start` takes: the demo network's title, groups and users are there."""
    site, created = create_site(root, site_id="links-demo-check")
    assert created is True
    setSite(site)
    assert site.title == "Northbridge Local Involvement Network"
    assert api.portal.get_registry_record("plone.site_title") == site.title
    assert api.group.get(groupname="governing-body") is not None
    chair = api.user.get(username="chair")
    assert chair is not None
    assert "governing-body" in [g.id for g in api.group.get_groups(user=chair)]


def test_a_new_site_starts_a_clean_signed_trail(root, tmp_path, monkeypatch):
    """Site creation signs a first checkpoint; recreating a site moves the old audit folder aside (#15)."""
    from links.content.audit import api as audit
    from links.content.audit import readstore

    monkeypatch.setenv("LINKS_AUDIT_DIR", str(tmp_path))
    site, _created = create_site(root, site_id="links-audit", demo=False)
    transaction.begin()  # see what the checkpoint's own transaction committed
    setSite(site)
    checkpoint = audit.get_checkpoint(site)
    assert checkpoint and checkpoint["size"] >= 1
    audit.record_read("record.viewed", site, {"view": "view"}, site_id="links-audit")
    assert audit.verify(site, records=False)["ok"]

    setSite(None)  # as under bin/instance run: no site is current while the old one is replaced
    fresh, _created = create_site(root, site_id="links-audit", demo=False, force=True)
    transaction.begin()
    setSite(fresh)
    [moved] = [p for p in tmp_path.iterdir() if p.name.startswith("links-audit.replaced-")]
    assert [p.name for p in readstore.files(moved)]  # the old trail is kept, aside
    result = audit.verify(fresh, records=False)
    assert result["ok"], result["zodb"]["reason"]
    assert result["files"]["entries"] == 0
