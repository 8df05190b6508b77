"""The annual report's figures, counted from generated records on both sides of the financial year: 31 March
and 1 April, publications at 23:30 and 00:30 British Summer Time, clocks met, met late and overdue; found
through the catalog (records outside the year are never read); stored on submission and unchanged when the
records change afterwards."""

import json
from datetime import date

from plone import api

from links.content.annual import api as annual_api
from links.content.annual import figures
from links.content.periodreport import figures as base
from links.content.periodreport.api import visible_records


def _rows(data):
    return {s["key"]: (s["total"], dict(s["breakdown"])) for s in data["sections"]}


def _count(portal, helpers):
    return figures.count(portal, helpers.START, helpers.END, helpers.TAKEN)


def test_figures_of_the_year(portal, records, helpers):
    data, _records = _count(portal, helpers)
    rows = _rows(data)
    assert data["period"] == {"start": "2025-04-01", "end": "2026-03-31"}
    assert data["taken_on"] == "2026-06-01"
    assert rows["visits_by_service"] == (3, {"GP surgery": 2, "Care home": 1})
    assert rows["visits_by_announcement"] == (3, {"Announced": 2, "Unannounced": 1})
    # 1 April 2025 00:30 BST and 31 March 2026 23:30 BST are in; 1 April 2026 00:30 BST is not.
    assert rows["reports_published"] == (
        3,
        {"With the provider's response": 1, "Without a response from the provider": 2},
    )
    assert rows["recommendations"] == (3, {"GP surgery": 2, "Care home": 1})
    assert rows["provider_responses"] == (
        2,
        {"Responded within 20 working days": 1, "No response yet: overdue": 1},
    )
    assert rows["information_requests"] == (
        4,
        {
            "Answered within 20 working days": 1,
            "Answered late (after 20 working days)": 1,
            "No answer yet: overdue": 1,
            "Closed without an answer": 1,
        },
    )
    assert rows["osc_referrals"] == (1, {"Acknowledged late (after 20 working days)": 1})
    assert rows["complaints"] == (2, {"Upheld": 1, "No outcome yet": 1})
    assert rows["complaint_deadlines"] == (
        2,
        {"Acknowledged within 3 working days": 1, "Acknowledged late (after 3 working days)": 1},
    )
    # Received the year before, appealed in the year: an appeal of the year, not a complaint of it.
    assert rows["appeals"] == (1, {"Appeal not upheld": 1})
    assert rows["foi_outcomes"] == (
        3,
        {
            "Information disclosed in full": 1,
            "Request refused (refusal notice)": 1,
            "Not answered yet": 1,
        },
    )
    assert rows["foi_deadlines"] == (
        3,
        {
            "Answered within 20 working days": 1,
            "Answered late (after 20 working days)": 1,
            "Not answered yet: overdue": 1,
        },
    )
    assert rows["declarations"] == (
        2,
        {"Within 28 days of the change": 1, "More than 28 days after the change": 1},
    )
    assert rows["decisions"] == (
        2,
        {"Which premises to enter and view and when": 1, "The amounts to be spent on activities": 1},
    )
    assert data["people"] == {
        # rep2 was authorised after the year; rep3's authorisation expired on 31 March 2025.
        "representatives": ["Ruth Visitor"],
        "decision_makers": ["Grace Member", "Stella Staff"],
    }


def test_rows_read_in_order_in_time_first(portal, records, helpers):
    data, _records = _count(portal, helpers)
    sections = {s["key"]: [label for label, _n in s["breakdown"]] for s in data["sections"]}
    assert sections["information_requests"] == [
        "Answered within 20 working days",
        "Answered late (after 20 working days)",
        "No answer yet: overdue",
        "Closed without an answer",
    ]
    assert sections["complaints"] == ["Upheld", "No outcome yet"]


def test_each_row_names_the_records_it_counts(portal, records, helpers):
    _data, counted = _count(portal, helpers)
    uid = {key: obj.UID() for key, obj in records.items()}
    assert set(counted["reports_published"]["Without a response from the provider"]) == {
        uid["visit-before"],
        uid["visit-late-night"],
    }
    assert set(counted["complaints"]["Upheld"]) == {uid["complaint-first"]}
    assert counted["appeals"] == {"Appeal not upheld": [uid["complaint-before"]]}
    assert uid["visit-after"] not in json.dumps(counted)
    assert uid["complaint-after"] not in json.dumps(counted)


def test_the_year_is_one_catalog_query_and_only_its_records_are_read(portal, records, helpers, monkeypatch):
    """Counting uses the period_dates index: a record outside the year is never loaded."""
    from Products.ZCatalog.CatalogBrains import AbstractCatalogBrain

    loaded = []
    original = AbstractCatalogBrain._unrestrictedGetObject

    def spy(brain):
        obj = original(brain)
        loaded.append(obj.UID())
        return obj

    monkeypatch.setattr(AbstractCatalogBrain, "_unrestrictedGetObject", spy)
    _count(portal, helpers)
    outside = {
        records[key].UID() for key in ("visit-after", "request-before", "referral-after", "complaint-after")
    }
    outside |= {records[key].UID() for key in ("foi-after", "declaration-before", "decision-before")}
    assert loaded and not outside & set(loaded)


def test_period_dates_follow_transitions_that_set_dates(portal, users):
    """A request's "sent on" is set by its send transition: the index knows it afterwards."""
    from plone.app.testing import TEST_USER_ID
    from plone.app.testing import setRoles

    setRoles(portal, TEST_USER_ID, ["Manager"])
    obj = api.content.create(
        container=portal,
        type="InformationRequest",
        title="Request",
        addressee="Council",
        addressee_kind="commissioner",
        questions="?",
    )
    api.content.transition(obj, transition="send")
    catalog = api.portal.get_tool("portal_catalog")
    [brain] = catalog.unrestrictedSearchResults(UID=obj.UID())
    assert catalog.getIndexDataForRID(brain.getRID())[base.INDEX] == [obj.sent_on.isoformat()]


def test_submission_stores_the_figures_and_they_do_not_change_with_the_records(portal, records, helpers):
    report = helpers.make_report(portal)
    with api.env.adopt_user(username="staff"):
        api.content.transition(report, transition="submit")
    stored, stored_records = report.activities, report.counted_records
    assert _rows(json.loads(stored))["complaints"][0] == 2
    # After submission: a complaint of the year arrives late, another is decided, a visit is withdrawn.
    api.content.create(
        container=portal,
        type="Complaint",
        title="Complaint",
        received=date(2025, 12, 1),
        how_received="letter",
        about="network",
        complainant_name="Bob Example",
        details="Late reply.",
    )
    records["complaint-last"].outcome = "partly-upheld"
    records["complaint-last"].reindexObject()
    helpers.force_state(
        records["visit-first"], "links_report_workflow", "withdrawn", "withdraw", date(2026, 6, 2)
    )
    helpers.sign_off(report)
    assert api.content.get_state(report) == "signed_off"
    with api.env.adopt_user(username="gbm1"):
        api.content.transition(report, transition="publish")
    assert report.activities == stored and report.counted_records == stored_records
    # What the page and the PDF show is the stored figures, not a new count.
    html = api.content.get_view("annual-report-view", report, report.REQUEST)()
    assert "Complaints received, by outcome" in html
    recount, _ = figures.count(portal, helpers.START, helpers.END, date.today())
    assert _rows(recount)["complaints"][0] == 3 != _rows(json.loads(report.activities))["complaints"][0]


def test_take_snapshot_is_the_only_writer(portal, records, helpers):
    report = helpers.make_report(portal)
    assert report.activities is None and report.counted_records is None
    data = annual_api.take_snapshot(report, today=helpers.TAKEN)
    assert json.loads(report.activities) == data
    assert set(json.loads(report.counted_records)) <= {key for key, _label in figures.SECTIONS}


def test_links_show_only_the_records_each_reader_may_see(portal, records, helpers):
    report = helpers.make_report(portal)
    annual_api.take_snapshot(report, today=helpers.TAKEN)
    complaint = records["complaint-first"]
    report_first = records["visit-first"]
    with api.env.adopt_user(username="officer"):
        links = visible_records(report)
        assert [title for title, _url in links("complaints", "Upheld")] == [complaint.Title()]
    with api.env.adopt_user(username="participant"):
        links = visible_records(report)
        assert links("complaints", "Upheld") == []
        # A published report is public: anyone is shown its link.
        assert (report_first.Title(), report_first.absolute_url()) in links(
            "reports_published", "With the provider's response"
        )
