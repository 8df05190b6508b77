"""Demo annual report of the last complete financial year: signed off by the demo governing body and
published, its figures those of the demo records (checked against a count made here by walking the site,
independently of the catalog-based counting), its copies recorded but one, its pages readable by all."""

import json
import shutil
import subprocess
from datetime import date

import pytest
from plone import api

from links.content.annual import api as annual_api
from links.content.clocks import api as clocks_api
from links.content.keys.api import certificate_pem
from links.content.periodreport.figures import published_on
from links.content.signing import api as signing_api
from links.content.signing.cli import verify_pdf
from links.content.words import translate
from links.policy.demo import annual

PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture
def year():
    return annual.year_of_demo()


@pytest.fixture
def report(portal, year):
    return portal[annual.report_id(year[0])]


def _walk(folder):
    for obj in folder.objectValues():
        yield obj
        if getattr(obj, "isPrincipiaFolderish", False) and obj.portal_type != "AnnualReport":
            yield from _walk(obj)


def _sections(report):
    return {s["key"]: (s["total"], dict(s["breakdown"])) for s in json.loads(report.activities)["sections"]}


def test_signed_off_and_published_for_the_last_complete_year(report, year):
    assert (report.period_start, report.period_end) == year
    assert year[1] < date.today()
    assert api.content.get_state(report) == "published"
    with api.env.adopt_roles(["Manager"]):
        records = signing_api.signatures(report)
    assert len(records) >= 4
    assert all(r["verification"] == {"seal_valid": True, "hash_matches": True} for r in records)


def test_figures_match_the_demo_records(portal, report, year):
    """Each figure, counted again here by walking every record of the site (no catalog)."""
    from links.content.complaints.vocabularies import OUTCOMES as COMPLAINT_OUTCOMES
    from links.content.foi.vocabularies import OUTCOMES as FOI_OUTCOMES
    from links.content.records.vocabularies import SERVICE_TYPES

    start, end = year
    within = lambda day: day is not None and start <= day <= end  # noqa: E731
    expected = {key: {} for key in ("visits_by_service", "complaints", "foi_outcomes", "reports_published")}
    counts = dict.fromkeys(("information_requests", "osc_referrals", "decisions"), 0)
    with api.env.adopt_roles(["Manager"]):
        for obj in _walk(portal):
            state = api.content.get_state(obj, default=None)
            kind = obj.portal_type
            if kind == "EnterAndViewReport" and within(obj.visit_date):
                service = translate(SERVICE_TYPES.getTerm(obj.provider.to_object.service_type).title)
                expected["visits_by_service"][service] = expected["visits_by_service"].get(service, 0) + 1
            if kind == "EnterAndViewReport" and state == "published" and within(published_on(obj)):
                row = (
                    "With the provider's response"
                    if obj.provider_response_date
                    else "Without a response from the provider"
                )
                expected["reports_published"][row] = expected["reports_published"].get(row, 0) + 1
            if kind == "Complaint" and within(obj.received):
                row = (
                    translate(COMPLAINT_OUTCOMES.getTerm(obj.outcome).title)
                    if obj.outcome
                    else "No outcome yet"
                )
                expected["complaints"][row] = expected["complaints"].get(row, 0) + 1
            if kind == "FOIRequest" and within(obj.received):
                answered = state not in ("received", "in_progress", "awaiting_clarification")
                row = translate(FOI_OUTCOMES.getTerm(obj.outcome).title) if answered else "Not answered yet"
                expected["foi_outcomes"][row] = expected["foi_outcomes"].get(row, 0) + 1
            if kind == "InformationRequest" and state != "draft" and within(obj.sent_on):
                counts["information_requests"] += 1
            if kind == "OSCReferral" and state != "draft" and within(obj.referred_on):
                counts["osc_referrals"] += 1
            if kind == "DecisionStatement" and within(obj.decided_on):
                counts["decisions"] += 1
    sections = _sections(report)
    for key, rows in expected.items():
        assert sections[key] == (sum(rows.values()), rows), key
    for key, total in counts.items():
        assert sections[key][0] == total, key
    # The year's own records are there, so no figure of the story is empty.
    assert min(sections[key][0] for key in (*expected, *counts)) >= 1


def test_people_of_the_year(report):
    people = json.loads(report.activities)["people"]
    assert {"Jean Potter", "Imran Malik"} <= set(people["representatives"])
    assert {"Margaret Okafor", "Lucy Brennan"} <= set(people["decision_makers"])


def test_signed_pdf_is_the_report(report, tmp_path):
    data = signing_api.signed_pdf(report).data
    [result] = verify_pdf(data, certificate_pem())
    assert result["ok"], result
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "annual.pdf"
    path.write_bytes(data)
    text = " ".join(
        subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    for expected in (
        "Northbridge Local Involvement Network",
        "Contents",
        "Getting home from Ward 7",
        "Polish community centre",
        "Enter and view visits, by type of service",
        "Staff salaries and on-costs",
        "£148,788.75",
        "Jean Potter",
        "Margaret Okafor",
    ):
        assert expected in text, (expected, text)


def test_copies_all_sent_but_the_secretary_of_states(report):
    rows = {row["recipient"]: row["sent_on"] for row in annual_api.checklist(report)}
    assert list(rows) == list(annual.RECIPIENTS)
    assert rows[annual.UNSENT] is None and all(day for name, day in rows.items() if name != annual.UNSENT)
    assert clocks_api.get(report, annual_api.REPORT_CLOCK).met_on is not None
    assert clocks_api.get(report, annual_api.COPIES_CLOCK).met_on is None


def test_public_page_and_easy_read(portal, report):
    complaint = next(o for o in portal["complaints"].objectValues() if getattr(o, "demo_year_key", None))
    with api.env.adopt_user(username="participant"):
        html = api.content.get_view("annual-report-view", report, report.REQUEST)()
        assert "What we did in figures" in html and "£148,788.75" in html
        assert complaint.Title() not in html
        easy = api.content.get_view("easy-read", report, report.REQUEST)()
        assert "We visited" in easy
    with api.env.adopt_user(username="auditor"):
        assert complaint.Title() in api.content.get_view("annual-report-view", report, report.REQUEST)()


def test_create_is_idempotent(portal):
    catalog = api.portal.get_tool("portal_catalog")
    before = len(catalog.unrestrictedSearchResults(portal_type=["AnnualReport", "Complaint", "FOIRequest"]))
    annual.create(portal)
    assert (
        len(catalog.unrestrictedSearchResults(portal_type=["AnnualReport", "Complaint", "FOIRequest"]))
        == before
    )


def test_demo_upgrade_adds_the_report_to_an_existing_demo_site(portal, year):
    setup = api.portal.get_tool("portal_setup")
    assert setup.getLastVersionForProfile("links.policy:demo") == ("1006",)
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(portal[annual.report_id(year[0])], check_linkintegrity=False)
    setup.setLastVersionForProfile("links.policy:demo", "1000")
    setup.upgradeProfile("links.policy:demo")
    assert setup.getLastVersionForProfile("links.policy:demo") == ("1006",)
    assert api.content.get_state(portal[annual.report_id(year[0])]) == "published"
