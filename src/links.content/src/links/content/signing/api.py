"""Signing records: sealed e-signatures, recusal, quorum and sign-off with a signed PDF.

A governing body member signs a version of a record by re-entering their password. The signature
binds the CMFEditions version id and the SHA-256 of the version's canonical serialization
(``links.content.canonical``) and is sealed with the site's Ed25519 key (``keys.api``). When enough
members have approved the current version (registry ``links.content.signing.quorum``) the record
makes its sign-off transition (registry ``links.content.signing.signoff_transitions``) and a PDF of
exactly that version is rendered once, signed (PAdES) with the site certificate and stored.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import UTC
from datetime import datetime

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
from links.content.integrity import verify_seal
from links.content.keys.api import public_key_for
from links.content.keys.api import signing_key
from links.content.roles import governing_body_members
from links.content.signing import events
from links.content.signing.exceptions import AlreadySigned
from links.content.signing.exceptions import InvalidRequest
from links.content.signing.exceptions import NotAllowed
from links.content.signing.exceptions import NotSignable
from links.content.signing.exceptions import Recused
from links.content.signing.exceptions import SigningError
from links.content.signing.exceptions import SupersededVersion
from links.content.signing.exceptions import WrongPassword
from links.content.signing.storage import get_store
from links.content.words import fullname

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
    return datetime.now(UTC).isoformat(timespec="seconds")


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
    pair = mapping.get(obj.portal_type)
    return (pair[0], pair[1]) if pair and len(pair) == 2 else None


def conflicts(obj, userid: str) -> list:
    """The member's current declarations touching the record's provider(s).

    :returns: DeclarationOfInterest objects (empty when not conflicted or the record has no provider)
    """
    try:
        from links.content.declarations.api import conflicting_declarations
        from links.content.declarations.api import providers_of
    except ImportError:  # declarations not built yet
        return []
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
    """The record's current content: its CMFEditions version id, canonical hash, and whether a
    version must still be saved for it (edited since the last saved version).

    :returns: ``(version_id, sha256, needs_save)``
    """
    repository = api.portal.get_tool("portal_repository")
    version_id = getattr(aq_base(obj), "version_id", None)
    needs_save = version_id is None
    if not needs_save:
        try:
            needs_save = not repository.isUpToDate(obj)
        except Exception:  # no history at all
            needs_save = True
    return version_id, canonical_hash(obj), needs_save


def _save_version(obj) -> int:
    """Save the current content as a CMFEditions version (as a system action) and return its id."""
    repository = api.portal.get_tool("portal_repository")
    if not repository.isVersionable(obj):
        raise NotSignable(f"{obj.portal_type} records are not versioned, so they cannot be signed.")
    with api.env.adopt_roles(["Manager"]):
        repository.save(obj, comment="Version saved to be signed")
    return aq_base(obj).version_id


def _check_password(userid: str, password: str, request) -> None:
    user = api.user.get(userid=userid)
    if user is None:
        raise NotAllowed(f"Unknown user {userid!r}.")
    acl_users = api.portal.get_tool("acl_users")
    authenticated = password and acl_users.authenticate(user.getUserName(), password, request or getRequest())
    if authenticated is None or not password or authenticated.getId() != userid:
        raise WrongPassword("The password is not right. Re-enter your own password to sign.")


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
        fails when the record has changed since
    :param request: the request used for re-authentication (defaults to the global request)
    :returns: the sealed signature record
    :raises InvalidRequest: unknown meaning, or a rejection without reason
    :raises WrongPassword: the password is wrong
    :raises NotAllowed: the user is not a governing body member
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
    _check_password(userid, password, request)
    if roles.GOVERNING_BODY_MEMBER not in api.user.get_roles(user=api.user.get(userid=userid), obj=obj):
        raise NotAllowed("Only governing body members sign records.")
    config = signoff_config(obj)
    state = api.content.get_state(obj, default=None)
    if config is None or state != config[0]:
        raise NotSignable(
            "This record cannot be signed now: it is signed only while "
            f"{config[0] if config else 'awaiting sign-off'} (it is {state})."
        )
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
        complete_signoff(obj, actor=userid)
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


def quorum_reached(obj) -> bool:
    """Whether enough eligible members have approved the current version (the sign-off guard).

    :param obj: a signable record
    :returns: True when the approvals reach the quorum
    """
    store = get_store(obj)
    if store is None or not len(store.current):
        return False
    members = governing_body_members()
    recused = {m for m in members if conflicts(obj, m)}
    approvals = [r for r in store.current_records() if r["meaning"] == "approve" and r["signer"] in members]
    approvals = [r for r in approvals if r["signer"] not in recused]
    return len(approvals) >= required_approvals(obj, members, recused)


def status(obj) -> dict:
    """Who has and hasn't signed the current version, and how far from sign-off it is.

    :param obj: a signable record
    :returns: dict with ``required``, ``approvals``, ``rejections``, ``reached``, ``signed`` (list of
        ``{userid, printed_name, meaning, reason, time}``), ``not_signed`` and ``recused`` (lists of
        ``{userid, printed_name}``), ``completed`` (the last sign-off or None), ``state``
    """
    store = get_store(obj)
    members = governing_body_members()
    recused = {m for m in members if conflicts(obj, m)}
    current = store.current_records() if store is not None else []
    signed = [
        {
            "userid": r["signer"],
            "printed_name": r["printed_name"],
            "meaning": r["meaning"],
            "reason": r["reason"],
            "time": r["time"],
        }
        for r in current
    ]
    signed_ids = {r["signer"] for r in current}
    approvals = sum(
        1
        for r in current
        if r["meaning"] == "approve" and r["signer"] in members and r["signer"] not in recused
    )
    required = required_approvals(obj, members, recused)
    completed = latest_signoff(obj)
    return {
        "state": api.content.get_state(obj, default=None),
        "required": required,
        "approvals": approvals,
        "rejections": sum(1 for r in current if r["meaning"] == "reject"),
        "reached": approvals >= required,
        "signed": signed,
        "not_signed": [
            {"userid": m, "printed_name": fullname(m)}
            for m in members
            if m not in signed_ids and m not in recused
        ],
        "recused": [{"userid": m, "printed_name": fullname(m)} for m in sorted(recused)],
        "completed": {k: v for k, v in completed.items() if k != "pdf"} if completed else None,
    }


def latest_signoff(obj) -> dict | None:
    """The most recent completed sign-off.

    :returns: ``{seq, version_id, sha256, time, transition, signatures, pdf}`` or None
    """
    store = get_store(obj)
    if store is None or not len(store.signoffs):
        return None
    return store.signoffs[store.signoffs.maxKey()]


def signed_pdf(obj):
    """The stored signed PDF of the latest sign-off (a NamedBlobFile), or None."""
    signoff = latest_signoff(obj)
    return signoff["pdf"] if signoff else None


def complete_signoff(obj, actor: str | None = None) -> dict:
    """Make the sign-off transition, then render, sign and store the PDF of the signed version.

    Called by ``sign`` when the quorum is reached; the PDF is rendered exactly once.

    :param obj: a signable record whose current version has reached the quorum
    :param actor: the member whose signature completed the quorum
    :returns: the sign-off record
    """
    from plone.namedfile.file import NamedBlobFile

    from links.content.signing.report_pdf import signed_report_pdf

    config = signoff_config(obj)
    if config is None:
        raise NotSignable(f"No sign-off transition is configured for {obj.portal_type}.")
    store = get_store(obj)
    records = store.current_records()
    # The sign-off is a consequence of the quorum, not a right of the last signer: run it as the system.
    with api.env.adopt_roles(["Manager", roles.GOVERNING_BODY_MEMBER]):
        api.content.transition(obj=obj, transition=config[1])
    seq = store.signoffs.maxKey() + 1 if len(store.signoffs) else 1
    signoff = {
        "seq": seq,
        "version_id": records[0]["version_id"],
        "sha256": records[0]["sha256"],
        "time": _now(),
        "transition": config[1],
        "signatures": [r["seq"] for r in records],
    }
    data = signed_report_pdf(obj, signoff, records, list(store.recusals.values()))
    signoff["pdf"] = NamedBlobFile(
        data=data,
        contentType="application/pdf",
        filename=f"{obj.getId()}-signed-v{signoff['version_id']}.pdf",
    )
    store.signoffs[seq] = signoff
    # The next proposal of this record starts with no signatures; these stay valid in the log.
    store.current.clear()
    notify(
        events.SignoffCompleted(
            obj,
            details={k: signoff[k] for k in ("seq", "version_id", "sha256", "transition", "signatures")},
            actor=actor,
        )
    )
    return signoff


def supersede_pending(obj, actor: str | None = None) -> list[int]:
    """Mark the signatures on the current version superseded if the record's content has changed.

    :returns: sequence numbers superseded (empty when nothing was pending or the content is unchanged)
    """
    store = get_store(obj)
    if store is None or not len(store.current):
        return []
    sha256 = canonical_hash(obj)
    if all(r["sha256"] == sha256 for r in store.current_records()):
        return []
    seqs = store.supersede_current(_now(), "The record was edited after it was signed.", sha256)
    notify(events.SignatureSuperseded(obj, details={"signatures": seqs, "sha256": sha256}, actor=actor))
    return seqs


def signatures(obj, verify: bool = True) -> list[dict]:
    """Every signature of the record, oldest first, with its status and verification.

    :param obj: a signable record
    :param verify: add ``verification``: ``seal_valid`` (the Ed25519 seal checks with the site's
        public key) and ``hash_matches`` (the signed version, retrieved from CMFEditions, still
        hashes to the signed SHA-256)
    :returns: list of dicts (the sealed record plus ``status`` and ``verification``)
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
    repository = api.portal.get_tool("portal_repository")
    try:
        with api.env.adopt_roles(["Manager"]):
            document = canonical_document(repository.retrieve(obj, version_id).object)
    except Exception:
        logger.warning("Cannot retrieve version %s of %r", version_id, obj, exc_info=True)
        return None
    _relations_as_saved(document, obj.UID(), version_id)
    return hashlib.sha256(dumps(document)).hexdigest()


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
    "status",
    "supersede_pending",
]
