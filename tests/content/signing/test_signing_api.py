"""Signing: re-authentication, one signature per member and version, quorum of the current content only,
supersession, recusal, and sign-off through one gate."""

import pytest
from plone import api
from plone.app.textfield.value import RichTextValue
from zope.lifecycleevent import modified

from links.content.canonical import canonical_hash
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


def _findings(record, text):
    """Change the findings without any event, as code or an import would."""
    record.findings = RichTextValue(f"<p>{text}</p>", "text/html", "text/x-html-safe")


def test_sign_happy_path(record, signer, events):
    signature = signer(record, "gbm1")
    assert signature["signer"] == "gbm1"
    assert signature["printed_name"] == "Member 1 Name"
    assert signature["role"] == "Governing Body Member"
    assert signature["meaning"] == "approve"
    assert signature["version_id"] is not None
    assert signature["sha256"] == canonical_hash(record)
    assert signature["time"].endswith("+00:00")
    assert verify_seal(signature, public_key())
    assert [e.action for e in events] == ["signature.added"]
    status = signing.status(record)
    assert status["approvals"] == 1
    assert status["required"] == 4
    assert status["current"] == {"version_id": signature["version_id"], "sha256": signature["sha256"]}
    assert {m["userid"] for m in status["not_signed"]} == {f"gbm{i}" for i in range(2, 8)}
    assert api.content.get_state(record) == "pending_signoff"


def test_seal_detects_tampering(record, signer):
    signature = signer(record, "gbm1")
    forged = dict(signature, meaning="reject")
    assert not verify_seal(forged, public_key())


def test_wrong_password_refused_nothing_stored(record, passwords):
    with pytest.raises(WrongPassword, match="4 more tries"):
        signing.sign(record, "gbm1", "not-my-password", "approve", request=record.REQUEST)
    with pytest.raises(WrongPassword):
        signing.sign(record, "gbm1", passwords("gbm2"), "approve", request=record.REQUEST)
    assert get_store(record) is None


def test_signing_twice_refused(record, signer):
    signer(record, "gbm1")
    with pytest.raises(AlreadySigned):
        signer(record, "gbm1")
    assert len(get_store(record).signatures) == 1


def test_reject_requires_reason(record, signer):
    with pytest.raises(InvalidRequest, match="reason"):
        signer(record, "gbm1", meaning="reject")
    signature = signer(record, "gbm1", meaning="reject", reason="Findings lack evidence.")
    assert signature["meaning"] == "reject"
    assert signature["reason"] == "Findings lack evidence."


def test_unknown_meaning_refused(record, signer):
    with pytest.raises(InvalidRequest):
        signer(record, "gbm1", meaning="maybe")


def test_non_member_refused(portal, record):
    api.user.create(email="x@example.org", username="outsider", password="outsider-pw-1")
    with pytest.raises(NotAllowed):
        signing.sign(record, "outsider", "outsider-pw-1", "approve", request=record.REQUEST)


def test_local_role_member_cannot_sign(portal, record):
    """The quorum counts members of the governing body site-wide; a role given on one record does not make a
    signer whose signature would then silently never count."""
    api.user.create(email="l@example.org", username="local", password="local-pw-123")
    record.manage_setLocalRoles("local", ["Governing Body Member"])
    assert "Governing Body Member" in api.user.get_roles(username="local", obj=record)
    with pytest.raises(NotAllowed, match="role given on this record alone"):
        signing.sign(record, "local", "local-pw-123", "approve", request=record.REQUEST)
    assert get_store(record) is None


def test_not_in_signable_state(portal, record_factory, members, signer):
    draft = record_factory(portal, title="Draft report", submit=False)
    with pytest.raises(NotSignable, match="“Draft”"):
        signer(draft, "gbm1")
    assert get_store(draft) is None


def test_quorum_transitions_and_stores_signed_pdf(record, signer, events):
    for userid in ("gbm1", "gbm2", "gbm3"):
        signer(record, userid)
    signer(record, "gbm4", meaning="reject", reason="Not ready")
    assert api.content.get_state(record) == "pending_signoff"
    assert signing.signed_pdf(record) is None
    signer(record, "gbm5")
    assert api.content.get_state(record) == "signed_off"
    pdf = signing.signed_pdf(record)
    assert pdf.contentType == "application/pdf"
    assert pdf.data.startswith(b"%PDF")
    signoff = signing.latest_signoff(record)
    assert len(signoff["signatures"]) == 5
    assert signoff["level"] == "B-LT" and signoff["timestamp"]["time"]
    assert "signoff.completed" in [e.action for e in events]
    with pytest.raises(NotSignable):
        signer(record, "gbm6")


def test_quorum_integer_setting(record, signer):
    api.portal.set_registry_record(signing.QUORUM_RECORD, "2")
    signer(record, "gbm1")
    assert api.content.get_state(record) == "pending_signoff"
    signer(record, "gbm2")
    assert api.content.get_state(record) == "signed_off"


def test_guard_helper(record, signer):
    assert signing.quorum_reached(record) is False
    api.portal.set_registry_record(signing.QUORUM_RECORD, "5")
    for userid in ("gbm1", "gbm2"):
        signer(record, userid)
    assert signing.quorum_reached(record) is False


def test_only_approvals_of_the_current_content_count(record, signer):
    """Approvals of content that changed without any event (code, an import) stop counting at once."""
    api.portal.set_registry_record(signing.QUORUM_RECORD, "2")
    signer(record, "gbm1")
    _findings(record, "Rewritten by a script, no event.")
    assert signing.quorum_reached(record) is False
    status = signing.status(record)
    assert status["approvals"] == 0
    assert [s["userid"] for s in status["stale"]] == ["gbm1"]


def test_signoff_records_the_current_version_not_the_first_signers(record, signer):
    """Approvals of two different contents never add up to a sign-off; the sign-off names the version and
    hash everyone who counted signed (never "the signer whose id sorts first")."""
    api.portal.set_registry_record(signing.QUORUM_RECORD, "2")
    first = signer(record, "gbm1")
    _findings(record, "Content B.")
    second = signer(record, "gbm2")  # supersedes gbm1's approval of content A
    assert second["sha256"] != first["sha256"]
    assert api.content.get_state(record) == "pending_signoff"
    assert [i["status"] for i in signing.signatures(record)] == ["superseded", "valid"]
    third = signer(record, "gbm3")
    assert api.content.get_state(record) == "signed_off"
    signoff = signing.latest_signoff(record)
    assert (signoff["version_id"], signoff["sha256"]) == (second["version_id"], second["sha256"])
    assert signoff["signatures"] == [second["seq"], third["seq"]]


def test_modified_without_change_keeps_signatures(record, signer):
    signer(record, "gbm1")
    modified(record)
    assert signing.status(record)["approvals"] == 1


def test_expected_version_superseded(record, signer):
    stale = canonical_hash(record)
    record.title = "Visit to Elm House (revised)"
    modified(record)
    with pytest.raises(SupersededVersion):
        signer(record, "gbm1", expected_version=stale)
    assert get_store(record) is None or not len(get_store(record).signatures)
    signer(record, "gbm1", expected_version=canonical_hash(record))


def test_signatures_verification(record, signer):
    signer(record, "gbm1")
    [item] = signing.signatures(record)
    assert item["verification"] == {"seal_valid": True, "hash_matches": True}


def test_recusal_refused_naming_declaration_and_recorded(portal, record, signer, events, monkeypatch):
    from links.content.declarations import api as declarations

    declaration = api.content.create(container=portal, type="Document", title="Gbm3: trustee of Elm House")
    monkeypatch.setattr(declarations, "providers_of", lambda obj: {"provider-uid"})
    monkeypatch.setattr(
        declarations,
        "conflicting_declarations",
        lambda userid, uids, on=None: [declaration] if userid == "gbm3" and "provider-uid" in uids else [],
    )
    assert signing.signer_status(record, "gbm3")["reason"] == "recused"
    with pytest.raises(Recused) as refused:
        signer(record, "gbm3")
    assert "Gbm3: trustee of Elm House" in str(refused.value)
    assert declaration.absolute_url() in str(refused.value)
    [recusal] = signing.recusals(record, details=True)
    assert recusal["userid"] == "gbm3"
    assert recusal["declarations"][0]["title"] == "Gbm3: trustee of Elm House"
    assert "recusal.recorded" in [e.action for e in events]
    status = signing.status(record)
    assert [m["userid"] for m in status["recused"]] == ["gbm3"]
    assert status["required"] == 4  # 6 members not recused: more than half is 4


def test_earlier_signature_still_matches_after_its_relation_changed(portal, record, signer):
    """CMFEditions shows today's relations on old versions: the signed version's own targets are used,
    so changing the provider later, or deleting the old provider, does not make the signature look altered."""
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    from links.content.history import relations

    first = signer(record, "gbm1")
    relations.record(record)  # what the before-commit hook does when the request commits
    old_provider = record.provider.to_object
    new_provider = api.content.create(
        container=portal, type="ServiceProvider", title="Oak Lodge", address="1 Oak Lane, Northbridge NB2 1AA"
    )
    record.provider = RelationValue(getUtility(IIntIds).getId(new_provider))
    modified(record)
    second = signer(record, "gbm1")
    relations.record(record)
    assert second["version_id"] != first["version_id"]
    api.content.delete(old_provider, check_linkintegrity=False)

    items = signing.signatures(record)
    assert [item["status"] for item in items] == ["superseded", "valid"]
    assert [item["verification"] for item in items] == [{"seal_valid": True, "hash_matches": True}] * 2


def test_altered_relation_in_a_signed_version_is_detected(portal, record, signer):
    """The relation snapshot is what the version is checked against: changing it is a mismatch."""
    from links.content.history import relations

    signer(record, "gbm1")
    relations.record(record)
    store = relations._store()
    key = (record.UID(), int(record.version_id))
    store[key] = dict(
        store[key], provider={"uid": "0" * 32, "title": "Forged", "path": "", "portal_type": ""}
    )
    [item] = signing.signatures(record)
    assert item["verification"] == {"seal_valid": True, "hash_matches": False}


def test_workflow_menu_cannot_sign_off_without_the_pdf(record, signer):
    """A quorum reached another way (the quorum setting lowered) does not let anyone fire the sign-off
    transition from the workflow menu: only complete_signoff, which makes the PDF first, can."""
    signer(record, "gbm1")
    signer(record, "gbm2")
    api.portal.set_registry_record(signing.QUORUM_RECORD, "2")
    assert signing.quorum_reached(record)
    workflow = api.portal.get_tool("portal_workflow")
    assert "sign_off" not in [t["id"] for t in workflow.getTransitionsFor(record)]
    with pytest.raises(api.exc.InvalidParameterError):
        api.content.transition(record, transition="sign_off")
    assert api.content.get_state(record) == "pending_signoff"
    assert signing.status(record)["reached"]
    signoff = signing.complete_signoff(record, actor="gbm1")
    assert api.content.get_state(record) == "signed_off"
    assert not signing.signoff_ready(record)  # nothing is left open, in the ZODB or the transaction
    assert signing.signed_pdf(record).data.startswith(b"%PDF")
    assert signoff["signatures"] == [r["seq"] for r in signing.signatures(record, verify=False)]


def test_complete_signoff_refuses_without_quorum(record, signer):
    signer(record, "gbm1")
    with pytest.raises(NotSignable, match="quorum"):
        signing.complete_signoff(record)
    assert api.content.get_state(record) == "pending_signoff"


def test_returned_for_changes_supersedes(record, signer):
    """A record withdrawn from sign-off is no longer proposed: signatures do not carry over to the next
    proposal even if the content did not change."""
    signer(record, "gbm1")
    api.content.transition(record, transition="return_for_changes")
    api.content.transition(record, transition="submit")
    assert signing.status(record)["approvals"] == 0
    assert [i["status"] for i in signing.signatures(record, verify=False)] == ["superseded"]
