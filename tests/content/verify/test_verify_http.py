"""The verify page (``@@verify``) and ``POST @verify`` over HTTP, anonymously: each kind of document gets
its answer through both; limits answer 413 and 429; the page needs its authenticator; an audit
checkpoint is checked against the site's published key."""

import re

import pytest
import transaction
from plone import api

from links.content.audit import api as audit
from links.content.canonical import canonical_hash
from links.content.integrity import sha256_hex
from links.content.signing import api as signing
from links.content.verify import issued
from links.content.verify import limits

from .cases import altered
from .cases import foreign
from .cases import resaved
from .conftest import make_members
from .conftest import make_record
from .conftest import password_of


@pytest.fixture(autouse=True)
def fresh_limits():
    limits.LIMITER.reset()
    yield
    limits.LIMITER.reset()


@pytest.fixture
def site(functional_portal):
    api.portal.set_registry_record(limits.RATE_RECORD, 1000)
    transaction.commit()
    return functional_portal


@pytest.fixture
def genuine(site):
    """A report signed off on the served site; its sealed PDF."""
    make_members()
    record = make_record(site)
    api.portal.set_registry_record(signing.QUORUM_RECORD, "2")
    for userid in ("gbm1", "gbm2"):
        signing.sign(
            record, userid, password_of(userid), "approve", expected_version=canonical_hash(record),
            request=record.REQUEST,
        )  # fmt: skip
    transaction.commit()
    return record, bytes(signing.signed_pdf(record).data)


def _rest(request_factory, **kwargs):
    return request_factory().post("/@verify", **kwargs)


def _file(data: bytes) -> dict:
    return {"files": {"file": ("document.pdf", data, "application/pdf")}}


def _page(request_factory):
    return request_factory(api=False)


def _token(session) -> str:
    page = session.get("/@@verify")
    assert page.status_code == 200
    return re.search(r'name="_authenticator" value="([^"]+)"', page.text).group(1)


def _verdict(html: str) -> str:
    return re.search(r'data-verdict="([a-z-]+)"', html).group(1)


def _post_page(session, data: bytes | None = None, **fields):
    fields = {"_authenticator": _token(session), "check": "document", **fields}
    files = {"file": ("document.pdf", data, "application/pdf")} if data is not None else None
    return session.post("/@@verify", data=fields, files=files)


def test_every_kind_of_document_through_rest_and_page(genuine, request_factory):
    record, data = genuine
    session = _page(request_factory)
    cases = [
        ("genuine", data),
        ("altered", altered(data)),
        ("resaved", resaved(data)),
        ("foreign", foreign()),
    ]
    for verdict, document in cases:
        response = _rest(request_factory, **_file(document))
        assert response.status_code == 200, response.text
        assert response.json()["verdict"] == verdict
        page = _post_page(session, document)
        assert page.status_code == 200 and _verdict(page.text) == verdict
    assert "Member 1 Name" in _post_page(session, data).text
    by_hash = _rest(request_factory, json={"sha256": sha256_hex(data)})
    assert by_hash.json()["verdict"] == "genuine"
    assert _verdict(_post_page(session, sha256=sha256_hex(data)).text) == "genuine"

    transaction.begin()
    issued.record_issue(b"%PDF- later", record, "signed-record", issued.new_issue_id(), 1, "e" * 64)
    transaction.commit()
    assert _rest(request_factory, **_file(data)).json()["verdict"] == "superseded"
    assert "no longer current" in _post_page(session, data).text

    transaction.begin()
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(record, "withdraw")
    transaction.commit()
    assert _rest(request_factory, **_file(data)).json()["verdict"] == "withdrawn"
    assert _verdict(_post_page(session, data).text) == "withdrawn"


def test_link_in_the_mark_names_the_issue(genuine, request_factory):
    _record, data = genuine
    transaction.begin()
    entry, _ = issued.lookup(sha256_hex(data))
    page = _page(request_factory).get(f"/@@verify?sha256={entry['issue_id']}")
    assert page.status_code == 200 and _verdict(page.text) == "issue-found"
    assert "Visit to Elm House" in page.text and "upload the file" in page.text


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"json": {"sha256": "not a hash"}}, 400),
        ({"json": {}}, 400),
        ({"json": ["sha256"]}, 400),
        ({"data": "{not json", "headers": {"Content-Type": "application/json"}}, 400),
        ({}, 400),
    ],
)
def test_rest_refuses_bad_input_with_400(site, request_factory, kwargs, status):
    response = _rest(request_factory, **kwargs)
    assert response.status_code == status and response.json()["message"]


def test_page_without_authenticator_is_refused(site, request_factory):
    response = _page(request_factory).post(
        "/@@verify", data={"check": "document"}, files={"file": ("a.pdf", b"%PDF-", "application/pdf")}
    )
    assert response.status_code == 403 and "expired" in response.text


def test_upload_over_the_limit_is_refused_before_reading(site, request_factory):
    api.portal.set_registry_record(limits.MAX_UPLOAD_RECORD, 2048)
    transaction.commit()
    big = b"%PDF-" + b"0" * 200_000  # over limit + envelope: refused on Content-Length
    assert _rest(request_factory, **_file(big)).status_code == 413
    just_over = b"%PDF-" + b"0" * 3000  # under the envelope: refused while reading
    response = _rest(request_factory, **_file(just_over))
    assert response.status_code == 413 and "Paste its SHA-256" in response.json()["message"]
    page = _post_page(_page(request_factory), just_over)
    assert page.status_code == 413 and "larger than" in page.text


def test_rate_limit_per_address(site, request_factory):
    api.portal.set_registry_record(limits.RATE_RECORD, 3)
    transaction.commit()
    statuses = [_rest(request_factory, json={"sha256": "0" * 64}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = _rest(request_factory, json={"sha256": "0" * 64})
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0


def test_audit_checkpoint_against_the_published_key(site, request_factory):
    import json

    audit.record("test.entry", None, {})
    transaction.commit()  # chained right after commit, in a transaction of its own
    transaction.begin()
    checkpoint = audit.checkpoint()
    transaction.commit()
    session = _page(request_factory)

    def post(text):
        return session.post(
            "/@@verify", data={"_authenticator": _token(session), "check": "checkpoint", "checkpoint": text}
        )

    good = post(json.dumps(checkpoint))
    assert good.status_code == 200 and "audit trail had" in good.text
    assert "they are unchanged" in good.text
    forged = dict(checkpoint, size=checkpoint["size"] + 1)
    assert "not signed with the network" in post(json.dumps(forged)).text
    assert post("[1, 2]").status_code == 400


@pytest.mark.parametrize(
    "fields",
    [
        {"check": "document", "sha256": ["a" * 64, "b" * 64]},
        {"check": "document"},
        {"check": ["document", "archive"], "sha256": "zz"},
        {"check": "checkpoint", "checkpoint": ["{}", "{}"]},
        {"check": "checkpoint", "checkpoint": '{"seq": true, "hash": "", "time": "", "signature": ""}'},
        {"check": "checkpoint", "checkpoint": "{" * 20000},
        {"check": "archive", "fingerprint": "a" * 64},
        {"check": "archive", "archive": "not a file", "fingerprint": ["a", "b"]},
    ],
)
def test_page_answers_hostile_forms_with_400(site, request_factory, fields):
    session = _page(request_factory)
    response = session.post("/@@verify", data={"_authenticator": _token(session), **fields})
    assert response.status_code == 400, response.text[:500]
    assert 'id="verify-error"' in response.text


def test_every_page_links_to_the_verify_page(site, request_factory):
    front = _page(request_factory).get("/", headers={"Accept": "text/html"})
    assert front.status_code == 200
    link = re.search(
        r'<li class="portletItem action-item-links_verify">\s*<a href="([^"]+)">\s*<span>([^<]+)', front.text
    )
    assert link and link.groups() == (f"{site.absolute_url()}/@@verify", "Check a document")
