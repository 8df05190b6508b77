"""The transitional report's life: the period's figures are taken on submission, the governing body signs
it off through the normal quorum, and the signed (PAdES) PDF holds the figures, spending and narrative."""

import json
import shutil
import subprocess
from datetime import date

import pytest
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import logout
from plone.app.testing import setRoles

from links.content.clocks import api as clocks_api
from links.content.keys.api import certificate_pem
from links.content.signing import api as signing
from links.content.signing.cli import verify_pdf
from links.content.transitional import activities
from links.content.transitional import api as transitional_api

PDFTOTEXT = shutil.which("pdftotext")


def _sections(data):
    return {s["key"]: (s["total"], dict(s["breakdown"])) for s in data["sections"]}


def _sign_off(report, helpers):
    for userid in helpers.MEMBERS[:2]:
        with api.env.adopt_user(username=userid):
            signing.sign(report, userid, helpers.PASSWORD, "approve", request=report.REQUEST)


def test_figures_are_those_of_the_period(portal, activity, helpers):
    sections = _sections(activities.count(portal, helpers.START, helpers.END, today=date(2026, 4, 30)))
    assert sections["visits"][0] == 2
    assert sections["reports_published"] == (1, {"Without a response from the provider": 1})
    assert sections["information_requests"] == (2, {"Answered": 1, "Awaiting an answer": 1})
    assert sections["osc_referrals"] == (1, {"Referred": 1})
    assert sections["complaints"][0] == 3
    assert sections["complaints"][1]["Upheld"] == 2
    assert sections["declarations"] == (1, {"Declared": 1})
    # Without a period, everything counts.
    everything = _sections(activities.count(portal))
    assert everything["visits"][0] == 3 and everything["complaints"][0] == 4


def test_submission_takes_the_figures_and_locks_the_text(portal, activity, report, helpers):
    assert transitional_api.due_dates(report) == {
        "ceased_on": helpers.END,
        "report_due": date(2026, 5, 31),
        "copies_due": date(2026, 6, 30),
    }
    assert report.activities is None
    with api.env.adopt_user(username="staff"):
        assert api.user.has_permission("links.content: Modify transitional report", obj=report)
        api.content.transition(report, transition="submit")
    data = json.loads(report.activities)
    assert data["period"] == {"start": "2025-04-01", "end": "2026-03-31"}
    assert _sections(data)["information_requests"][0] == 2
    with api.env.adopt_user(username="staff"):
        assert not api.user.has_permission("links.content: Modify transitional report", obj=report)
    # Returned for changes: the text is writable again, and the figures are taken afresh next time.
    with api.env.adopt_user(username="gbm1"):
        api.content.transition(report, transition="return_for_changes")
    assert api.content.get_state(report) == "draft"


def test_quorum_signs_off_with_a_signed_pdf_of_the_figures(portal, activity, report, helpers, tmp_path):
    with api.env.adopt_user(username="staff"):
        api.content.transition(report, transition="submit")
    with api.env.adopt_user(username="gbm1"):
        signing.sign(report, "gbm1", helpers.PASSWORD, "approve", request=report.REQUEST)
    assert api.content.get_state(report) == "pending_signoff"
    with api.env.adopt_user(username="gbm2"):
        signing.sign(report, "gbm2", helpers.PASSWORD, "approve", request=report.REQUEST)
    assert api.content.get_state(report) == "signed_off"

    records = signing.signatures(report)
    assert [r["verification"] for r in records] == [{"seal_valid": True, "hash_matches": True}] * 2
    data = signing.signed_pdf(report).data
    [result] = verify_pdf(data, certificate_pem())
    assert result["ok"] and result["intact"]

    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    text = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True).stdout
    text = " ".join(text.split())
    for expected in (
        "Transitional report 2025 to 2026",
        "1 April 2025 to 31 March 2026",
        "Enter and view visits made 2",
        "Enter and view reports published 1",
        "Answered: 1",
        "Awaiting an answer: 1",
        "Upheld: 2",
        "Declarations of interest 1",
        "Staff salaries £42,000.00",
        "Room hire £980.00",
        "Total £44,230.50",
        "visited two care homes",
        "Member 1 Name",
        "Member 2 Name",
    ):
        assert expected in text, (expected, text)


def test_resubmission_supersedes_earlier_approvals(portal, activity, report, helpers):
    with api.env.adopt_user(username="staff"):
        api.content.transition(report, transition="submit")
    with api.env.adopt_user(username="gbm1"):
        signing.sign(report, "gbm1", helpers.PASSWORD, "approve", request=report.REQUEST)
        api.content.transition(report, transition="return_for_changes")
    # A record of the period added meanwhile: the figures taken on re-submission differ.
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
    with api.env.adopt_user(username="staff"):
        api.content.transition(report, transition="submit")
    assert _sections(json.loads(report.activities))["complaints"][0] == 4
    assert [r["status"] for r in signing.signatures(report, verify=False)] == ["superseded"]
    with api.env.adopt_user(username="gbm2"):
        signing.sign(report, "gbm2", helpers.PASSWORD, "approve", request=report.REQUEST)
    assert api.content.get_state(report) == "pending_signoff"


def test_clocks_follow_ceasing_signoff_and_copies(portal, report, helpers):
    preparation = clocks_api.get(report, transitional_api.PREPARATION_CLOCK)
    copies = clocks_api.get(report, transitional_api.COPIES_CLOCK)
    assert (preparation.started, preparation.due) == (helpers.END, date(2026, 5, 31))
    assert copies.due == date(2026, 6, 30)
    assert "2 calendar months" in preparation.explanation
    with api.env.adopt_user(username="staff"):
        api.content.transition(report, transition="submit")
    _sign_off(report, helpers)
    assert clocks_api.get(report, transitional_api.PREPARATION_CLOCK).met_on is not None
    assert clocks_api.get(report, transitional_api.COPIES_CLOCK).met_on is None

    from zope.event import notify
    from zope.lifecycleevent import ObjectModifiedEvent

    report.sent_to_host = date(2026, 4, 2)
    report.sent_to_council = date(2026, 4, 3)
    notify(ObjectModifiedEvent(report))
    assert clocks_api.get(report, transitional_api.COPIES_CLOCK).met_on is None
    report.sent_to_secretary_of_state = date(2026, 4, 9)
    notify(ObjectModifiedEvent(report))
    assert clocks_api.get(report, transitional_api.COPIES_CLOCK).met_on == date(2026, 4, 9)


@pytest.mark.parametrize("userid", ["participant", None])
def test_draft_is_not_visible_to_participants_or_the_public(portal, report, userid):
    if userid is None:
        logout()
    else:
        setRoles(portal, TEST_USER_ID, [])
    with api.env.adopt_user(username=userid) if userid else _nothing():
        assert not api.user.has_permission("View", obj=report)
        assert not api.content.find(portal_type="TransitionalReport")


def test_governing_body_and_auditors_see_the_draft_public_sees_it_published(portal, report, helpers):
    for userid in ("gbm1", "auditor", "staff"):
        with api.env.adopt_user(username=userid):
            assert api.user.has_permission("View", obj=report), userid
    with api.env.adopt_user(username="staff"):
        api.content.transition(report, transition="submit")
    _sign_off(report, helpers)
    with api.env.adopt_user(username="gbm1"):
        api.content.transition(report, transition="publish")
    logout()
    assert api.user.has_permission("View", obj=report)


def test_view_shows_deadlines_and_body(portal, activity, report, helpers):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    view = api.content.get_view("transitional-report-view", report, report.REQUEST)
    html = view()
    assert "31 May 2026" in html and "30 June 2026" in html
    assert "£44,230.50" in html
    assert "Count the figures of the period now" in html
    report.REQUEST.form["preview"] = "1"
    assert "Enter and view visits made" in view.preview()


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *args):
        return False
