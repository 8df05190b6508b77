"""The annual report's life: submitted with the year's figures, signed off by the quorum with a signed,
tagged PDF laid out as a report, published, then sent to every listed body; the 30 June clocks; who may do
what in each state; the page, easy read summary and spreadsheets."""

import csv
import io
import json
import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from plone import api
from plone.app.testing import logout

from links.content.annual import api as annual_api
from links.content.annual import document
from links.content.annual.exceptions import CopiesError
from links.content.keys.api import certificate_pem
from links.content.signing import api as signing
from links.content.signing.cli import verify_pdf

PDFTOTEXT = shutil.which("pdftotext")


def _publish(report, helpers):
    helpers.submit_and_sign(report)
    with api.env.adopt_user(username="gbm1"):
        api.content.transition(report, transition="publish")


def _pdf_text(data, tmp_path):
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True).stdout
    return " ".join(text.split())


def test_clocks_are_due_on_30_june(portal, report):
    due = annual_api.due_dates(report)
    assert due == {"report_due": date(2026, 6, 30), "copies_due": date(2026, 6, 30)}
    from links.content.clocks import api as clocks_api

    assert "3 calendar months" in clocks_api.get(report, annual_api.REPORT_CLOCK).explanation


def test_quorum_signs_off_a_pdf_laid_out_as_a_report(portal, records, report, helpers, tmp_path):
    with api.env.adopt_user(username="staff"):
        api.content.transition(report, transition="submit")
    assert api.content.get_state(report) == "pending_signoff"
    figures = json.loads(report.activities)
    assert {s["key"] for s in figures["sections"]} >= {"complaints", "foi_deadlines", "visits_by_service"}
    helpers.sign_off(report)
    assert api.content.get_state(report) == "signed_off"
    records_ = signing.signatures(report)
    assert [r["verification"] for r in records_] == [{"seal_valid": True, "hash_matches": True}] * 2
    data = signing.signed_pdf(report).data
    [result] = verify_pdf(data, certificate_pem())
    assert result["ok"] and result["intact"]
    assert b"/StructTreeRoot" in data and b"/MarkInfo" in data  # tagged
    text = _pdf_text(data, tmp_path)
    for expected in (
        "Annual report 2025 to 2026",
        "Contents",
        "About this report",
        "1 April 2025 to 31 March 2026",
        "section 227 of the Local Government and Public Involvement in Health Act 2007",
        "Achievements and impact",
        "Discharge letters are now explained",
        "Working with every part of the community",
        "What we did in figures",
        "Complaints received, by outcome",
        "Chart of the table above",
        "Money",
        "Staff salaries £42,000.00",
        "Total £44,230.50",
        "Council grant £45,000.00",
        "Total £45,300.50",
        "income was more than spending by £1,070.00",
        "Authorised representatives",
        "Ruth Visitor",
        "People involved in relevant decisions",
        "Plans for next year",
        "Signatures",
        "Grace Member",
        "Hugo Member",
    ):
        assert expected in text, (expected, text)
    assert "Rex Visitor" not in text  # authorisation expired before the year


def test_pdf_body_is_rendered_from_the_version_given(portal, records, report, helpers):
    """The body adapter reads only stored fields, so the signed version renders as signed, whatever the
    live record says now."""
    helpers.submit_and_sign(report)
    signoff = signing.latest_signoff(report)
    repository = api.portal.get_tool("portal_repository")
    with api.env.adopt_roles(["Manager"]):
        version = repository.retrieve(report, signoff["version_id"]).object
    report.plans = helpers.html("<p>Changed behind the governing body's back.</p>")
    from zope.component import getAdapter

    from links.content.interfaces import ISignedRecordBody

    html = getAdapter(version, ISignedRecordBody)()
    assert "dentistry" in html and "behind the governing body" not in html
    assert "Complaints received, by outcome" in html and "<svg" in html and 'role="img"' in html


@pytest.mark.parametrize(
    "recipient, sent_on, fragment",
    [
        ("The Queen", date(2026, 6, 1), "not on this report's list of recipients"),
        ("The Care Quality Commission", date(2999, 1, 1), "cannot be in the future"),
        ("The Care Quality Commission", date(2020, 1, 1), "before the report was published"),
    ],
)
def test_copies_refuse_bad_input_and_change_nothing(portal, report, helpers, recipient, sent_on, fragment):
    _publish(report, helpers)
    with api.env.adopt_user(username="staff"), pytest.raises(CopiesError, match=fragment):
        annual_api.record_copy(report, recipient, sent_on)
    assert annual_api.copies_sent_on(report) is None
    assert not [row for row in annual_api.checklist(report) if row["sent_on"]]


def test_copies_only_once_published(portal, report, helpers):
    with pytest.raises(CopiesError, match="once the report is published"):
        annual_api.record_copy(report, "The Care Quality Commission", date.today())


def test_last_copy_completes_the_report_and_stops_its_clock(portal, report, helpers):
    from links.content.clocks import api as clocks_api

    api.portal.set_registry_record(
        "links.content.annual.recipients", ("Department of Health", "Care Quality Commission")
    )
    _publish(report, helpers)
    assert clocks_api.get(report, annual_api.REPORT_CLOCK).met_on == date.today()
    # The list is fixed on publication: a later change of the registry does not alter it.
    api.portal.set_registry_record("links.content.annual.recipients", ("Someone else",))
    today = date.today()
    with api.env.adopt_user(username="staff"):
        annual_api.record_copy(report, "Department of Health", today)
        with pytest.raises(CopiesError, match="already recorded"):
            annual_api.record_copy(report, "Department of Health", today)
        assert api.content.get_state(report) == "published"
        rows = annual_api.record_copy(report, " Care Quality Commission ", today)
    assert [(r["recipient"], r["sent_on"], r["recorded_by"]) for r in rows] == [
        ("Department of Health", today, "Stella Staff"),
        ("Care Quality Commission", today, "Stella Staff"),
    ]
    assert api.content.get_state(report) == "copies_sent"
    assert clocks_api.get(report, annual_api.COPIES_CLOCK).met_on == today
    with pytest.raises(CopiesError):
        annual_api.record_copy(report, "Department of Health", today)


def test_copies_cannot_be_marked_sent_by_hand(portal, report, helpers):
    _publish(report, helpers)
    with api.env.adopt_roles(["Manager"]), pytest.raises(api.exc.InvalidParameterError):
        api.content.transition(report, transition="mark_copies_sent")


ROLES = ["staff", "gbm1", "auditor", "officer", "participant", None]
#: state -> users who may View
VIEWERS = {
    "draft": {"staff", "gbm1", "auditor"},
    "pending_signoff": {"staff", "gbm1", "auditor"},
    "signed_off": {"staff", "gbm1", "auditor"},
    "published": set(ROLES),
}
#: state -> users who may change its text
WRITERS = {"draft": {"staff"}, "pending_signoff": set(), "signed_off": set(), "published": set()}
COPIERS = {"draft": set(), "pending_signoff": set(), "signed_off": set(), "published": {"staff"}}


def _walk(report, helpers, state):
    if state == "draft":
        return
    with api.env.adopt_user(username="staff"):
        api.content.transition(report, transition="submit")
    if state == "pending_signoff":
        return
    helpers.sign_off(report)
    if state == "signed_off":
        return
    with api.env.adopt_user(username="gbm1"):
        api.content.transition(report, transition="publish")


@pytest.mark.parametrize("state", list(VIEWERS))
@pytest.mark.parametrize("userid", ROLES)
def test_permission_matrix(portal, report, helpers, state, userid):
    _walk(report, helpers, state)
    assert api.content.get_state(report) == state

    def may(permission):
        if userid is None:
            logout()
            try:
                return bool(api.user.has_permission(permission, obj=report))
            finally:
                from plone.app.testing import TEST_USER_NAME
                from plone.app.testing import login

                login(portal, TEST_USER_NAME)
        with api.env.adopt_user(username=userid):
            return bool(api.user.has_permission(permission, obj=report))

    assert may("View") == (userid in VIEWERS[state])
    assert may("links.content: Modify annual report") == (userid in WRITERS[state])
    assert may("links.content: Record annual report copies") == (userid in COPIERS[state])
    assert not may("CMFEditions: Revert to previous versions") or (state == "draft" and userid == "staff")


def test_page_shows_deadlines_figures_links_and_copies(portal, records, report, helpers):
    _publish(report, helpers)
    with api.env.adopt_user(username="officer"):
        html = api.content.get_view("annual-report-view", report, report.REQUEST)()
    assert "30 June 2026" in html and "Copies sent" in html
    assert records["complaint-first"].Title() in html  # the officer may see the complaint
    assert "@@figures.csv" in html and "@@easy-read" in html and "@@signed-pdf" in html
    logout()
    html = api.content.get_view("annual-report-view", report, report.REQUEST)()
    assert "Complaints received, by outcome" in html
    assert records["complaint-first"].Title() not in html  # the public sees the number only
    assert records["visit-first"].Title() in html  # a published report is public
    assert "Record a copy as sent" not in html


def test_easy_read_summary(portal, records, report, helpers):
    helpers.submit_and_sign(report)
    html = document.easy_read_html(report)
    assert "We visited 3 places" in html
    assert "We asked services to make 3 changes" in html and "1 service answered us on time" in html
    assert "2 people told us they were unhappy with us. We agreed with 1 of them" in html
    assert "We spent £44,230.50" in html and "staff salaries and volunteer expenses" in html


def test_csv_and_ods_hold_the_stored_figures(portal, records, report, helpers):
    from links.content.annual import exports

    with pytest.raises(exports.FiguresNotTaken):
        exports.csv_bytes(report)
    helpers.submit_and_sign(report)
    report.expenditure = '=HYPERLINK("http://evil"): 10'  # what a careless or hostile heading looks like
    text = exports.csv_bytes(report).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Part", "Figure", "Item", "Value"]
    assert ["Figures", "Complaints received, by outcome", "Upheld", "1"] in rows
    assert ["Figures", "Complaints received, by outcome", "Total", "2"] in rows
    assert ["Money", "Spending", '\'=HYPERLINK("http://evil")', "10.00"] in rows

    data = exports.ods_bytes(report, title=report.Title())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert "META-INF/manifest.xml" in archive.namelist()
    from odf.opendocument import load
    from odf.table import TableCell
    from odf.table import TableRow

    sheet = load(io.BytesIO(data))
    found = []
    for row in sheet.spreadsheet.getElementsByType(TableRow):
        cells = row.getElementsByType(TableCell)
        found.append([(c.getAttribute("valuetype"), str(c)) for c in cells])
    assert [
        ("string", "Figures"),
        ("string", "Complaints received, by outcome"),
        ("string", "Upheld"),
        ("float", "1"),
    ] in found
    assert any(cell == ("currency", "£10.00") for row in found for cell in row)


def test_edit_form_says_why_a_submitted_report_cannot_be_edited(portal, report, helpers):
    from zope.interface import alsoProvides

    from links.content.interfaces import ILinksContentLayer

    with api.env.adopt_user(username="staff"):
        api.content.transition(report, transition="submit")
    request = report.REQUEST
    alsoProvides(request, ILinksContentLayer)
    with api.env.adopt_user(username="staff"):
        view = api.content.get_view("edit", report, request)
        assert view() == ""
    assert request.response.getStatus() == 302
    from Products.statusmessages.interfaces import IStatusMessage

    messages = [m.message for m in IStatusMessage(request).show()]
    assert any("Awaiting sign-off" in m and "locked" in m for m in messages), messages


def test_drafters_preview_the_figures_with_ids_of_their_own(portal, records, report, helpers):
    """Returned for changes, a draft shows its stored figures and, on request, a new count: no id twice."""
    import re

    with api.env.adopt_user(username="staff"):
        api.content.transition(report, transition="submit")
    with api.env.adopt_user(username="gbm1"):
        api.content.transition(report, transition="return_for_changes")
    report.REQUEST.form["preview"] = "1"
    with api.env.adopt_user(username="staff"):
        html = api.content.get_view("annual-report-view", report, report.REQUEST)()
    assert "Count the figures of the year now" in html and "preview-figure-complaints" in html
    ids = re.findall(r'\sid="([^"]+)"|\sid=\'([^\']+)\'', html)
    ids = [a or b for a, b in ids]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
