"""Signing records: sealed e-signatures, recusal, quorum and sign-off with a signed PDF.

A governing body member signs a version of a record by re-entering their password. The signature
binds the CMFEditions version id and the SHA-256 of the version's canonical serialization
(``links.content.canonical``) and is sealed with the site's Ed25519 key (``keys.api``).

Only approvals of the content as it stands count: the quorum (registry ``links.content.signing.quorum``)
counts the approvals whose SHA-256 equals the canonical hash of the record now, whatever path changed it
(an edit, a REST PATCH, a revert, a relation, an import). A change supersedes the pending signatures and
tells the members who had signed (``supersede_pending``).

When the quorum is reached, ``complete_signoff`` renders the PDF from the version retrieved from
CMFEditions by the signed version id (with that version's relations), before the sign-off transition
(registry ``links.content.signing.signoff_transitions``) and its side effects; it seals the PDF (PAdES
with an RFC 3161 timestamp, ``links.content.timestamps``) and only then makes the transition, whose guard
(``signoff_ready``) lets nothing else through. Fields the transition sets (a constitution's adoption
date) are saved afterwards as a new version of their own.
"""

from __future__ import annotations

import json
import logging

import transaction
from Acquisition import aq_base
from plone import api
from zope.event import notify
from zope.globalrequest import getRequest

from links.content import roles
from links.content.canonical import canonical_document
from links.content.canonical import canonical_hash
from links.content.integrity import dumps
from links.content.integrity import key_fingerprint
from links.content.integrity import seal
from links.content.integrity import sha256_hex
from links.content.integrity import verify_seal
from links.content.keys.api import public_key_for
from links.content.keys.api import signing_key
from links.content.roles import governing_body_members
from links.content.signing import events
from links.content.signing import lockout
from links.content.signing.exceptions import AlreadySigned
from links.content.signing.exceptions import InvalidRequest
from links.content.signing.exceptions import NotAllowed
from links.content.signing.exceptions import NotSignable
from links.content.signing.exceptions import Recused
from links.content.signing.exceptions import SigningError
from links.content.signing.exceptions import SignoffFailed
from links.content.signing.exceptions import SupersededVersion
from links.content.signing.exceptions import WrongPassword
from links.content.signing.storage import get_store
from links.content.words import fullname
from links.content.words import type_title
from links.content.words import utcnow
from links.content.words import version_number

logger = logging.getLogger(__name__)

QUORUM_RECORD = "links.content.signing.quorum"
TRANSITIONS_RECORD = "links.content.signing.signoff_transitions"
MEANINGS = ("approve", "reject")
DEFAULT_TRANSITIONS = {
    "EnterAndViewReport": ["pending_signoff", "sign_off"],
    "Constitution": ["proposed", "adopt"],
    "TransitionalReport": ["pending_signoff", "sign_off"],
}


def _now() -> str:
    return utcnow().isoformat(timespec="seconds")


def signoff_config(obj) -> tuple[str, str] | None:
    """The (signable state, sign-off transition) of the record's type, from the registry.

    :param obj: a record
    :returns: the pair, or None when the type has no sign-off configured
    """
    text = api.portal.get_registry_record(TRANSITIONS_RECORD, default=None)
    try:
        mapping = json.loads(text) if text else DEFAULT_TRANSITIONS
    except ValueError:
        logger.error("Registry record %s is not valid JSON; using the defaults", TRANSITIONS_RECORD)
        mapping = DEFAULT_TRANSITIONS
    pair = mapping.get(obj.portal_type) if isinstance(mapping, dict) else None
    return (pair[0], pair[1]) if isinstance(pair, list) and len(pair) == 2 else None


def awaiting_signoff(obj) -> bool:
    """Whether the record is in the state in which it is signed."""
    config = signoff_config(obj)
    return config is not None and api.content.get_state(obj, default=None) == config[0]


def conflicts(obj, userid: str) -> list:
    """The member's current declarations touching the record's provider(s).

    :returns: DeclarationOfInterest objects (empty when not conflicted or the record has no provider)
    """
    from links.content.declarations.api import conflicting_declarations
    from links.content.declarations.api import providers_of

    providers = providers_of(obj)
    if not providers:
        return []
    return conflicting_declarations(userid, providers)


def required_approvals(obj, members: list[str] | None = None, recused: set[str] | None = None) -> int:
    """How many approvals of the current version sign the record off.

    Registry ``links.content.signing.quorum``: "majority" (default: more than half of the governing
    body members who are not recused) or a whole number.

    :returns: the number of approvals needed (at least 1)
    """
    setting = str(api.portal.get_registry_record(QUORUM_RECORD, default="majority") or "majority").strip()
    if setting.isdigit():
        return max(1, int(setting))
    members = governing_body_members() if members is None else members
    if recused is None:
        recused = {m for m in members if conflicts(obj, m)}
    eligible = [m for m in members if m not in recused]
    return len(eligible) // 2 + 1


def current_version(obj) -> tuple[int | None, str, bool]:
    """The record's current content: its latest CMFEditions version id, canonical hash, and whether a
    version must still be saved for it (its content differs from the latest saved version's).

    Compared by content, not by CMFEditions' ``isUpToDate`` (which compares modification dates): a change
    made without touching the modification date must not be signed under an older version's id.

    :returns: ``(version_id, sha256, needs_save)``
    """
    version_id = getattr(aq_base(obj), "version_id", None)
    sha256 = canonical_hash(obj)
    return version_id, sha256, version_id is None or _version_hash(obj, version_id) != sha256


def _save_version(obj, comment: str = "Version saved to be signed") -> int:
    """Save the current content as a CMFEditions version (as a system action) and return its id."""
    from links.content.history import api as history

    repository = api.portal.get_tool("portal_repository")
    if not repository.isVersionable(obj):
        kind = type_title(obj.portal_type)
        raise NotSignable(f"{kind} records are not versioned, so they cannot be signed.")
    with api.env.adopt_roles(["Manager"]):
        return history.save(obj, comment=comment)


def _check_password(userid: str, password: str, request, obj=None) -> None:
    """Re-authenticate the signer; a failure is audited and counted towards the signing lock."""
    user = api.user.get(userid=userid)
    if user is None:
        raise NotAllowed(f"Unknown user {userid!r}.")
    acl_users = api.portal.get_tool("acl_users")
    authenticated = password and acl_users.authenticate(user.getUserName(), password, request or getRequest())
    if authenticated is None or not password or authenticated.getId() != userid:
        left, until = lockout.record_failure(userid, "sign", obj=obj, request=request or getRequest())
        if until:
            raise lockout.refusal(until)
        raise WrongPassword(
            "The password is not right. Re-enter your own password to sign "
            f"({left} more {'try' if left == 1 else 'tries'} before signing is locked for a while)."
        )


def may_sign(userid: str) -> bool:
    """Whether the user is a member of the governing body: holds the role site-wide (directly or through a
    group), as the quorum counts them. A role given on one record only does not make a signer."""
    return userid in governing_body_members()


def sign(
    obj,
    userid: str,
    password: str,
    meaning: str,
    reason: str | None = None,
    expected_version: int | str | None = None,
    request=None,
) -> dict:
    """Sign the current version of a record.

    :param obj: a record with the ISignable behavior, in its signable state
    :param userid: the signer (the authenticated user; re-authenticated with ``password``)
    :param password: the signer's password
    :param meaning: "approve" or "reject"
    :param reason: why; required for "reject"
    :param expected_version: version id (int) or canonical SHA-256 the signer has read; signing
        fails when the record has changed since (the REST service and the form always send it)
    :param request: the request used for re-authentication (defaults to the global request)
    :returns: the sealed signature record; when it completes the quorum the record is signed off too
        (see ``status``: ``state``, ``completed``, ``signoff_error``)
    :raises InvalidRequest: unknown meaning, or a rejection without reason
    :raises SigningLocked: too many wrong passwords lately (refused whatever the password)
    :raises WrongPassword: the password is wrong (audited and counted)
    :raises NotAllowed: the user is not a member of the governing body
    :raises NotSignable: the record is not in its signable state
    :raises Recused: the user has a conflicting declaration (the recusal is recorded before raising)
    :raises AlreadySigned: the user has signed this version
    :raises SupersededVersion: ``expected_version`` is no longer the current version
    """
    meaning = (meaning or "").strip().lower()
    reason = (reason or "").strip() or None
    if meaning not in MEANINGS:
        raise InvalidRequest('Choose the meaning of your signature: "approve" or "reject".')
    if meaning == "reject" and not reason:
        raise InvalidRequest("Give a reason for rejecting.")
    if reason and len(reason) > 5000:
        raise InvalidRequest("Keep the reason under 5,000 characters.")
    lockout.ensure_not_locked(userid, obj=obj, request=request)
    _check_password(userid, password, request, obj=obj)
    if not may_sign(userid):
        raise NotAllowed(
            "Only members of the governing body sign records (a role given on this record alone does not "
            "make a signer)."
        )
    config = signoff_config(obj)
    state = api.content.get_state(obj, default=None)
    if config is None or state != config[0]:
        from links.content.words import state_title

        raise NotSignable(
            "This record cannot be signed now: records are signed while they are "
            f"“{(state_title(obj, config[0]) if config else None) or 'awaiting sign-off'}”, and this one is "
            f"“{state_title(obj) or state}”."
        )
    # Signatures of content that has since changed without an event (code, import) stop counting now.
    supersede_pending(obj, actor=userid)
    version_id, sha256, needs_save = current_version(obj)
    declarations = conflicts(obj, userid)
    if declarations:
        _record_recusal(obj, userid, declarations, sha256)
        first = declarations[0]
        raise Recused(
            f'You cannot sign this record: your declaration of interest "{first.Title()}" '
            f"({first.absolute_url()}) concerns its provider. Your recusal has been recorded.",
            declaration=first,
        )
    store = get_store(obj)
    if store is not None and userid in store.current:
        raise AlreadySigned("You have already signed this version.")
    if expected_version not in (None, ""):
        expected = str(expected_version).strip().lower()
        if expected not in (sha256, "" if needs_save else str(version_id)):
            raise SupersededVersion(
                "The record has changed since you read it: "
                f"the current version is {'new' if needs_save else version_id} (SHA-256 {sha256}). "
                "Read it again before signing."
            )
    if needs_save:
        version_id = _save_version(obj)
    store = get_store(obj, create=True)
    key = signing_key()
    record = {
        "seq": store.next_signature_seq(),
        "record_uid": obj.UID(),
        "record_type": obj.portal_type,
        "signer": userid,
        "printed_name": fullname(userid),
        "role": roles.GOVERNING_BODY_MEMBER,
        "meaning": meaning,
        "reason": reason,
        "time": _now(),
        "version_id": version_id,
        "sha256": sha256,
        "key": key_fingerprint(key.public_key()),
    }
    record["seal"] = seal(record, key)
    store.add_signature(record)
    event = events.SignatureAdded if meaning == "approve" else events.SignatureRejected
    notify(
        event(
            obj,
            details={"seq": record["seq"], "version_id": version_id, "sha256": sha256, "reason": reason},
            actor=userid,
        )
    )
    if meaning == "approve" and quorum_reached(obj):
        try:
            complete_signoff(obj, actor=userid)
        except SignoffFailed as error:
            # The signature stands and the record stays awaiting sign-off; anyone on the governing body
            # completes it once the cause is fixed (sign page, POST @sign-off).
            logger.error("Sign-off of %s failed: %s", obj.absolute_url(), error)
    return record


def _record_recusal(obj, userid: str, declarations: list, sha256: str) -> None:
    store = get_store(obj, create=True)
    found = [{"uid": d.UID(), "title": d.Title(), "url": d.absolute_url()} for d in declarations]
    seq = store.add_recusal(
        {
            "userid": userid,
            "printed_name": fullname(userid),
            "time": _now(),
            "sha256": sha256,
            "declarations": found,
        }
    )
    notify(
        events.RecusalRecorded(
            obj, details={"seq": seq, "declarations": [d["uid"] for d in found]}, actor=userid
        )
    )


def _tally(obj) -> dict:
    """Who counts for the content as it stands: the members, who is recused, and the signatures whose hash
    is the current one (``current``) or not (``stale``: the content changed since)."""
    store = get_store(obj)
    members = governing_body_members()
    recused = {m for m in members if conflicts(obj, m)}
    sha256 = canonical_hash(obj)
    pending = store.current_records() if store is not None else []
    current = [r for r in pending if r["sha256"] == sha256]
    approvals = [r for r in current if r["meaning"] == "approve" and r["signer"] in members]
    approvals = [r for r in approvals if r["signer"] not in recused]
    return {
        "members": members,
        "recused": recused,
        "sha256": sha256,
        "current": current,
        "stale": [r for r in pending if r["sha256"] != sha256],
        "approvals": approvals,
        "required": required_approvals(obj, members, recused),
    }


def quorum_reached(obj) -> bool:
    """Whether enough eligible members have approved the content as it stands.

    Only approvals whose SHA-256 equals the record's canonical hash now count, by members of the governing
    body (site-wide) who are not recused.

    :param obj: a signable record
    :returns: True when the approvals reach the quorum
    """
    store = get_store(obj)
    if store is None or not len(store.current):
        return False
    tally = _tally(obj)
    return len(tally["approvals"]) >= tally["required"]


#: Key of this module's data on the current transaction: the sign-offs being completed in it.
_PREPARED = object()


def _prepared() -> dict:
    """UID -> SHA-256 of the records whose sealed PDF ``complete_signoff`` has made in this transaction.

    Kept on the transaction, not in the ZODB: nothing persistent (a restored backup, an imported archive)
    can open the sign-off transition.
    """
    txn = transaction.get()
    try:
        return txn.data(_PREPARED)
    except KeyError:
        prepared: dict = {}
        txn.set_data(_PREPARED, prepared)
        return prepared


def signoff_ready(obj) -> bool:
    """The sign-off transition's guard: ``complete_signoff`` has made the sealed PDF of the content as it
    stands, in this transaction, so no path (the workflow menu included) signs a record off without one."""
    sha256 = _prepared().get(obj.UID())
    return sha256 is not None and sha256 == canonical_hash(obj)


def status(obj) -> dict:
    """Who has and hasn't signed the content as it stands, and how far from sign-off it is.

    :param obj: a signable record
    :returns: dict with ``state``, ``awaiting`` (in its signable state), ``current`` (``{version_id,
        sha256}``), ``required``, ``approvals``, ``rejections``, ``reached``, ``signed`` (list of
        ``{userid, printed_name, meaning, reason, time}``), ``stale`` (signatures of content that has
        changed since, which no longer count), ``not_signed`` and ``recused`` (lists of ``{userid,
        printed_name}``), ``completed`` (the last sign-off or None), ``signoff_error`` (why a reached quorum
        is not signed off yet, or None) and ``superseded`` (notices of signatures superseded by changes
        since the last sign-off)
    """
    store = get_store(obj)
    tally = _tally(obj)
    members, recused = tally["members"], tally["recused"]

    def row(r):
        return {k: r[k] for k in ("meaning", "reason", "time", "version_id")} | {
            "userid": r["signer"],
            "printed_name": r["printed_name"],
        }

    signed_ids = {r["signer"] for r in tally["current"]}
    completed = latest_signoff(obj)
    version_id = getattr(aq_base(obj), "version_id", None)
    reached = len(tally["approvals"]) >= tally["required"]
    awaiting = awaiting_signoff(obj)
    error = getattr(store, "signoff_error", None) if store is not None else None
    return {
        "state": api.content.get_state(obj, default=None),
        "awaiting": awaiting,
        "current": {"version_id": version_id, "sha256": tally["sha256"]},
        "required": tally["required"],
        "approvals": len(tally["approvals"]),
        "rejections": sum(1 for r in tally["current"] if r["meaning"] == "reject"),
        "reached": reached,
        "signed": [row(r) for r in tally["current"]],
        "stale": [row(r) for r in tally["stale"]],
        "not_signed": [
            {"userid": m, "printed_name": fullname(m)}
            for m in members
            if m not in signed_ids and m not in recused
        ],
        "recused": [{"userid": m, "printed_name": fullname(m)} for m in sorted(recused)],
        "completed": {k: v for k, v in completed.items() if k != "pdf"} if completed else None,
        "signoff_error": dict(error) if error and awaiting and reached else None,
        "superseded": supersession_notices(obj),
    }


def signer_status(obj, userid: str) -> dict:
    """What one user may do on the sign page, and if not, why (before they type a password).

    :returns: ``{"may_sign": bool, "reason": "<code>" | None, "message": str | None, "signature": the
        user's signature of the current content or None, "declarations": [{title, url}], "locked_until"}``
        with ``reason`` one of ``signed_off``, ``not_awaiting``, ``not_member``, ``recused``, ``signed``,
        ``locked``
    """
    from links.content.words import format_datetime
    from links.content.words import state_title

    result = {"may_sign": False, "reason": None, "message": None, "signature": None, "declarations": []}
    if not awaiting_signoff(obj):
        completed = latest_signoff(obj)
        result["reason"] = "signed_off" if completed else "not_awaiting"
        result["message"] = (
            f"This record was signed off on {format_datetime(completed['time'], zone=True)}."
            if completed
            else f"This record is not awaiting sign-off (it is {state_title(obj) or 'in another state'})."
        )
        return result
    if not may_sign(userid):
        result["reason"] = "not_member"
        result["message"] = "Only members of the governing body sign records."
        return result
    store = get_store(obj)
    sha256 = canonical_hash(obj)
    seq = store.current.get(userid) if store is not None else None
    mine = store.signatures[seq] if seq is not None else None
    if mine is not None and mine["sha256"] == sha256:
        result.update(reason="signed", signature=dict(mine))
        verb = "approved" if mine["meaning"] == "approve" else "rejected"
        result["message"] = (
            f"You {verb} this version on {format_datetime(mine['time'], zone=True)}. "
            "A member signs each version once."
        )
        return result
    declarations = conflicts(obj, userid)
    if declarations:
        result["reason"] = "recused"
        result["declarations"] = [{"title": d.Title(), "url": d.absolute_url()} for d in declarations]
        result["message"] = (
            "You cannot sign this record: your declaration of interest concerns its provider, so you are "
            "recused."
        )
        return result
    until = lockout.locked_until(userid)
    if until is not None:
        result.update(reason="locked", locked_until=until.isoformat())
        result["message"] = (
            f"Signing is locked for your account until {format_datetime(until, zone=True)} after too many "
            "wrong passwords."
        )
        return result
    result["may_sign"] = True
    return result


def latest_signoff(obj) -> dict | None:
    """The most recent completed sign-off.

    :returns: ``{seq, version_id, sha256, time, transition, signatures, level, timestamp, pdf, ...}`` or None
    """
    store = get_store(obj)
    if store is None or not len(store.signoffs):
        return None
    return store.signoffs[store.signoffs.maxKey()]


def signed_pdf(obj):
    """The stored signed PDF of the latest sign-off (a NamedBlobFile), or None."""
    signoff = latest_signoff(obj)
    return signoff["pdf"] if signoff else None


def retrieve_version(obj, version_id):
    """The record as saved in a version (a detached copy, as CMFEditions keeps it)."""
    repository = api.portal.get_tool("portal_repository")
    with api.env.adopt_roles(["Manager"]):
        return repository.retrieve(obj, int(version_id)).object


def complete_signoff(obj, actor: str | None = None) -> dict:
    """Render, seal and store the PDF of the signed version, then make the sign-off transition.

    The single way a record is signed off: called by ``sign`` when the quorum is reached and by the sign
    page or ``POST @sign-off`` when a reached quorum is not signed off yet (the sign-off failed, or the
    quorum was reached by a change of the quorum or of recusals).

    :param obj: a signable record whose content as it stands has reached the quorum
    :param actor: the member completing it (for the audit trail)
    :returns: the sign-off record
    :raises NotSignable: not awaiting sign-off, or the quorum is not reached
    :raises SignoffFailed: the PDF could not be made (no timestamp, a version that does not hash as
        signed); nothing changed, the message says what to fix and is kept for the sign page
    """
    from plone.api.exc import InvalidParameterError
    from plone.namedfile.file import NamedBlobFile
    from Products.CMFCore.WorkflowCore import WorkflowException

    from links.content.history import relations

    config = signoff_config(obj)
    if config is None or not awaiting_signoff(obj):
        raise NotSignable("This record is not awaiting sign-off.")
    store = get_store(obj)
    tally = _tally(obj) if store is not None else None
    if tally is None or len(tally["approvals"]) < tally["required"]:
        raise NotSignable("The quorum is not reached: more members must approve the record as it stands.")
    version_id, sha256, needs_save = current_version(obj)
    if needs_save:
        version_id = _save_version(obj)
    relations.record(obj)  # the relation targets of the signed version, as the PDF prints them
    try:
        signoff, version = _sealed_signoff(obj, store, config, version_id, sha256, tally["required"])
    except SignoffFailed as error:
        store.signoff_error = {"time": _now(), "message": str(error)}
        raise
    signoff["pdf"] = NamedBlobFile(
        data=signoff.pop("data"),
        contentType="application/pdf",
        filename=f"{obj.getId()}-signed-v{version_id}.pdf",
    )
    _prepared()[obj.UID()] = sha256
    try:
        # The sign-off is a consequence of the quorum, not a right of the last signer: run it as the system.
        with api.env.adopt_roles(["Manager", roles.GOVERNING_BODY_MEMBER]):
            api.content.transition(obj=obj, transition=config[1])
    except (WorkflowException, InvalidParameterError) as error:
        raise SignoffFailed(f"The sign-off transition {config[1]!r} could not be made: {error}") from error
    finally:
        _prepared().pop(obj.UID(), None)
    store.signoff_error = None
    store.signoffs[signoff["seq"]] = signoff
    # The next proposal of this record starts with no signatures; these stay valid in the log.
    store.current.clear()
    notify(
        events.SignoffCompleted(
            obj,
            details={
                k: signoff[k]
                for k in ("seq", "version_id", "sha256", "transition", "signatures", "level", "timestamp")
            },
            actor=actor,
        )
    )
    _save_transition_changes(obj, version, version_id, sha256, config[1], actor)
    return signoff


def _sealed_signoff(obj, store, config, version_id, sha256, required: int) -> tuple[dict, object]:
    """The sign-off record with the sealed PDF bytes (``data``), made from the retrieved signed version.

    :returns: ``(signoff, version)``, the version as retrieved from CMFEditions
    """
    from links.content.keys.exceptions import KeyMissing
    from links.content.pdf.api import seal_pdf
    from links.content.signing.report_pdf import footer_html
    from links.content.signing.report_pdf import record_html
    from links.content.timestamps import api as timestamps
    from links.content.timestamps.exceptions import TimestampError
    from links.content.verify.issued import issue_pdf

    version = retrieve_version(obj, version_id)
    if _hash_of(obj, version, version_id) != sha256:
        raise SignoffFailed(
            f"Version {version_id} retrieved from the version history does not hash to the signed SHA-256 "
            f"{sha256}, so its PDF would not show what was signed. Ask the administrator to check the "
            "record's history."
        )
    records = [r for r in store.current_records() if r["sha256"] == sha256]
    try:
        stamping = timestamps.prepare()  # before rendering: the signature page says whether it is timestamped
    except TimestampError as error:
        raise SignoffFailed(f"The record could not be signed off: {error}") from None
    seq = store.signoffs.maxKey() + 1 if len(store.signoffs) else 1
    signoff = {
        "seq": seq,
        "version_id": version_id,
        "sha256": sha256,
        "time": _now(),
        "transition": config[1],
        "signatures": [r["seq"] for r in records],
        "recusals": [r["seq"] for r in store.recusals.values() if r["sha256"] == sha256],
        "required": required,
    }
    recusal_records = [store.recusals[s] for s in signoff["recusals"]]
    html = record_html(
        version,
        signoff,
        records,
        recusal_records,
        timestamped=stamping.client is not None,
        url=obj.absolute_url(),
    )
    try:
        issued = issue_pdf(
            html,
            obj,
            "signed-record",
            seal=lambda pdf: seal_pdf(
                pdf,
                reason=(
                    f"Signed off by the governing body (version {version_number(version_id)}, "
                    f"SHA-256 {sha256})"
                ),
                location=api.portal.get().Title() or None,
                stamping=stamping,
            ),
            footer_html=footer_html(signoff),
            base_url=obj.absolute_url(),
            version_id=version_id,
            record_sha256=sha256,
        )
    except (TimestampError, KeyMissing) as error:
        raise SignoffFailed(f"The record could not be signed off: {error}") from None
    sealed = issued.sealed
    signoff.update(
        data=sealed.data,
        pdf_sha256=issued.entry["sha256"],
        issue_id=issued.entry["issue_id"],
        level=sealed.level,
        timestamp=sealed.timestamp,
        notes=list(sealed.notes),
    )
    return signoff, version


def _save_transition_changes(
    obj, version, version_id, sha256: str, transition: str, actor: str | None
) -> None:
    """Fields the sign-off transition set (a constitution's ``adopted_on``): a new version and an audit
    entry of their own, so the signed version stays exactly what was signed."""
    from links.content.canonical import schema_fields
    from links.content.words import field_label

    if canonical_hash(obj) == sha256:
        return
    before = canonical_document(version)["fields"]
    after = canonical_document(obj)["fields"]
    fields = {name: field for _schema, name, field, _value in schema_fields(obj)}
    changed = sorted(name for name in after if after[name] != before.get(name) and name in fields)
    if not changed:
        return
    # Reindexed (which dates the change) before the version is saved, so the version is up to date and the
    # versioning behaviour saves no second, unexplained one.
    obj.reindexObject()
    labels = ", ".join(field_label(fields[name]) for name in changed)
    new_id = _save_version(obj, comment=f"Set by the sign-off ({transition}): {labels}")
    notify(
        events.SignoffFieldsSet(
            obj,
            details={
                "fields": changed,
                "values": {name: after[name] for name in changed},
                "signed_version_id": version_id,
                "version_id": new_id,
            },
            actor=actor,
        )
    )


def supersession_notices(obj) -> list[dict]:
    """Signatures superseded by changes since the last sign-off, grouped by change, newest first.

    :returns: list of ``{time, reason, actor, actor_name, signers: [printed names]}``
    """
    store = get_store(obj)
    if store is None or not len(store.superseded):
        return []
    completed = latest_signoff(obj)
    since = completed["time"] if completed else ""
    groups: dict = {}
    for seq, info in store.superseded.items():
        if info["time"] < since:
            continue
        key = (info["time"], info["reason"], info.get("actor"))
        groups.setdefault(key, []).append(store.signatures[seq]["printed_name"])
    return [
        {"time": t, "reason": reason, "actor": actor, "actor_name": fullname(actor), "signers": names}
        for (t, reason, actor), names in sorted(groups.items(), reverse=True)
    ]


def supersede_pending(
    obj, actor: str | None = None, reason: str | None = None, force: bool = False
) -> list[int]:
    """Supersede the pending signatures of content that is no longer the record's, and tell the signers.

    Called on every change of content (edit, REST PATCH, revert, broken relation), when a record leaves
    its signable state other than by sign-off (``force``), and before each signature (content changed
    without an event). The signers are e-mailed after commit and the record shows a notice.

    :param reason: why, in words ("The record was edited.")
    :param force: supersede even when the content is unchanged (the proposal was withdrawn)
    :returns: sequence numbers superseded (empty when nothing was pending or still current)
    """
    store = get_store(obj)
    if store is None or not len(store.current):
        return []
    sha256 = canonical_hash(obj)
    stale = [r for r in store.current_records() if force or r["sha256"] != sha256]
    if not stale:
        return []
    why = reason or "The record was changed after it was signed."
    seqs = store.supersede(
        [r["seq"] for r in stale], {"time": _now(), "reason": why, "sha256": sha256, "actor": actor}
    )
    notify(
        events.SignatureSuperseded(
            obj, details={"signatures": seqs, "sha256": sha256, "reason": why}, actor=actor
        )
    )
    _tell_signers(obj, stale, why, actor)
    return seqs


def _tell_signers(obj, records: list[dict], why: str, actor: str | None) -> None:
    """E-mail each member whose signature was superseded (queued: leaves only if the change commits), and
    tell the person who made the change."""
    from links.content.words import format_datetime

    names = []
    for r in records:
        names.append(r["printed_name"])
        user = api.user.get(userid=r["signer"])
        address = user.getProperty("email") if user is not None else None
        if not address:
            continue
        verb = "approval" if r["meaning"] == "approve" else "rejection"
        body = (
            f"Dear {r['printed_name']},\n\n"
            f"your {verb} of “{obj.Title()}” (version {version_number(r['version_id'])}, signed "
            f"{format_datetime(r['time'], zone=True)}) no longer counts: {why}"
            f"{' (by ' + fullname(actor) + ')' if actor else ''}\n\n"
            f"Please read the record again and sign it if you agree:\n{obj.absolute_url()}/@@sign\n"
        )
        try:
            api.portal.send_email(
                recipient=address,
                subject=f"Sign again: “{obj.Title()}” has changed",
                body=body,
                immediate=False,
            )
        except Exception:
            logger.exception("Could not queue the supersession e-mail to %s", r["signer"])
    request = getRequest()
    if request is not None and names:
        from links.content.words import and_join

        api.portal.show_message(
            f"The signatures of {and_join(names)} no longer count, because the record changed; they have "
            "been asked by e-mail to read it again and sign.",
            request=request,
            type="warning",
        )


def signatures(obj, verify: bool = True) -> list[dict]:
    """Every signature of the record, oldest first, with its status and verification.

    :param obj: a signable record
    :param verify: add ``verification``: ``seal_valid`` (the Ed25519 seal checks with the site's
        public key) and ``hash_matches`` (the signed version, retrieved from CMFEditions, still
        hashes to the signed SHA-256)
    :returns: list of dicts (the sealed record plus ``status`` and ``verification``)
    :raises links.content.keys.exceptions.KeyMissing: with ``verify``, when the site's key file is missing
    """
    store = get_store(obj)
    if store is None:
        return []
    keys: dict = {}  # fingerprint -> key: this site's, or an earlier host's trusted after a handover
    hashes: dict = {}
    result = []
    for seq, record in store.signatures.items():
        item = dict(record, status=store.status_of(seq))
        if verify:
            vid = record["version_id"]
            if vid not in hashes:
                hashes[vid] = _version_hash(obj, vid)
            fingerprint = record.get("key")
            if fingerprint not in keys:
                keys[fingerprint] = public_key_for(fingerprint)
            key = keys[fingerprint]
            item["verification"] = {
                "seal_valid": key is not None and verify_seal(record, key),
                "hash_matches": hashes[vid] == record["sha256"],
            }
        result.append(item)
    return result


def recusals(obj, details: bool = False) -> list[dict]:
    """Recorded recusals, oldest first.

    :param obj: a signable record
    :param details: include which declarations caused them (titles and URLs may be sensitive, so
        callers pass True only for users who may sign)
    :returns: list of ``{seq, userid, printed_name, time, sha256[, declarations]}``
    """
    store = get_store(obj)
    if store is None:
        return []
    keep = {"seq", "userid", "printed_name", "time", "sha256"} | ({"declarations"} if details else set())
    return [{k: v for k, v in r.items() if k in keep} for r in store.recusals.values()]


def _version_hash(obj, version_id) -> str | None:
    """Canonical hash of a saved version of the record, as CMFEditions keeps it.

    Always read from the version repository, never from the live object: what was signed is the
    saved version, and a later change to the live record must not make an old signature "match".

    :returns: the SHA-256, or None when the version cannot be retrieved
    """
    if version_id is None:
        return None
    try:
        version = retrieve_version(obj, version_id)
    except Exception:
        logger.warning("Cannot retrieve version %s of %r", version_id, obj, exc_info=True)
        return None
    return _hash_of(obj, version, version_id)


def _hash_of(obj, version, version_id) -> str:
    """Canonical hash of a retrieved version, with the relation targets that version had."""
    document = canonical_document(version)
    _relations_as_saved(document, obj.UID(), version_id)
    return sha256_hex(dumps(document))


def _relations_as_saved(document: dict, uid: str, version_id) -> None:
    """Put the relation targets the version had into its canonical document.

    CMFEditions shows today's relations on every old version, so without this a signature would look
    altered once the record's relation changed in a later version, or its target was deleted. The targets
    each version had are kept by ``links.content.history.relations``; without a snapshot of exactly this
    version, today's relations stay (and the hash matches only if they are unchanged).
    """
    from links.content.history.relations import snapshot_of

    saved = snapshot_of(uid, version_id)
    for name, target in (saved or {}).items():
        if name not in document["fields"]:
            continue
        if isinstance(target, list):
            uids = [item["uid"] if item else None for item in target]
            # An empty list field may be stored as None; both mean "no targets".
            document["fields"][name] = uids if uids or document["fields"][name] is not None else None
        else:
            document["fields"][name] = target["uid"] if target else None


__all__ = [
    "SigningError",
    "complete_signoff",
    "governing_body_members",
    "latest_signoff",
    "quorum_reached",
    "recusals",
    "required_approvals",
    "sign",
    "signatures",
    "signed_pdf",
    "signer_status",
    "signoff_ready",
    "status",
    "supersede_pending",
]
