"""Witnesses of versions and signatures in the hash chain, so verification notices if either changes.

The chain proves that its own entries are intact. Versions (CMFEditions) and signatures live elsewhere
in the ZODB, where anyone with database access could change or remove them. So every saved version is
*witnessed*: a ``version.saved`` entry names the record, the version id and the SHA-256 of the version's
canonical form (``links.content.canonical``) without its relation fields (``witness_hash``); every signature
is already witnessed by its ``signature.added`` / ``signature.rejected`` entry (seq, version id,
SHA-256, signer). ``verify_records`` re-reads each witnessed version and signature and names the first
entry whose witness no longer matches: altered, removed, or, for signatures, sealed with a broken seal.

Versions are witnessed in the saving transaction, right after the save (``witness_later``, on the
record's add, edit, workflow or domain event), by whatever code path saved them: the versioning
behavior, ``history.api.save``, signing, reverts. A site annotation remembers which versions are
witnessed (a ``(uid, version_id)`` OOBTree, only to avoid writing a witness twice; verification trusts
the chain alone).
"""

from __future__ import annotations

import logging

from Acquisition import aq_base
from BTrees.OOBTree import OOBTree
from plone import api

from links.content.annotations import annotated_tree
from links.content.integrity import decode

logger = logging.getLogger(__name__)

KEY = "links.content.audit.versions"
VERSION_SAVED = "version.saved"
SIGNATURE_ACTIONS = ("signature.added", "signature.rejected")


def _witnessed(site, create: bool = False) -> OOBTree | None:
    return annotated_tree(site, KEY, create)


def witness_hash(obj) -> str:
    """SHA-256 of a record version's canonical form without its relation fields.

    CMFEditions does not keep relations in a version: a retrieved version shows today's targets, so a
    hash over them would "change" whenever a relation is edited later. Relations as they were are kept
    per version by ``history.relations`` instead.
    """
    import hashlib

    from links.content.canonical import canonical_document
    from links.content.history.relations import relation_fields
    from links.content.integrity import dumps

    document = canonical_document(obj)
    for name, _field, _schema in relation_fields(obj):
        document["fields"].pop(name, None)
    return hashlib.sha256(dumps(document)).hexdigest()


def version_hash(obj, version_id: int) -> str | None:
    """SHA-256 of the canonical form of a saved version, read back from CMFEditions (None if missing)."""
    repository = api.portal.get_tool("portal_repository")
    try:
        with api.env.adopt_roles(["Manager"]):
            return witness_hash(repository.retrieve(obj, int(version_id)).object)
    except Exception:  # removed, purged, or the history itself is gone
        logger.debug("Cannot retrieve version %s of %r", version_id, obj, exc_info=True)
        return None


def _purged(obj, version_id: int) -> bool:
    """Whether CMFEditions holds only a "removed" placeholder for this version (it was purged); its
    retrieval would silently substitute a neighbouring version."""
    from Products.CMFEditions.ZVCStorageTool import Removed

    history_id = api.portal.get_tool("portal_historyidhandler").queryUid(obj)
    storage = api.portal.get_tool("portal_historiesstorage")
    try:
        data = storage.retrieve(history_id, int(version_id), substitute=False)
    except Exception:
        return True
    return isinstance(data.object, Removed)


def witness(obj) -> int | None:
    """Write a ``version.saved`` entry for the record's latest version, if it has none yet.

    The version is hashed from the record itself, and only while the record is up to date with it (just
    saved, not edited since): retrieving versions from CMFEditions inside a commit is not safe, and the
    canonical form of an up-to-date record is that of its latest version (signatures rely on the same).

    :param obj: a versioned record
    :returns: the version id witnessed now, or None
    """
    from links.content.audit import api as audit_api

    version_id = getattr(aq_base(obj), "version_id", None)
    uid = getattr(obj, "UID", lambda: None)()
    if version_id is None or not uid:
        return None
    site = api.portal.get()
    store = _witnessed(site)
    if store is not None and (uid, int(version_id)) in store:
        return None
    try:
        if not api.portal.get_tool("portal_repository").isUpToDate(obj):
            return None  # edited since its last version: that version was witnessed when it was saved
    except Exception:  # not in the history storage yet
        return None
    sha256 = witness_hash(obj)
    _witnessed(site, create=True)[(uid, int(version_id))] = sha256
    audit_api.record(VERSION_SAVED, obj, {"version_id": int(version_id), "sha256": sha256}, site=site)
    return int(version_id)


def witness_later(obj) -> None:
    """Witness the record's latest version, never failing the caller's save (verification reports gaps).

    Called right after a save: the versioning behavior's subscribers run before ours (its ZCML loads
    first), so the record is then up to date with its new version. Not in a before-commit hook: the
    records touched in a transaction may have been discarded by a savepoint rollback by then.
    """
    try:
        witness(obj)
    except Exception:
        logger.warning("No version witness for %r", obj, exc_info=True)


def version_maybe_saved(obj, event) -> None:
    """Subscriber: the versioning behavior may have saved a version on this add or edit."""
    if getattr(obj, "portal_type", None):
        witness_later(obj)


def _seqs(log, actions) -> list[int]:
    seqs = set()
    for action in actions:
        found = log.matching({"action": action})
        seqs.update(found or ())
    return sorted(seqs)


def _broken(result: dict, seq: int, reason: str) -> dict:
    result.update(ok=False, broken_seq=seq, reason=reason)
    return result


def verify_records(log) -> dict:
    """Check every witnessed version and signature against the record as stored now.

    :param log: the site's AuditLog (the current site must be set)
    :returns: ``{"ok", "store": "records", "versions", "signatures", "broken_seq", "reason"}``, where
        ``broken_seq`` is the seq of the first entry whose witness no longer matches
    """
    from plone.app.uuid.utils import uuidToObject

    from links.content.integrity import verify_seal
    from links.content.keys.api import public_key_for
    from links.content.signing.storage import get_store

    result = {
        "ok": True,
        "store": "records",
        "versions": 0,
        "signatures": 0,
        "broken_seq": None,
        "reason": None,
    }
    deleted = set()
    for seq in _seqs(log, ("record.deleted",)):
        stored = log.entries.get(seq)
        if stored is None:
            return _broken(result, seq, f"entry {seq} is indexed but missing from the chain (cut or removed)")
        deleted.add(decode(stored[0]).get("uid"))
    hashes: dict = {}
    witnessed_versions, witnessed_signatures = set(), set()
    with api.env.adopt_roles(["Manager"]):
        for seq in _seqs(log, (VERSION_SAVED, *SIGNATURE_ACTIONS)):
            stored = log.entries.get(seq)
            if stored is None:
                return _broken(
                    result, seq, f"entry {seq} is indexed but missing from the chain (cut or removed)"
                )
            entry = decode(stored[0])
            uid, details, path = entry.get("uid"), entry.get("details") or {}, entry.get("path")
            if entry["action"] == VERSION_SAVED:
                witnessed_versions.add((uid, details.get("version_id")))
            else:
                witnessed_signatures.add((uid, details.get("seq")))
            obj = uuidToObject(uid, unrestricted=True) if uid else None
            if obj is None:
                if uid in deleted:  # deleting a record is itself an audited event
                    continue
                return _broken(result, seq, f"the record {path} that entry {seq} witnesses is missing")
            if entry["action"] == VERSION_SAVED:
                key = (uid, details.get("version_id"))
                if key not in hashes:
                    hashes[key] = version_hash(obj, details.get("version_id"))
                found = hashes[key]
                # A purged version is retrieved as a neighbouring one: tell removal from alteration.
                if found is None or (found != details.get("sha256") and _purged(obj, key[1])):
                    return _broken(
                        result, seq, f"version {key[1]} of {path} (witnessed by entry {seq}) has been removed"
                    )
                if found != details.get("sha256"):
                    return _broken(
                        result,
                        seq,
                        f"version {key[1]} of {path} no longer matches the SHA-256 witnessed by entry {seq} "
                        "(altered)",
                    )
                result["versions"] += 1
                continue
            store, number = get_store(obj), details.get("seq")
            signature = store.signatures.get(number) if store is not None else None
            if signature is None:
                return _broken(result, seq, f"signature {number} of {path} (entry {seq}) has been removed")
            if (
                signature.get("version_id") != details.get("version_id")
                or signature.get("sha256") != details.get("sha256")
                or signature.get("signer") != entry.get("actor")
            ):
                return _broken(
                    result,
                    seq,
                    f"signature {number} of {path} differs from entry {seq} (altered)",
                )
            key = public_key_for(signature.get("key"))
            if key is None or not verify_seal(signature, key):
                return _broken(
                    result,
                    seq,
                    f"the seal of signature {number} of {path} is not valid (altered)",
                )
            result["signatures"] += 1
        gap, result["unwitnessed_versions"] = _unwitnessed(witnessed_versions, witnessed_signatures)
    if gap:
        return _broken(result, None, gap)
    return result


#: At most this many unwitnessed versions are named in a report.
GAPS_NAMED = 20


def _unwitnessed(versions: set, signatures: set) -> tuple[str | None, list[str]]:
    """What the chain does not witness: (the first signature stored without its entry or witness index
    entry without its chain entry, a failure; the versions stored without a ``version.saved`` entry).

    Unwitnessed versions are named but do not fail verification yet: some code paths still save a
    version the record then changes in the same transaction (e.g. version 0 of an FOI request), which
    ``witness()`` cannot hash safely; nothing proves those versions unaltered, and the report says so.
    """
    from plone.app.uuid.utils import uuidToObject

    from links.content.signing.storage import get_store

    site = api.portal.get()
    for uid, version_id in _witnessed(site) or ():
        if (uid, version_id) not in versions:
            obj = uuidToObject(uid, unrestricted=True)
            where = "/".join(obj.getPhysicalPath()) if obj is not None else uid
            return (
                f"the witness index names version {version_id} of {where}, but the chain has no "
                "version.saved entry for it (its witness entry was removed)"
            ), []
    archivist = api.portal.get_tool("portal_archivist")
    catalog = api.portal.get_tool("portal_catalog")
    gaps: list[str] = []
    for brain in catalog.unrestrictedSearchResults(path="/".join(site.getPhysicalPath())):
        obj = brain._unrestrictedGetObject()
        uid = brain.UID
        store = get_store(obj) if getattr(obj, "portal_type", None) else None
        for number in sorted(store.signatures.keys()) if store is not None else ():
            if (uid, number) not in signatures:
                return f"signature {number} of {brain.getPath()} has no chain entry (added outside it)", []
        if getattr(aq_base(obj), "version_id", None) is None:
            continue
        try:
            history = archivist.getHistoryMetadata(obj)
        except Exception:  # never versioned
            continue
        for index in range(history.getLength(countPurged=False)) if history else ():
            version_id = history.getVersionId(index, countPurged=False)
            if (uid, version_id) not in versions and len(gaps) < GAPS_NAMED:
                gaps.append(
                    f"version {version_id} of {brain.getPath()} has no version.saved entry in the chain: "
                    "not provably unaltered"
                )
    return None, gaps
