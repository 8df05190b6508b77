"""The annual report over plone.restapi and HTTP: bad input is a 400 naming what to fix and changes nothing
(a year not ended, a period that is not a financial year, money lines that do not parse, a second report
for a year, editing after submission, a bad copy); clients cannot write the figures; @figures links only
the records the caller may see; @copies records the copies; the spreadsheets download."""

import importlib.util
from datetime import date
from datetime import timedelta
from pathlib import Path

import pytest
import transaction
from plone import api

_spec = importlib.util.spec_from_file_location("annual_fixtures", Path(__file__).with_name("conftest.py"))
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)

GOOD = {
    "@type": "AnnualReport",
    "title": "Annual report 2025 to 2026",
    "period_start": "2025-04-01",
    "period_end": "2026-03-31",
    "expenditure": fixtures.EXPENDITURE,
    "income": fixtures.INCOME,
}


@pytest.fixture
def folder(functional_portal):
    fixtures.create_users(functional_portal)
    with api.env.adopt_roles(["Manager"]):
        folder = api.content.create(container=functional_portal, type="Folder", id="reports", title="Reports")
        api.user.grant_roles(username="staff", obj=folder, roles=["Contributor"])
    transaction.commit()
    return folder


@pytest.fixture
def session(request_factory, folder):
    def make(userid=None):
        if userid is None:
            return request_factory()
        return request_factory(basic_auth=(userid, fixtures.PASSWORD))

    return make


def _reports(folder):
    transaction.begin()
    return [o for o in folder.objectValues() if o.portal_type == "AnnualReport"]


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"period_end": (date.today() + timedelta(days=1)).isoformat()}, "has not ended yet"),
        ({"period_start": "2025-04-02"}, "1 April to 31 March"),
        ({"period_start": "2024-04-01"}, "1 April to 31 March"),
        ({"expenditure": "Staff salaries: 42,000.00\nRoom hire: about a thousand"}, "Line 2"),
        ({"income": "Council grant 45000"}, "heading, a colon and the amount"),
    ],
)
def test_bad_input_is_400_and_creates_nothing(session, folder, changes, fragment):
    response = session("staff").post("/reports", json={**GOOD, **changes})
    assert response.status_code == 400, response.text
    assert fragment in response.text, response.text
    assert _reports(folder) == []


def test_a_second_report_for_the_year_is_400_naming_the_first(session, folder):
    staff = session("staff")
    first = staff.post("/reports", json=GOOD)
    assert first.status_code == 201, first.text
    second = staff.post("/reports", json={**GOOD, "title": "Another go"})
    assert second.status_code == 400, second.text
    assert "Annual report 2025 to 2026" in second.text and first.json()["@id"] in second.text
    assert len(_reports(folder)) == 1


def test_figures_cannot_be_written_by_clients(session, folder):
    staff = session("staff")
    created = staff.post("/reports", json={**GOOD, "activities": '{"forged": true}', "counted_records": "{}"})
    assert created.status_code == 201, created.text
    path = "/reports/" + created.json()["id"]
    assert created.json()["activities"] is None
    assert "counted_records" not in created.json()  # nobody reads it as a field
    refused = staff.patch(path, json={"activities": '{"forged": true}'})
    assert refused.status_code == 400 and "Activities of the period" in refused.json()["message"]
    assert staff.get(path).json()["activities"] is None


def test_submit_lock_sign_publish_and_send_copies(session, folder, functional_portal):
    staff = session("staff")
    created = staff.post("/reports", json=GOOD)
    path = "/reports/" + created.json()["id"]
    assert staff.patch(path, json={"achievements": "<p>We did well.</p>"}).status_code == 204
    # Drafts are for the governing body, the host and the auditors.
    assert session("participant").get(path).status_code in (401, 403)
    assert session().get(path).status_code == 401
    assert session("auditor").get(path).status_code == 200

    assert staff.post(f"{path}/@workflow/submit").status_code == 200
    assert '"complaints"' in staff.get(path).json()["activities"]
    # Editing after submission: a 400 naming the fields and the state; nothing changes.
    refused = staff.patch(path, json={"income": "Council grant: 1.00", "title": "New title"})
    assert refused.status_code == 400, refused.text
    message = refused.json()["message"]
    assert "Income by source" in message and "Title" in message and "Awaiting sign-off" in message
    assert staff.get(path).json()["income"] == fixtures.INCOME

    for userid in fixtures.MEMBERS[:2]:
        read = session(userid).get(f"{path}/@signatures").json()["status"]["current"]["sha256"]
        body = {"password": fixtures.PASSWORD, "meaning": "approve", "expected_version": read}
        signed = session(userid).post(f"{path}/@sign", json=body)
        assert signed.status_code == 201, signed.text
    assert session("gbm1").post(f"{path}/@workflow/publish").status_code == 200
    assert session().get(path).status_code == 200  # public now

    # Copies: a bad one is a 400 and changes nothing; the last one completes the report.
    for body, fragment in (
        ({"recipient": "The Queen", "sent_on": date.today().isoformat()}, "not on this report's list"),
        ({"recipient": "The Care Quality Commission", "sent_on": "next Tuesday"}, "is not a date"),
        ({"recipient": "The Care Quality Commission", "sent_on": "2999-01-01"}, "cannot be in the future"),
        (["not", "an", "object"], "Send an object"),
    ):
        bad = staff.post(f"{path}/@copies", json=body)
        assert bad.status_code == 400 and fragment in bad.json()["message"], bad.text
    assert not any(item["sent_on"] for item in staff.get(f"{path}/@copies").json()["items"])
    assert (
        session().post(f"{path}/@copies", json={"recipient": "x", "sent_on": "2026-06-01"}).status_code == 401
    )
    plain = staff.post(
        f"{path}/@copies",
        data='{"recipient": "The host organisation", "sent_on": "2026-06-01"}',
        headers={"Content-Type": "text/plain"},
    )
    assert plain.status_code == 400 and "JSON" in plain.json()["message"]  # no cross-site form posts

    recipients = [item["recipient"] for item in staff.get(f"{path}/@copies").json()["items"]]
    for name in recipients:
        answer = staff.post(f"{path}/@copies", json={"recipient": name, "sent_on": date.today().isoformat()})
        assert answer.status_code == 200, answer.text
    assert answer.json()["complete"] is True
    assert staff.get(path).json()["review_state"] == "copies_sent"
    public = session().get(f"{path}/@copies").json()
    assert all(item["sent_on"] and item["recorded_by"] is None for item in public["items"])


def test_figures_service_and_spreadsheets(session, folder, functional_portal):
    with api.env.adopt_roles(["Manager"]):
        records = fixtures.create_records(functional_portal)
        report = fixtures.make_report(functional_portal)
        fixtures.submit_and_sign(report)
        api.content.transition(report, transition="publish")
    complaint = records["complaint-first"]
    transaction.commit()
    path = f"/{report.getId()}"
    public = session().get(f"{path}/@figures").json()
    assert {s["key"]: s["total"] for s in public["figures"]["sections"]}["complaints"] == 2
    assert complaint.Title() not in str(public["records"])
    officer = session("officer").get(f"{path}/@figures").json()
    assert officer["records"]["complaints"]["Upheld"] == [
        {"@id": complaint.absolute_url(), "title": complaint.Title()}
    ]
    csv = session().get(f"{path}/@@figures.csv")
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in csv.headers["Content-Disposition"]
    assert '"Complaints received, by outcome",Upheld,1' in csv.content.decode("utf-8-sig")
    ods = session().get(f"{path}/@@figures.ods")
    assert ods.status_code == 200 and ods.content[:2] == b"PK"
