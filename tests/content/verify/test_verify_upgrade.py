"""Upgrade 1009 -> 1011 adds the verify page's limits, keeping a value a site already set."""

from plone import api
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

from links.content.upgrades.v1011 import upgrade
from links.content.verify import limits


def test_upgrade_adds_missing_records_and_keeps_existing(portal):
    registry = getUtility(IRegistry)
    del registry.records[limits.MAX_UPLOAD_RECORD]
    api.portal.set_registry_record(limits.RATE_RECORD, 7)
    assert limits.max_upload() == limits.DEFAULT_MAX_UPLOAD  # the default while the record is missing
    upgrade()
    assert api.portal.get_registry_record(limits.MAX_UPLOAD_RECORD) == 25_000_000
    assert api.portal.get_registry_record(limits.RATE_RECORD) == 7
