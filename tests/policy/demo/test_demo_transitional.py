"""Demo transitional report: signed off by the demo governing body, with the period's figures and spending
in its sealed PDF, its reg 15 clocks, and hidden from the public until published."""

import shutil
import subprocess

import pytest
from plone import api

from links.content.clocks import api as clocks_api
from links.content.keys.api import certificate_pem
from links.content.signing import api as signing_api
from links.content.signing.cli import verify_pdf
from links.content.transitional import api as transitional_api
from links.policy.demo import transitional

PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture
def report(portal):
    return portal[transitional.REPORT_ID]


def test_signed_off_by_the_demo_governing_body(report):
    assert api.content.get_state(report) == "signed_off"
    with api.env.adopt_roles(["Manager"]):
        records = signing_api.signatures(report)
    assert len(records) >= 4
    assert {r["signer"] for r in records} <= {
        "chair",
        "member1",
        "member2",
        "member3",
        "member4",
        "member5",
        "member6",
    }
    assert all(r["verification"] == {"seal_valid": True, "hash_matches": True} for r in records)
    assert transitional_api.signed_report() == report


def test_signed_pdf_holds_figures_and_spending(report, tmp_path):
    data = signing_api.signed_pdf(report).data
    [result] = verify_pdf(data, certificate_pem())
    assert result["ok"], result
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "transitional.pdf"
    path.write_bytes(data)
    text = " ".join(
        subprocess.run([PDFTOTEXT, str(path), "-"], capture_output=True, text=True).stdout.split()
    )
    for expected in (
        "Northbridge Community Voice CIC",
        "Enter and view visits made",
        "Complaints, by outcome",
        "Staff salaries and on-costs",
        "£312,450.00",
        "£446,366.15",
        "Ward 7",
        "Margaret Okafor",
    ):
        assert expected.lower() in text.lower(), (expected, text)


def test_figures_count_the_demo_records(report):
    import json

    sections = {s["key"]: s["total"] for s in json.loads(report.activities)["sections"]}
    assert sections["visits"] >= 4
    assert sections["reports_published"] >= 1
    assert sections["complaints"] >= 3
    assert sections["declarations"] >= 7


def test_clocks_preparation_met_copies_running(report):
    assert clocks_api.get(report, transitional_api.PREPARATION_CLOCK).met_on is not None
    copies = clocks_api.get(report, transitional_api.COPIES_CLOCK)
    assert copies.met_on is None
    assert copies.due == transitional_api.due_dates(report)["copies_due"]


def test_not_public_and_view_renders(report):
    with api.env.adopt_user(username="participant"):
        assert not api.user.has_permission("View", obj=report)
    with api.env.adopt_user(username="auditor"):
        html = api.content.get_view("transitional-report-view", report, report.REQUEST)()
    assert "Download the signed PDF" in html
    assert "£446,366.15" in html


def test_create_is_idempotent(portal):
    catalog = api.portal.get_tool("portal_catalog")
    before = len(catalog.unrestrictedSearchResults(portal_type="TransitionalReport"))
    transitional.create(portal)
    assert len(catalog.unrestrictedSearchResults(portal_type="TransitionalReport")) == before == 1
