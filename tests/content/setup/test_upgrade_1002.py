"""Upgrade 1000 → 1002 adds the timestamp and signing-lock records without touching the site's others."""

from plone import api
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

from links.content.upgrades.v1002 import add_signing_records

NEW = [
    "links.content.timestamps.url",
    "links.content.timestamps.username",
    "links.content.timestamps.password",
    "links.content.timestamps.required",
    "links.content.timestamps.timeout",
    "links.content.timestamps.trusted_certificates",
    "links.content.signing.lockout_attempts",
    "links.content.signing.lockout_window",
    "links.content.signing.lockout_minutes",
]


def test_upgrade_adds_the_records_and_keeps_the_sites_own_values(portal):
    registry = getUtility(IRegistry)
    api.portal.set_registry_record("links.content.signing.quorum", "3")
    api.portal.set_registry_record("links.content.timestamps.url", "https://tsa.example.org/")
    for name in NEW[1:]:
        del registry.records[name]
    add_signing_records(portal.portal_setup)
    assert all(name in registry.records for name in NEW)
    assert api.portal.get_registry_record("links.content.signing.quorum") == "3"
    assert api.portal.get_registry_record("links.content.timestamps.url") == "https://tsa.example.org/"
    assert api.portal.get_registry_record("links.content.timestamps.required") is True
    assert api.portal.get_registry_record("links.content.signing.lockout_attempts") == 5


def test_upgrade_step_is_registered_from_1000_to_1002(portal):
    setup = portal.portal_setup
    steps = setup.listUpgrades("links.content:default", show_old=True)
    flat = [s for step in steps for s in (step if isinstance(step, list) else [step])]
    assert any(s["source"] == ("1000",) and s["dest"] == ("1002",) for s in flat)
