"""FOI over HTTP: redactions, bundle build and download, held-information search, the public
disclosure log (REST and page), permissions."""

from datetime import date

import pytest
import transaction
from plone import api

from .conftest import PASSWORD
from .conftest import answer
from .conftest import create_folder
from .conftest import create_users
from .conftest import request_data


@pytest.fixture
def setup(functional_portal):
    from links.content.foi import api as foi

    with api.env.adopt_roles(["Manager"]):
        create_users(functional_portal)
        folder = create_folder(functional_portal)
        record = api.content.create(
            container=folder,
            type="InformationRequest",
            id="discharge",
            title="Discharge delays",
            addressee="Northbridge General Hospital",
            addressee_kind="provider",
            questions="Why was Mr Arthur Penhaligon kept waiting?",
        )
    with api.env.adopt_user(username="staff"):
        request = foi.create_request(folder, **request_data(received=date.today()))
    transaction.commit()
    return request, record


def test_redact_build_and_download(setup, request_factory):
    request, record = setup
    session = request_factory(basic_auth=("staff", PASSWORD))
    base = f"/foi/{request.getId()}"
    response = session.post(
        f"{base}/@redactions",
        json={
            "target": record.UID(),
            "version": 0,
            "field": "questions",
            "text": "Mr Arthur Penhaligon",
            "exemption": "s40",
            "reason": "Names a patient.",
        },
    )
    assert response.status_code == 201, response.text
    assert response.json()["citation"] == "s.40 FOIA: personal data"
    bad = session.post(f"{base}/@redactions", json={"target": record.UID()})
    assert bad.status_code == 400 and "Missing" in bad.json()["message"]
    assert session.get(f"{base}/@disclosure-bundle").status_code == 404
    response = session.post(f"{base}/@disclosure-bundle", json={"items": [{"uid": record.UID()}]})
    assert response.status_code == 201, response.text
    assert response.json()["manifest"]["items"][0]["version"] == 0
    bad = session.post(f"{base}/@disclosure-bundle", json={"items": [{"uid": "nope"}]})
    assert bad.status_code == 400 and "no record" in bad.json()["message"]
    auditor = request_factory(basic_auth=("auditor", PASSWORD))
    got = auditor.get(f"{base}/@disclosure-bundle")
    assert got.status_code == 200, got.text
    assert got.json()["manifest"]["seal"]
    assert auditor.get(f"{base}/@redactions").json()["items_total"] == 1
    assert auditor.post(
        f"{base}/@disclosure-bundle", json={"items": [{"uid": record.UID()}]}
    ).status_code in (401, 403)
    pdf = session.get(f"{request.absolute_url()}/@@disclosure-bundle.pdf".replace("/++api++", ""))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_search(setup, request_factory):
    request, record = setup
    session = request_factory(basic_auth=("staff", PASSWORD))
    response = session.get(f"/foi/{request.getId()}/@foi-search", params={"q": "Penhaligon"})
    assert response.status_code == 200, response.text
    assert [i["uid"] for i in response.json()["items"]] == [record.UID()]
    assert session.get(f"/foi/{request.getId()}/@foi-search").status_code == 400
    bad = session.get(f"/foi/{request.getId()}/@foi-search", params={"q": "x", "on": "May"})
    assert bad.status_code == 400 and "date" in bad.json()["message"]


@pytest.mark.parametrize("userid", ["participant", "member"])
def test_others_cannot_see_requests(setup, request_factory, userid):
    request, _ = setup
    session = request_factory(basic_auth=(userid, PASSWORD))
    assert session.get(f"/foi/{request.getId()}").status_code in (401, 403, 404)


def test_disclosure_log_is_public_and_anonymous(setup, request_factory, functional_portal):
    import requests

    request, _ = setup
    with api.env.adopt_roles(["Manager"]):
        answer(request, outcome="disclosed")
    transaction.commit()
    anonymous = request_factory()
    response = anonymous.get("/@disclosure-log")
    assert response.status_code == 200, response.text
    [entry] = response.json()["items"]
    assert entry["reference"] == request.reference
    assert "Brenda" not in response.text
    assert anonymous.get(f"/foi/{request.getId()}").status_code in (401, 403, 404)
    assert anonymous.get("/@disclosure-log", params={"b_start": "x"}).status_code == 400
    page = requests.get(f"{functional_portal.absolute_url()}/@@disclosure-log", timeout=30)
    assert page.status_code == 200
    assert request.reference in page.text and "Brenda" not in page.text
    assert "<caption" in page.text


def test_request_received_in_the_future_is_a_field_error(setup, request_factory):
    session = request_factory(basic_auth=("staff", PASSWORD))
    before = len(api.portal.get()["foi"].objectIds())
    data = {k: v for k, v in request_data().items() if k != "received"}
    refused = session.post("/foi", json={"@type": "FOIRequest", "received": "2099-01-05", **data})
    assert refused.status_code == 400, refused.text
    assert "cannot be in the future" in refused.text
    transaction.begin()
    assert len(api.portal.get()["foi"].objectIds()) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"received": "1999-12-31"}, "before 1 January 2000"),
        ({"received": "1899-12-31"}, "before 1 January 1900"),
        ({"request_text": "x" * 100_001}, "request_text"),
        ({"summary": "x" * 301}, "summary"),
        ({"requester_contact": "x" * 10_001}, "requester_contact"),
    ],
)
def test_implausible_or_oversized_request_is_refused(setup, request_factory, change, message):
    session = request_factory(basic_auth=("staff", PASSWORD))
    before = len(api.portal.get()["foi"].objectIds())
    data = {**request_data(), "received": date.today().isoformat(), **change}
    refused = session.post("/foi", json={"@type": "FOIRequest", **data})
    assert refused.status_code == 400, refused.text
    assert message in refused.json()["message"]
    transaction.begin()
    assert len(api.portal.get()["foi"].objectIds()) == before


def test_late_request_is_accepted_with_a_reason(setup, request_factory):
    session = request_factory(basic_auth=("staff", PASSWORD))
    data = {**request_data(), "received": "2025-01-06", "late_reason": "Sent to the wrong office."}
    created = session.post("/foi", json={"@type": "FOIRequest", **data})
    assert created.status_code == 201, created.text
    transaction.begin()
    request = api.portal.get()["foi"][created.json()["@id"].rsplit("/", 1)[1]]
    assert request.reference == "FOI-2025-0001" and request.late_reason == "Sent to the wrong office."
