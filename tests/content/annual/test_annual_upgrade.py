"""Upgrade 1003 -> 1005 of links.content: a site made before the annual report gets its type, workflow,
permissions, versioning and the period_dates index (filled for the records it already has), and the
registry gains the AnnualReport sign-off, the two 30 June clock rules and the list of recipients, without
losing what the site had configured itself."""

import json
from datetime import date

from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

PROFILE = "links.content:default"
SIGNOFF = "links.content.signing.signoff_transitions"
RULES = "links.content.clocks.rules"


def _as_before_1005(portal):
    """Take away what 1005 adds, and change the registry as a site might have."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    api.portal.get_tool("portal_types").manage_delObjects(["AnnualReport"])
    workflow = api.portal.get_tool("portal_workflow")
    workflow.manage_delObjects(["links_annual_report_workflow"])
    api.portal.get_tool("portal_catalog").delIndex("period_dates")
    registry = getUtility(IRegistry)
    for name in [n for n in list(registry.records) if n.startswith("links.content.annual.")]:
        del registry.records[name]
    signoff = json.loads(api.portal.get_registry_record(SIGNOFF))
    del signoff["AnnualReport"]
    signoff["Constitution"] = ["proposed", "adopt_by_vote"]  # the site's own change
    api.portal.set_registry_record(SIGNOFF, json.dumps(signoff))
    rules = json.loads(api.portal.get_registry_record(RULES))
    del rules["annual-report"], rules["annual-report-copies"]
    rules["local-rule"] = {"title": "Our own rule", "kind": "working", "count": 5, "counting": "following"}
    api.portal.set_registry_record(RULES, json.dumps(rules))
    api.portal.get_tool("portal_setup").setLastVersionForProfile(PROFILE, "1003")


def test_upgrade_1003_to_1005(portal):
    _as_before_1005(portal)
    complaint = api.content.create(
        container=portal,
        type="Complaint",
        title="Complaint",
        received=date(2025, 5, 5),
        how_received="email",
        about="host",
        complainant_name="Alice Example",
        details="Nobody called me back.",
    )
    setup = api.portal.get_tool("portal_setup")
    assert setup.getLastVersionForProfile(PROFILE) == ("1003",)
    # One group of steps (re-import the XML, then the Python), from 1003 to 1005; later versions add
    # their own groups after it.
    steps = setup.listUpgrades(PROFILE)[0]
    assert {step["dest"] for step in steps} == {("1005",)}

    setup.upgradeProfile(PROFILE, "1005")

    assert setup.getLastVersionForProfile(PROFILE) == ("1005",)
    assert "AnnualReport" in api.portal.get_tool("portal_types")
    assert api.portal.get_tool("portal_workflow").getChainForPortalType("AnnualReport") == (
        "links_annual_report_workflow",
    )
    catalog = api.portal.get_tool("portal_catalog")
    found = catalog.unrestrictedSearchResults(
        portal_type="Complaint", period_dates={"query": ["2025-04-01", "2026-03-31"], "range": "min:max"}
    )
    assert [b.UID for b in found] == [complaint.UID()]
    signoff = json.loads(api.portal.get_registry_record(SIGNOFF))
    assert signoff["AnnualReport"] == ["pending_signoff", "sign_off"]
    assert signoff["Constitution"] == ["proposed", "adopt_by_vote"]
    rules = json.loads(api.portal.get_registry_record(RULES))
    assert rules["annual-report"]["count"] == 3 and "annual-report-copies" in rules and "local-rule" in rules
    assert "The Care Quality Commission" in api.portal.get_registry_record("links.content.annual.recipients")
    report = api.content.create(
        container=portal,
        type="AnnualReport",
        title="Annual report 2025 to 2026",
        period_start=date(2025, 4, 1),
        period_end=date(2026, 3, 31),
    )
    assert api.content.get_state(report) == "draft"
    assert api.portal.get_tool("portal_repository").isVersionable(report)
