"""The audit trail over HTTP: entries chained after commit, @audit filters and paging, 400 for bad filters,
auditor-only access, streamed exports, @audit-verify, confidential views and failed logins kept out of the
ZODB, and Zope Undo showing up as an event."""

import json

import pytest
import transaction
from plone import api
from zope.interface import alsoProvides

from links.content.audit import readstore
from links.content.audit.storage import get_log
from links.content.interfaces import IConfidentialRecord
from links.content.roles import COUNCIL_AUDITOR
from links.content.roles import HOST_STAFF
from links.content.testing import add_users

PASSWORD = "secret-password-1"


@pytest.fixture
def record(functional_portal):
    portal = functional_portal
    with api.env.adopt_roles(["Manager"]):
        add_users(portal, {"auditor": [COUNCIL_AUDITOR], "staff": [HOST_STAFF]}, PASSWORD)
        doc = api.content.create(container=portal, type="Document", id="complaint", title="A complaint")
        alsoProvides(doc, IConfidentialRecord)
        doc.reindexObject()
        api.content.create(container=portal, type="Document", id="minutes", title="Minutes")
    transaction.commit()
    return doc


def test_trail_is_chained_after_commit_and_readable_by_auditors(record, request_factory, functional_portal):
    transaction.begin()
    log = get_log(functional_portal)
    assert not log.queue.batches and log.last_seq > 0  # chained by the after-commit hook

    auditor = request_factory(basic_auth=("auditor", PASSWORD))
    response = auditor.get("/complaint/@audit")
    assert response.status_code == 200, response.text
    actions = [item["action"] for item in response.json()["items"]]
    assert "record.created" in actions

    page = auditor.get("/@audit", params={"b_size": 2, "b_start": 1}).json()
    assert page["items_total"] == log.last_seq and [i["seq"] for i in page["items"]] == [2, 3]
    created = auditor.get("/@audit", params={"action": "principal.created"}).json()
    assert created["items_total"] == 2

    # Edits over REST: before/after for an ordinary record, field names only for a confidential one.
    manager = request_factory(role="Manager")
    assert manager.patch("/minutes", json={"title": "Minutes of 23 November"}).status_code == 204
    assert manager.patch("/complaint", json={"title": "Complaint from Ms X"}).status_code == 204
    edit = auditor.get("/minutes/@audit", params={"action": "record.modified"}).json()["items"][-1]
    assert edit["details"]["changes"]["title"] == {"before": "Minutes", "after": "Minutes of 23 November"}
    secret = auditor.get("/complaint/@audit", params={"action": "record.modified"}).json()["items"][-1]
    assert secret["details"] == {"fields": ["title"]}
    transaction.begin()

    verify = auditor.get("/@audit-verify").json()
    assert verify["ok"] and verify["zodb"]["entries"] == log.last_seq

    html = request_factory(basic_auth=("auditor", PASSWORD), api=False).get("/complaint/@@history-and-audit")
    assert html.status_code == 200 and "History and audit" in html.text and "Created as" in html.text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "23/11/2026"}, "ISO date"),
        ({"from": "2026-11-23", "to": "2026-11-01"}, "after"),
        ({"b_size": "lots"}, "whole number"),
        ({"b_size": "100000"}, "between"),
    ],
)
def test_malformed_filters_are_400(record, request_factory, params, message):
    response = request_factory(basic_auth=("auditor", PASSWORD)).get("/@audit", params=params)
    assert response.status_code == 400, response.text
    assert message in response.json()["message"]


def test_only_auditors_and_managers_read_and_auditors_change_nothing(record, request_factory):
    for session in (request_factory(), request_factory(basic_auth=("staff", PASSWORD))):
        for path in ("/@audit", "/complaint/@audit", "/@audit-verify", "/@audit-export"):
            assert session.get(path).status_code in (401, 403), path
    assert request_factory(role="Manager").get("/@audit").status_code == 200
    auditor = request_factory(basic_auth=("auditor", PASSWORD))
    response = auditor.patch("/complaint", json={"title": "Changed by an auditor"})
    assert response.status_code in (401, 403)
    transaction.begin()
    assert record.Title() == "A complaint"


def test_exports_stream_csv_and_jsonl(record, request_factory, functional_portal):
    auditor = request_factory(basic_auth=("auditor", PASSWORD))
    response = auditor.get("/@audit-export", params={"format": "jsonl"}, stream=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.iter_lines() if line]
    transaction.begin()
    assert [e["seq"] for e in lines] == list(range(1, get_log(functional_portal).last_seq + 1))
    response = auditor.get("/@audit-export", params={"format": "csv", "action": "record.created"})
    assert response.status_code == 200 and response.text.startswith("seq,timestamp,actor,action")
    assert response.text.count("record.created") >= 1
    assert auditor.get("/@audit-export", params={"format": "xml"}).status_code == 400
    exported = [e for e in readstore.read(functional_portal.getId()) if e["action"] == "audit.exported"]
    assert [e["details"]["format"] for e in exported] == ["jsonl", "csv"]


def test_confidential_views_and_failed_logins_do_not_write_the_zodb(
    record, request_factory, functional_portal
):
    transaction.begin()
    head = get_log(functional_portal).last_seq
    staff = request_factory(role="Manager", api=False)
    assert staff.get("/complaint", headers={"Accept": "text/html"}).status_code == 200
    assert request_factory(role="Manager").get("/complaint").status_code == 200
    failed = request_factory().post("/@login", json={"login": "staff", "password": "wrong"})
    assert failed.status_code == 401
    transaction.begin()
    assert get_log(functional_portal).last_seq == head
    reads = list(readstore.read(functional_portal.getId()))
    assert [e["action"] for e in reads] == ["record.viewed", "record.viewed", "login.failed"]
    assert reads[0]["uid"] == record.UID()
    assert reads[2]["details"]["login"] == "staff"
