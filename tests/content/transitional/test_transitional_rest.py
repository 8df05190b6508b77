"""The transitional report over plone.restapi: bad input is a 400 naming what to fix and changes nothing;
the figures cannot be written by clients; drafts are hidden; the governing body signs it off with @sign."""

import importlib.util
from pathlib import Path

import pytest
import transaction
from plone import api

_spec = importlib.util.spec_from_file_location(
    "transitional_fixtures", Path(__file__).with_name("conftest.py")
)
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)

GOOD = {
    "@type": "TransitionalReport",
    "title": "Transitional report 2025 to 2026",
    "period_start": "2025-04-01",
    "period_end": "2026-03-31",
    "ceased_on": "2026-03-31",
    "expenditure": fixtures.EXPENDITURE,
}


@pytest.fixture
def folder(functional_portal):
    fixtures.create_users(functional_portal)
    with api.env.adopt_roles(["Manager"]):
        folder = api.content.create(
            container=functional_portal, type="Folder", id="handover", title="Handover"
        )
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
    return [o for o in folder.objectValues() if o.portal_type == "TransitionalReport"]


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"expenditure": "Staff salaries: 42,000.00\nRoom hire: about a thousand"}, "Line 2"),
        ({"expenditure": "Room hire 980"}, "heading, a colon and the amount"),
        ({"period_start": "2026-03-31", "period_end": "2025-04-01"}, "end after it starts"),
        ({"period_end": "2999-01-01"}, "future"),
        ({"sent_to_council": "2026-01-01"}, "before the end of the period"),
    ],
)
def test_bad_input_is_400_and_creates_nothing(session, folder, changes, fragment):
    response = session("staff").post("/handover", json={**GOOD, **changes})
    assert response.status_code == 400, response.text
    assert fragment in response.json()["message"], response.text
    assert _reports(folder) == []


def test_create_patch_submit_and_sign_off(session, folder, helpers):
    staff = session("staff")
    created = staff.post("/handover", json={**GOOD, "activities": '{"forged": true}'})
    assert created.status_code == 201, created.text
    path = "/handover/" + created.json()["id"]
    assert created.json()["activities"] is None  # read-only: the figures come from the records
    assert created.json()["review_state"] == "draft"

    refused = staff.patch(path, json={"expenditure": "Room hire: £9.999"})
    assert refused.status_code == 400 and "Line 1" in refused.json()["message"], refused.text
    assert staff.get(path).json()["expenditure"] == fixtures.EXPENDITURE

    # Nobody outside the governing body, the host and the auditors reads a draft.
    assert session("participant").get(path).status_code in (401, 403)
    assert session().get(path).status_code == 401
    assert session("auditor").get(path).status_code == 200

    assert staff.post(f"{path}/@workflow/submit").status_code == 200
    submitted = staff.get(path).json()
    assert submitted["review_state"] == "pending_signoff"
    assert '"information_requests"' in submitted["activities"]

    for userid in helpers.MEMBERS[:2]:
        read = session(userid).get(f"{path}/@signatures").json()["status"]["current"]["sha256"]
        body = {"password": fixtures.PASSWORD, "meaning": "approve", "expected_version": read}
        signed = session(userid).post(f"{path}/@sign", json=body)
        assert signed.status_code == 201, signed.text
    assert staff.get(path).json()["review_state"] == "signed_off"
    signatures = session("gbm3").get(f"{path}/@signatures").json()
    assert signatures

    # After sign-off host staff record the copies; the signed text itself stays as signed.
    assert staff.patch(path, json={"sent_to_host": "2026-04-02"}).status_code == 204
    staff.patch(path, json={"expenditure": "Room hire: 1.00"})
    after = staff.get(path).json()
    assert after["sent_to_host"] == "2026-04-02"
    assert after["expenditure"] == fixtures.EXPENDITURE
