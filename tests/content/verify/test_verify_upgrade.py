"""Upgrade 1009 -> 1011 adds the verify page's limits, keeping a value a site already set, and its site
action."""

from plone import api
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

from links.content.upgrades.v1011 import upgrade
from links.content.verify import limits


def test_upgrade_adds_missing_records_and_keeps_existing(portal):
    registry = getUtility(IRegistry)
    del registry.records[limits.MAX_UPLOAD_RECORD]
    site_actions = api.portal.get_tool("portal_actions")["site_actions"]
    site_actions.manage_delObjects(["links_verify"])
    api.portal.set_registry_record(limits.RATE_RECORD, 7)
    assert limits.max_upload() == limits.DEFAULT_MAX_UPLOAD  # the default while the record is missing
    upgrade()
    assert api.portal.get_registry_record(limits.MAX_UPLOAD_RECORD) == 25_000_000
    assert api.portal.get_registry_record(limits.RATE_RECORD) == 7
    assert site_actions["links_verify"].url_expr == "string:${portal_url}/@@verify"
