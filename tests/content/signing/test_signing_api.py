"""Signing: re-authentication, one signature per member and version, quorum, supersession, recusal."""

import pytest
from plone import api
from plone.app.textfield.value import RichTextValue
from zope.lifecycleevent import modified

from links.content.integrity import verify_seal
from links.content.keys.api import public_key
from links.content.signing import api as signing
from links.content.signing.exceptions import AlreadySigned
from links.content.signing.exceptions import InvalidRequest
from links.content.signing.exceptions import NotAllowed
from links.content.signing.exceptions import NotSignable
from links.content.signing.exceptions import Recused
from links.content.signing.exceptions import SupersededVersion
from links.content.signing.exceptions import WrongPassword
from links.content.signing.storage import get_store


@pytest.fixture
def events():
    from zope.component import getGlobalSiteManager

    from links.content.interfaces import IRecordEvent

    seen = []

    def handler(event):
        seen.append(event)

    gsm = getGlobalSiteManager()
    gsm.registerHandler(handler, (IRecordEvent,))
    yield seen
    gsm.unregisterHandler(handler, (IRecordEvent,))


def _sign(record, userid, passwords, meaning="approve", **kw):
    return signing.sign(record, userid, passwords(userid), meaning, request=record.REQUEST, **kw)


def test_sign_happy_path(record, passwords, events):
    signature = _sign(record, "gbm1", passwords)
    assert signature["signer"] == "gbm1"
    assert signature["printed_name"] == "Member 1 Name"
    assert signature["role"] == "Governing Body Member"
    assert signature["meaning"] == "approve"
    assert signature["version_id"] is not None
    assert signature["sha256"] == signing.canonical_hash(record)
    assert signature["time"].endswith("+00:00")
    assert verify_seal(signature, public_key())
    assert [e.action for e in events] == ["signature.added"]
    status = signing.status(record)
    assert status["approvals"] == 1
    assert status["required"] == 4
    assert {m["userid"] for m in status["not_signed"]} == {f"gbm{i}" for i in range(2, 8)}
    assert api.content.get_state(record) == "pending_signoff"


def test_seal_detects_tampering(record, passwords):
    signature = _sign(record, "gbm1", passwords)
    forged = dict(signature, meaning="reject")
    assert not verify_seal(forged, public_key())


def test_wrong_password_refused_nothing_stored(record, passwords):
    with pytest.raises(WrongPassword):
        signing.sign(record, "gbm1", "not-my-password", "approve", request=record.REQUEST)
    with pytest.raises(WrongPassword):
        signing.sign(record, "gbm1", passwords("gbm2"), "approve", request=record.REQUEST)
    assert get_store(record) is None


def test_signing_twice_refused(record, passwords):
    _sign(record, "gbm1", passwords)
    with pytest.raises(AlreadySigned):
        _sign(record, "gbm1", passwords)
    assert len(get_store(record).signatures) == 1


def test_reject_requires_reason(record, passwords):
    with pytest.raises(InvalidRequest, match="reason"):
        _sign(record, "gbm1", passwords, meaning="reject")
    signature = _sign(record, "gbm1", passwords, meaning="reject", reason="Findings lack evidence.")
    assert signature["meaning"] == "reject"
    assert signature["reason"] == "Findings lack evidence."


def test_unknown_meaning_refused(record, passwords):
    with pytest.raises(InvalidRequest):
        _sign(record, "gbm1", passwords, meaning="maybe")


def test_non_member_refused(portal, record):
    api.user.create(email="x@example.org", username="outsider", password="outsider-pw-1")
    with pytest.raises(NotAllowed):
        signing.sign(record, "outsider", "outsider-pw-1", "approve", request=record.REQUEST)


def test_not_in_signable_state(portal, record_factory, members, passwords):
    draft = record_factory(portal, title="Draft report", submit=False)
    with pytest.raises(NotSignable, match="draft"):
        _sign(draft, "gbm1", passwords)
    assert get_store(draft) is None


def test_quorum_transitions_and_stores_signed_pdf(record, passwords, events):
    for userid in ("gbm1", "gbm2", "gbm3"):
        _sign(record, userid, passwords)
    _sign(record, "gbm4", passwords, meaning="reject", reason="Not ready")
    assert api.content.get_state(record) == "pending_signoff"
    assert signing.signed_pdf(record) is None
    _sign(record, "gbm5", passwords)
    assert api.content.get_state(record) == "signed_off"
    pdf = signing.signed_pdf(record)
    assert pdf.contentType == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    signoff = signing.latest_signoff(record)
    assert len(signoff["signatures"]) == 5
    assert "signoff.completed" in [e.action for e in events]
    with pytest.raises(NotSignable):
        _sign(record, "gbm6", passwords)


def test_quorum_integer_setting(record, passwords):
    api.portal.set_registry_record(signing.QUORUM_RECORD, "2")
    _sign(record, "gbm1", passwords)
    assert api.content.get_state(record) == "pending_signoff"
    _sign(record, "gbm2", passwords)
    assert api.content.get_state(record) == "signed_off"


def test_guard_helper(record, passwords):
    assert signing.quorum_reached(record) is False
    api.portal.set_registry_record(signing.QUORUM_RECORD, "5")
    for userid in ("gbm1", "gbm2"):
        _sign(record, userid, passwords)
    assert signing.quorum_reached(record) is False


def test_edit_supersedes_pending_signatures(record, passwords, events):
    first = _sign(record, "gbm1", passwords)
    record.findings = RichTextValue("<p>Findings rewritten.</p>", "text/html", "text/x-html-safe")
    modified(record)
    assert "signature.superseded" in [e.action for e in events]
    items = signing.signatures(record)
    assert items[0]["status"] == "superseded"
    assert signing.status(record)["approvals"] == 0
    # The member signs the new version; the old signature stays in the log.
    second = _sign(record, "gbm1", passwords)
    assert second["sha256"] != first["sha256"]
    assert second["version_id"] != first["version_id"]
    assert [i["status"] for i in signing.signatures(record)] == ["superseded", "valid"]


def test_modified_without_change_keeps_signatures(record, passwords):
    _sign(record, "gbm1", passwords)
    modified(record)
    assert signing.status(record)["approvals"] == 1


def test_expected_version_superseded(record, passwords):
    stale = signing.canonical_hash(record)
    record.title = "Visit to Elm House (revised)"
    modified(record)
    with pytest.raises(SupersededVersion):
        _sign(record, "gbm1", passwords, expected_version=stale)
    assert get_store(record) is None or not len(get_store(record).signatures)
    _sign(record, "gbm1", passwords, expected_version=signing.canonical_hash(record))


def test_signatures_verification(record, passwords):
    _sign(record, "gbm1", passwords)
    [item] = signing.signatures(record)
    assert item["verification"] == {"seal_valid": True, "hash_matches": True}


def test_recusal_refused_naming_declaration_and_recorded(portal, record, passwords, events, monkeypatch):
    from links.content.declarations import api as declarations

    declaration = api.content.create(container=portal, type="Document", title="Gbm3: trustee of Elm House")
    monkeypatch.setattr(declarations, "providers_of", lambda obj: {"provider-uid"})
    monkeypatch.setattr(
        declarations,
        "conflicting_declarations",
        lambda userid, uids, on=None: [declaration] if userid == "gbm3" and "provider-uid" in uids else [],
    )
    with pytest.raises(Recused) as refused:
        _sign(record, "gbm3", passwords)
    assert "Gbm3: trustee of Elm House" in str(refused.value)
    assert declaration.absolute_url() in str(refused.value)
    [recusal] = signing.recusals(record, details=True)
    assert recusal["userid"] == "gbm3"
    assert recusal["declarations"][0]["title"] == "Gbm3: trustee of Elm House"
    assert "recusal.recorded" in [e.action for e in events]
    status = signing.status(record)
    assert [m["userid"] for m in status["recused"]] == ["gbm3"]
    assert status["required"] == 4  # 6 members not recused: more than half is 4


def test_earlier_signature_still_matches_after_its_relation_changed(portal, record, passwords):
    """CMFEditions shows today's relations on old versions: the signed version's own targets are used,
    so changing the provider later, or deleting the old provider, does not make the signature look altered."""
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    from links.content.history import relations

    first = _sign(record, "gbm1", passwords)
    relations.record(record)  # what the before-commit hook does when the request commits
    old_provider = record.provider.to_object
    new_provider = api.content.create(
        container=portal, type="ServiceProvider", title="Oak Lodge", address="1 Oak Lane, Northbridge NB2 1AA"
    )
    record.provider = RelationValue(getUtility(IIntIds).getId(new_provider))
    modified(record)
    second = _sign(record, "gbm1", passwords)
    relations.record(record)
    assert second["version_id"] != first["version_id"]
    api.content.delete(old_provider, check_linkintegrity=False)

    items = signing.signatures(record)
    assert [item["status"] for item in items] == ["superseded", "valid"]
    assert [item["verification"] for item in items] == [{"seal_valid": True, "hash_matches": True}] * 2


def test_altered_relation_in_a_signed_version_is_detected(portal, record, passwords):
    """The relation snapshot is what the version is checked against: changing it is a mismatch."""
    from links.content.history import relations

    _sign(record, "gbm1", passwords)
    relations.record(record)
    store = relations._store()
    key = (record.UID(), int(record.version_id))
    store[key] = dict(
        store[key], provider={"uid": "0" * 32, "title": "Forged", "path": "", "portal_type": ""}
    )
    [item] = signing.signatures(record)
    assert item["verification"] == {"seal_valid": True, "hash_matches": False}
