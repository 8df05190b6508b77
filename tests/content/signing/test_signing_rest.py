"""POST <record>/@sign, POST <record>/@sign-off and GET <record>/@signatures over HTTP: 201 on success,
specific 4xx otherwise, and nothing changes on error."""

import importlib.util
from pathlib import Path

import pytest
import transaction
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

from links.content.canonical import canonical_hash
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


@pytest.fixture
def functional_tsa(functional):
    server = functional["tsa"]
    yield server
    server.mode = "ok"


def _session(request_factory, userid, password=None):
    return request_factory(basic_auth=(userid, password or fixtures.password_of(userid)))


def _path(record):
    return "/" + record.getId()


def _body(record, userid, **extra):
    transaction.begin()
    return {
        "password": fixtures.password_of(userid),
        "meaning": "approve",
        "expected_version": canonical_hash(record),
    } | extra


def test_sign_and_list(report, request_factory):
    session = _session(request_factory, "gbm1")
    current = session.get(f"{_path(report)}/@signatures").json()["status"]["current"]
    response = session.post(
        f"{_path(report)}/@sign",
        json={
            "password": fixtures.password_of("gbm1"),
            "meaning": "approve",
            "expected_version": current["sha256"],
        },
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
    ("body", "status", "fragment"),
    [
        ({"password": "wrong"}, 400, "password"),
        ({"password": None}, 400, "password"),
        ({"meaning": "maybe"}, 400, "approve"),
        ({"meaning": "reject"}, 400, "reason"),
        ({"expected_version": None}, 400, "expected_version"),
        ({"expected_version": "0" * 64}, 409, "changed"),
        ({"expected_version": {"a": 1}}, 400, "expected_version"),
        ({"password": ["a", "list"]}, 400, "password"),
        ({"reason": "x" * 6000, "meaning": "reject"}, 400, "too long"),
    ],
)
def test_bad_input_changes_nothing(report, request_factory, body, status, fragment):
    payload = {k: v for k, v in (_body(report, "gbm1") | body).items() if v is not None}
    response = _session(request_factory, "gbm1").post(f"{_path(report)}/@sign", json=payload)
    assert response.status_code == status, response.text
    assert fragment in response.json()["message"]
    transaction.begin()
    assert get_store(report) is None or not len(get_store(report).signatures)


@pytest.mark.parametrize("raw", [b"[1, 2]", b"not json", b'"text"'])
def test_a_body_that_is_not_an_object_is_400(report, request_factory, raw):
    response = _session(request_factory, "gbm1").post(
        f"{_path(report)}/@sign", data=raw, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["message"]


def test_signing_twice_is_409(report, request_factory):
    session = _session(request_factory, "gbm2")
    assert session.post(f"{_path(report)}/@sign", json=_body(report, "gbm2")).status_code == 201
    response = session.post(f"{_path(report)}/@sign", json=_body(report, "gbm2"))
    assert response.status_code == 409
    assert "already signed" in response.json()["message"]
    transaction.begin()
    assert len(get_store(report).signatures) == 1


def test_not_a_member_is_refused(report, request_factory):
    response = _session(request_factory, "outsider", "outsider-pw-1").post(
        f"{_path(report)}/@sign",
        json={"password": "outsider-pw-1", "meaning": "approve", "expected_version": "1"},
    )
    assert response.status_code in (401, 403)
    transaction.begin()
    assert get_store(report) is None


def test_not_signable_state_is_409(functional_portal, report, request_factory):
    draft = fixtures.make_record(functional_portal, title="Draft visit", submit=False)
    transaction.commit()
    response = _session(request_factory, "gbm1").post(f"{_path(draft)}/@sign", json=_body(draft, "gbm1"))
    assert response.status_code == 409, response.text
    assert "Draft" in response.json()["message"]


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
    response = _session(request_factory, "gbm3").post(f"{_path(report)}/@sign", json=_body(report, "gbm3"))
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
            f"{_path(report)}/@sign", json=_body(report, userid)
        )
        assert response.status_code == 201, response.text
    assert response.json()["status"]["state"] == "signed_off"
    data = _session(request_factory, "gbm1").get(f"{_path(report)}/@signatures").json()
    assert data["status"]["state"] == "signed_off"
    assert data["signed_pdf"].endswith("/@@signed-pdf")
    pdf = request_factory(basic_auth=("gbm1", fixtures.password_of("gbm1")), api=False).get(
        f"{_path(report)}/@@signed-pdf"
    )
    assert pdf.status_code == 200
    assert pdf.headers["Content-Type"].startswith("application/pdf")
    assert pdf.content.startswith(b"%PDF")


def test_signoff_failure_then_completion_over_rest(report, request_factory, functional_tsa):
    api.portal.set_registry_record(signing.QUORUM_RECORD, "1")
    transaction.commit()
    functional_tsa.mode = "error"
    response = _session(request_factory, "gbm1").post(f"{_path(report)}/@sign", json=_body(report, "gbm1"))
    assert response.status_code == 201, response.text  # the signature stands
    status = response.json()["status"]
    assert status["state"] == "pending_signoff" and "HTTP 500" in status["signoff_error"]["message"]
    # Still failing: 503 with what to fix, kept for the sign page.
    response = _session(request_factory, "gbm2").post(f"{_path(report)}/@sign-off")
    assert response.status_code == 503 and "timestamp" in response.json()["message"]
    response = _session(request_factory, "outsider", "outsider-pw-1").post(f"{_path(report)}/@sign-off")
    assert response.status_code in (401, 403)
    functional_tsa.mode = "ok"
    response = _session(request_factory, "gbm2").post(f"{_path(report)}/@sign-off")
    assert response.status_code == 200, response.text
    assert response.json()["status"]["state"] == "signed_off"
    response = _session(request_factory, "gbm2").post(f"{_path(report)}/@sign-off")
    assert response.status_code == 409


def test_rest_patch_supersedes_and_tells_the_signers(report, request_factory, functional_mailhost):
    response = _session(request_factory, "gbm1").post(f"{_path(report)}/@sign", json=_body(report, "gbm1"))
    assert response.status_code == 201
    functional_mailhost.reset()
    owner = request_factory(basic_auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
    response = owner.patch(_path(report), json={"title": "Visit to Elm House (retitled)"})
    assert response.status_code == 204, response.text
    data = _session(request_factory, "gbm2").get(f"{_path(report)}/@signatures").json()
    assert [i["status"] for i in data["items"]] == ["superseded"]
    assert data["status"]["superseded"][0]["signers"] == ["Member 1 Name"]
    assert [to for to, _subject, _body in fixtures.mails(functional_mailhost)] == ["gbm1@example.org"]


def _wrong(report, request_factory, userid="gbm4"):
    return _session(request_factory, userid).post(
        f"{_path(report)}/@sign", json=_body(report, userid, password="not-it")
    )


def test_wrong_passwords_lock_signing_with_429(report, request_factory):
    for attempt in range(4):
        response = _wrong(report, request_factory)
        assert response.status_code == 400 and f"{4 - attempt} more" in response.json()["message"]
    response = _wrong(report, request_factory)
    assert response.status_code == 429, response.text
    body = response.json()
    assert "locked" in body["message"] and body["locked_until"]
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    # The right password is refused too while the lock lasts.
    response = _session(request_factory, "gbm4").post(f"{_path(report)}/@sign", json=_body(report, "gbm4"))
    assert response.status_code == 429
    transaction.begin()
    assert get_store(report) is None or not len(get_store(report).signatures)


def test_failed_basic_auth_logins_are_audited_and_lock_signing(report, request_factory, read_events):
    for _attempt in range(5):
        response = request_factory(basic_auth=("gbm5", "guessing")).get(f"{_path(report)}/@signatures")
        assert response.status_code in (200, 401)  # answered as to an anonymous visitor
    failures = [e for e in read_events if e["action"] == "login.failed"]
    assert len(failures) == 5
    assert failures[0]["details"]["login"] == "gbm5" and failures[0]["details"]["via"] == "basic-auth"
    assert failures[0]["details"]["client"] == "127.0.0.1"
    assert [e["action"] for e in read_events].count("signing.locked") == 1
    response = _session(request_factory, "gbm5").post(f"{_path(report)}/@sign", json=_body(report, "gbm5"))
    assert response.status_code == 429
