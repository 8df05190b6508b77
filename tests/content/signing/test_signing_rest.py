"""POST <record>/@sign and GET <record>/@signatures over HTTP: 201 on success, specific 4xx otherwise,
and nothing changes on error."""

import importlib.util
from pathlib import Path

import pytest
import transaction
from plone import api

from links.content.signing import api as signing
from links.content.signing.storage import get_store

_spec = importlib.util.spec_from_file_location("signing_fixtures", Path(__file__).with_name("conftest.py"))
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)


@pytest.fixture
def report(functional_portal):
    fixtures.make_members()
    record = fixtures.make_record(functional_portal)
    api.user.create(email="out@example.org", username="outsider", password="outsider-pw-1")
    transaction.commit()
    return record


def _session(request_factory, userid, password=None):
    return request_factory(basic_auth=(userid, password or fixtures.password_of(userid)))


def _path(record):
    return "/" + record.getId()


def test_sign_and_list(report, request_factory):
    session = _session(request_factory, "gbm1")
    response = session.post(
        f"{_path(report)}/@sign", json={"password": fixtures.password_of("gbm1"), "meaning": "approve"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["signature"]["signer"] == "gbm1"
    assert body["signature"]["printed_name"] == "Member 1 Name"
    assert body["status"]["approvals"] == 1 and body["status"]["required"] == 4
    response = session.get(f"{_path(report)}/@signatures")
    assert response.status_code == 200, response.text
    data = response.json()
    [item] = data["items"]
    assert item["verification"] == {"seal_valid": True, "hash_matches": True}
    assert item["status"] == "valid"
    assert {m["userid"] for m in data["status"]["not_signed"]} == {f"gbm{i}" for i in range(2, 8)}
    assert data["public_key"].startswith("-----BEGIN PUBLIC KEY-----")
    assert data["signed_pdf"] is None


@pytest.mark.parametrize(
    ("userid", "body", "status", "fragment"),
    [
        ("gbm1", {"password": "wrong", "meaning": "approve"}, 400, "password"),
        ("gbm1", {"meaning": "approve"}, 400, "password"),
        ("gbm1", {"password": None, "meaning": "maybe"}, 400, "approve"),
        ("gbm1", {"password": None, "meaning": "reject"}, 400, "reason"),
        ("gbm1", {"password": None, "meaning": "approve", "expected_version": "0" * 64}, 409, "changed"),
    ],
)
def test_bad_input_changes_nothing(report, request_factory, userid, body, status, fragment):
    if "password" in body and body["password"] is None:
        body["password"] = fixtures.password_of(userid)
    response = _session(request_factory, userid).post(f"{_path(report)}/@sign", json=body)
    assert response.status_code == status, response.text
    assert fragment in response.json()["message"]
    transaction.begin()
    assert get_store(report) is None or not len(get_store(report).signatures)


def test_signing_twice_is_409(report, request_factory):
    session = _session(request_factory, "gbm2")
    body = {"password": fixtures.password_of("gbm2"), "meaning": "approve"}
    assert session.post(f"{_path(report)}/@sign", json=body).status_code == 201
    response = session.post(f"{_path(report)}/@sign", json=body)
    assert response.status_code == 409
    assert "already signed" in response.json()["message"]
    transaction.begin()
    assert len(get_store(report).signatures) == 1


def test_not_a_member_is_refused(report, request_factory):
    response = _session(request_factory, "outsider", "outsider-pw-1").post(
        f"{_path(report)}/@sign", json={"password": "outsider-pw-1", "meaning": "approve"}
    )
    assert response.status_code in (401, 403)
    transaction.begin()
    assert get_store(report) is None


def test_not_signable_state_is_409(functional_portal, report, request_factory):
    draft = fixtures.make_record(functional_portal, title="Draft visit", submit=False)
    transaction.commit()
    response = _session(request_factory, "gbm1").post(
        f"{_path(draft)}/@sign", json={"password": fixtures.password_of("gbm1"), "meaning": "approve"}
    )
    assert response.status_code == 409, response.text
    assert "draft" in response.json()["message"]


def test_recused_member_refused_naming_declaration(functional_portal, report, request_factory, monkeypatch):
    from links.content.declarations import api as declarations

    with api.env.adopt_roles(["Manager"]):
        declaration = api.content.create(
            container=functional_portal, type="Document", title="Gbm3: trustee of Elm House"
        )
    transaction.commit()
    provider_uids = declarations.providers_of(report)
    monkeypatch.setattr(
        declarations,
        "conflicting_declarations",
        lambda userid, uids, on=None: [declaration] if userid == "gbm3" and set(uids) & provider_uids else [],
    )
    response = _session(request_factory, "gbm3").post(
        f"{_path(report)}/@sign", json={"password": fixtures.password_of("gbm3"), "meaning": "approve"}
    )
    assert response.status_code == 403, response.text
    body = response.json()
    assert "Gbm3: trustee of Elm House" in body["message"]
    assert body["declaration"]["title"] == "Gbm3: trustee of Elm House"
    transaction.begin()
    assert not len(get_store(report).signatures)
    assert [r["userid"] for r in signing.recusals(report)] == ["gbm3"]


def test_quorum_over_rest_signs_off_and_serves_pdf(report, request_factory):
    api.portal.set_registry_record(signing.QUORUM_RECORD, "2")
    transaction.commit()
    for userid in ("gbm1", "gbm2"):
        response = _session(request_factory, userid).post(
            f"{_path(report)}/@sign", json={"password": fixtures.password_of(userid), "meaning": "approve"}
        )
        assert response.status_code == 201, response.text
    data = _session(request_factory, "gbm1").get(f"{_path(report)}/@signatures").json()
    assert data["status"]["state"] == "signed_off"
    assert data["signed_pdf"].endswith("/@@signed-pdf")
    pdf = request_factory(basic_auth=("gbm1", fixtures.password_of("gbm1")), api=False).get(
        f"{_path(report)}/@@signed-pdf"
    )
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"].startswith("application/pdf")
    assert pdf.content.startswith(b"%PDF")
