"""What the audit trail records, in the same transaction as the change, and how verification catches an
entry altered or removed at the ZODB level."""

import pytest
import transaction
from plone import api
from zope.event import notify
from zope.interface import alsoProvides
from zope.lifecycleevent import Attributes
from zope.lifecycleevent import ObjectModifiedEvent

from links.content.audit import api as audit
from links.content.audit import readstore
from links.content.audit.exceptions import InvalidFilter
from links.content.audit.storage import buffered
from links.content.audit.storage import get_log
from links.content.events import RecordEvent
from links.content.integrity import encode
from links.content.interfaces import IConfidentialRecord


@pytest.fixture
def site(portal):
    portal.portal_workflow.setChainForPortalTypes(["Document"], ["simple_publication_workflow"])
    return portal


@pytest.fixture
def doc(site):
    with api.env.adopt_roles(["Manager"]):
        return api.content.create(container=site, type="Document", id="minutes", title="Minutes")


def chained(site, **filters):
    audit.chain_now(site)
    return audit.entries(audit.parse_filters(filters), limit=1000, site=site)[1]


def actions(entries):
    return [e["action"] for e in entries]


def test_creation_is_queued_in_the_same_transaction(site, doc):
    pending = buffered()
    # Nothing is chained yet, but the entry is already part of this (uncommitted) transaction.
    assert any(e["action"] == "record.created" and e["uid"] == doc.UID() for e in pending)
    entries = chained(site, uid=doc.UID())
    assert "record.created" in actions(entries)
    assert entries[0]["details"]["title"] == "Minutes"


def test_edit_names_the_changed_fields(doc, site):
    doc.title = "Minutes of 23 November"
    notify(ObjectModifiedEvent(doc, Attributes(None, "IDublinCore.title")))
    entry = chained(site, uid=doc.UID(), action="record.modified")[-1]
    assert entry["details"]["fields"] == ["title"]
    assert entry["details"]["changes"]["title"]["after"] == "Minutes of 23 November"


def test_confidential_edit_records_field_names_only(doc, site):
    alsoProvides(doc, IConfidentialRecord)
    doc.title = "Secret name of a complainant"
    notify(ObjectModifiedEvent(doc, Attributes(None, "IDublinCore.title")))
    entry = chained(site, uid=doc.UID(), action="record.modified")[-1]
    assert entry["details"] == {"fields": ["title"]}
    assert "Secret" not in encode(entry)


def test_workflow_transition_and_domain_events(doc, site):
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(doc, "publish")
    notify(RecordEvent(doc, {"clock": "foi-response"}, actor="officer", action="clock.paused"))
    entries = chained(site, uid=doc.UID())
    transition = [e for e in entries if e["action"] == "workflow.transition"][-1]
    assert transition["details"]["transition"] == "publish"
    assert transition["details"]["state"] == "published"
    paused = [e for e in entries if e["action"] == "clock.paused"][-1]
    assert paused["actor"] == "officer" and paused["details"] == {"clock": "foi-response"}


@pytest.mark.parametrize("confidential", [False, True])
def test_transition_comments_stay_out_of_confidential_entries(doc, site, confidential):
    """Review finding 7d: a comment is free text, kept only where the record is not confidential."""
    if confidential:
        alsoProvides(doc, IConfidentialRecord)
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(doc, "publish", comment="Ms X called about her mother's care")
    [transition] = [e for e in chained(site, uid=doc.UID()) if e["action"] == "workflow.transition"]
    if confidential:
        assert transition["details"]["commented"] is True and "Ms X" not in encode(transition)
    else:
        assert transition["details"]["comment"] == "Ms X called about her mother's care"


def test_sharing_change_is_recorded(doc, site):
    from plone.app.workflow.events import LocalrolesModifiedEvent

    doc.manage_setLocalRoles("auditor", ["Reader"])
    notify(LocalrolesModifiedEvent(doc, None))
    entry = chained(site, uid=doc.UID(), action="sharing.changed")[-1]
    assert entry["details"]["local_roles"]["auditor"] == ["Reader"]


def test_login_and_group_events(site):
    from Products.PlonePAS.events import UserLoggedInEvent

    with api.env.adopt_roles(["Manager"]):
        user = api.user.create(email="a@example.org", username="auditor1", password="secret-password-1")
    notify(UserLoggedInEvent(user))
    entries = chained(site, action="login.succeeded")
    assert entries[-1]["details"]["principal"] == "auditor1"


def test_filters_validate_and_select(doc, site):
    entries = chained(site, actor=audit._current_actor())
    assert entries and {e["actor"] for e in entries} == {audit._current_actor()}
    today = entries[-1]["timestamp"][:10]
    assert chained(site, **{"from": today, "to": today})
    assert chained(site, **{"from": "2001-01-01", "to": "2001-01-02"}) == []
    for bad, message in (
        ({"from": "23/11/2026"}, "ISO date"),
        ({"from": "2026-11-23", "to": "2026-11-01"}, "after"),
        ({"actor": " "}, "non-empty"),
    ):
        with pytest.raises(InvalidFilter, match=message):
            audit.parse_filters(bad)


def test_chain_verifies_and_names_an_altered_entry(doc, site):
    doc.title = "Changed"
    notify(ObjectModifiedEvent(doc, Attributes(None, "IDublinCore.title")))
    audit.chain_now(site)
    log = get_log(site)
    assert audit.verify(site)["ok"]
    seq = log.last_seq - 1
    body, value = log.entries[seq]
    # Tamper at the ZODB level: change the stored body, keep the stored hash.
    log.entries[seq] = (body.replace('"action":"', '"action":"x'), value)
    result = audit.verify(site)
    assert not result["ok"]
    assert result["zodb"]["broken_seq"] == seq
    assert "altered" in result["zodb"]["reason"]
    # Re-hashing the altered entry does not help: the next entry's prev_hash no longer matches.
    from links.content.integrity import sha256_hex as digest

    altered = body.replace('"action":"', '"action":"x')
    log.entries[seq] = (altered, digest(altered))
    result = audit.verify(site)
    assert result["zodb"]["broken_seq"] == seq + 1


def test_removed_entries_are_named(doc, site):
    notify(ObjectModifiedEvent(doc, Attributes(None, "IDublinCore.title")))
    audit.chain_now(site)
    log = get_log(site)
    count = log.last_seq
    assert count >= 2
    del log.entries[1]
    result = audit.verify(site)
    assert not result["ok"] and result["zodb"]["broken_seq"] == 1
    assert "missing" in result["zodb"]["reason"]


def test_removed_tail_is_named_by_the_head(doc, site):
    audit.chain_now(site)
    log = get_log(site)
    del log.entries[log.last_seq]
    result = audit.verify(site)
    assert not result["ok"] and result["zodb"]["broken_seq"] == log.last_seq


def test_checkpoint_seal_is_checked(doc, site):
    audit.chain_now(site)
    checkpoint = audit.checkpoint(site)
    assert checkpoint and checkpoint["size"] == get_log(site).last_seq
    assert audit.verify(site)["zodb"]["checkpoints"] >= 1
    get_log(site).checkpoints[checkpoint["size"]] = dict(checkpoint, time="2001-01-01T00:00:00+00:00")
    result = audit.verify(site)
    assert not result["ok"] and "seal" in result["zodb"]["reason"]


def test_read_events_go_to_files_not_the_zodb(doc, site, tmp_path, monkeypatch):
    monkeypatch.setenv("LINKS_AUDIT_DIR", str(tmp_path))
    alsoProvides(doc, IConfidentialRecord)
    audit.chain_now(site)
    transaction.savepoint()
    log = get_log(site)
    before = (log.last_seq, dict(log.queue.batches))
    for _ in range(3):
        audit.record_read("record.viewed", doc, {"view": "view"})
    assert (log.last_seq, dict(log.queue.batches)) == before
    lines = list(readstore.read(site.getId()))
    assert [e["seq"] for e in lines] == [1, 2, 3]
    assert audit.verify(site)["files"]["entries"] == 3
    # Remove the middle line: the file chain names it.
    path = readstore.files(readstore.audit_dir(site.getId()))[0]
    text = path.read_text().splitlines(keepends=True)
    path.write_text(text[0] + text[2])
    result = audit.verify(site)
    assert not result["ok"] and result["files"]["broken_seq"] == 2


def test_exports_stream_every_matching_entry(doc, site):
    import csv
    import json

    audit.chain_now(site)
    lines = list(audit.export_jsonl({"uid": doc.UID()}))
    assert lines and all(json.loads(line)["uid"] == doc.UID() for line in lines)
    rows = list(csv.reader("".join(audit.export_csv({"uid": doc.UID()})).splitlines()))
    assert rows[0][:4] == ["seq", "timestamp", "actor", "action"]
    assert len(rows) == len(lines) + 1


def test_history_and_audit_action_needs_the_audit_permission(site):
    action = site.portal_actions.object["links_history_and_audit"]
    assert action.permissions == ("links.content: View audit trail",)
    roles = {r["name"] for r in site.rolesOfPermission("links.content: View audit trail") if r["selected"]}
    assert roles == {"Council Auditor", "Manager"} or roles >= {"Council Auditor", "Manager"}
    assert "Site Administrator" not in roles and "Host Staff" not in roles
