"""Demo records: providers, authorisations, declarations, the constitution and reports in every state."""

from plone import api

from links.policy.demo import records


def test_providers(portal):
    assert set(records.PROVIDERS) <= set(portal["providers"].objectIds())


def test_reports_in_every_state(portal):
    folder = portal["reports"]
    states = {api.content.get_state(folder[report_id]) for report_id, *_rest in records.REPORTS}
    assert states == {"draft", "pending_signoff", "signed_off", "sent_to_provider", "published", "withdrawn"}


def test_report_awaiting_signoff_has_no_signatures(portal):
    from links.content.signing import api as signing_api

    report = portal["reports"]["report-awaiting-signoff"]
    assert api.content.get_state(report) == "pending_signoff"
    assert signing_api.signatures(report, verify=False) == []


def test_constitution_adopted_with_earlier_versions(portal):
    constitution = portal["constitution"]
    assert api.content.get_state(constitution) == "adopted"
    with api.env.adopt_roles(["Manager"]):
        history = api.portal.get_tool("portal_repository").getHistoryMetadata(constitution)
        assert history.getLength(countPurged=False) >= 3


def test_every_governing_body_member_has_declared(portal):
    from links.content.declarations import api as declarations_api

    entries = {entry["member"]: entry for entry in declarations_api.register_entries()}
    assert set(entries) == {"chair", "member1", "member2", "member3", "member4", "member5", "member6"}
    assert entries["member4"]["sensitive"] and "categories" not in entries["member4"]
    elm_lodge = portal["providers"]["elm-lodge"]
    assert declarations_api.conflicting_declarations("member2", [elm_lodge.UID()])


def test_decision_statements_published(portal):
    decisions = [obj for obj in portal["decisions"].objectValues() if obj.portal_type == "DecisionStatement"]
    assert {d.category for d in decisions} >= {"enter-and-view", "refer-report", "activities"}


def test_create_is_idempotent(portal):
    before = len(api.content.find(portal_type=["EnterAndViewReport", "DeclarationOfInterest"]))
    records.create(portal)
    assert len(api.content.find(portal_type=["EnterAndViewReport", "DeclarationOfInterest"])) == before
