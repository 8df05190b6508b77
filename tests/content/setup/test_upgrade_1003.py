"""The 1000 -> 1003 upgrade step on a site that looks like 1.0: Length counters, old clock rules (one
of them customised), no backdating record, stale clock indexes."""

import json
from datetime import date

from BTrees.Length import Length
from plone import api
from plone.registry.interfaces import IRegistry
from Products.CMFCore.indexing import processQueue
from zope.component import getUtility

from links.content.annotations import annotated_tree
from links.content.annotations import next_in_year
from links.content.clocks import api as clocks
from links.content.clocks.storage import MET
from links.content.complaints.api import COUNTER_KEY

PROFILE = "links.content:default"
OLD_RULES = {
    "complaint-acknowledgement": {
        "title": "Acknowledge",
        "kind": "working",
        "count": 5,
        "counting": "following",
    },
    "foi-response": {
        "title": "Answer",
        "kind": "working",
        "count": 20,
        "counting": "following",
        "calendar": "uk",
    },
    "subject-access-request": {
        "title": "Answer the subject access request",
        "kind": "calendar_month",
        "count": 1,
    },
}


def make_it_look_like_1000(portal):
    counters = annotated_tree(portal, COUNTER_KEY, create=True)
    counters[2026] = Length(7)
    api.portal.set_registry_record(clocks.RULES_RECORD, json.dumps(OLD_RULES))
    del getUtility(IRegistry).records[clocks.BACKDATE_RECORD]
    workflow = api.portal.get_tool("portal_workflow")["links_foi_workflow"]
    workflow.states.deleteStates(["awaiting_fee", "lapsed"])
    workflow.transitions.deleteTransitions(["ask_fee", "fee_received", "fee_not_paid"])
    portal.manage_permission("links.content: Backdate clock changes", roles=[], acquire=True)
    api.portal.get_tool("portal_setup").setLastVersionForProfile(PROFILE, "1000")


def test_upgrade_to_1003(portal):
    setup_tool = api.portal.get_tool("portal_setup")
    with api.env.adopt_roles(["Manager"]):
        document = api.content.create(container=portal, type="Folder", id="case", title="Case")
    # A clock met late whose indexes were written by 1.0 (no "met_late"): set its state behind the
    # catalog's back.
    from zope.interface import alsoProvides

    from links.content.clocks.behaviors import IHasStatutoryClocks

    alsoProvides(document, IHasStatutoryClocks)
    clock = clocks.start(document, "complaint-response", started=date(2024, 6, 3))
    processQueue()
    clock.state, clock.met_on = MET, date(2024, 8, 5)
    catalog = api.portal.get_tool("portal_catalog")
    assert not catalog.unrestrictedSearchResults(clock_status="met_late")
    make_it_look_like_1000(portal)

    assert setup_tool.listUpgrades(PROFILE)
    setup_tool.upgradeProfile(PROFILE, dest="1003")  # later steps have their own tests

    assert setup_tool.getLastVersionForProfile(PROFILE) == ("1003",)
    # Counters keep their value and stop merging concurrent increments.
    assert annotated_tree(portal, COUNTER_KEY)[2026] == 7
    assert next_in_year(COUNTER_KEY, 2026) == 8
    # The network's own rule is kept; new keys and rules come from the profile.
    rules = clocks.configured_rules()
    assert rules["complaint-acknowledgement"].count == 5
    assert rules["foi-response"].pause_kinds == ("restart", "fee")
    assert rules["subject-access-request"].due_on_non_working_day == "next_working_day"
    assert rules["subject-access-request"].max_extension == 2
    assert "foi-fee-payment" in rules and "declaration-update" in rules
    assert clocks.backdate_limit() == 5
    # Workflow and permission re-imported.
    workflow = api.portal.get_tool("portal_workflow")["links_foi_workflow"]
    assert {"awaiting_fee", "lapsed"} <= set(workflow.states.objectIds())
    assert "ask_fee" in workflow.transitions.objectIds()
    assert "Manager" in [
        r["name"] for r in portal.rolesOfPermission("links.content: Backdate clock changes") if r["selected"]
    ]
    # Clock indexes and metadata rewritten.
    [brain] = catalog.unrestrictedSearchResults(clock_status="met_late")
    assert brain.clock_summary[0][4] == 25
