"""The audit trail's API. Subscribers, services, views and the command line call these functions.

Writes: ``record()`` (in the current transaction, chained right after commit) and ``record_read()`` (views
and failed logins: to the append-only files, never the ZODB). Reads: ``entries()``, ``verify()``,
``export_csv()`` / ``export_jsonl()`` (generators). Storage design: storage.py; encoding: encoding.py and
the README ("Audit trail").
"""

import csv
import io
import time
from collections.abc import Iterator
from datetime import UTC
from datetime import date
from datetime import datetime

import transaction
from plone import api as ploneapi

from links.content.audit import merkle
from links.content.audit import readstore
from links.content.audit.checkpoints import latest
from links.content.audit.checkpoints import seal_head
from links.content.audit.exceptions import InvalidFilter
from links.content.audit.exceptions import InvalidProofRequest
from links.content.audit.storage import chain
from links.content.audit.storage import chain_after_commit
from links.content.audit.storage import chain_in_own_transaction
from links.content.audit.storage import checkpoint_every
from links.content.audit.storage import enqueue
from links.content.audit.storage import flush_now
from links.content.audit.storage import get_log
from links.content.audit.storage import now_iso
from links.content.audit.verify import last_anchor
from links.content.audit.verify import verify_chain
from links.content.audit.verify import verify_readstore
from links.content.audit.witness import verify_records
from links.content.integrity import decode
from links.content.integrity import encode
from links.content.integrity import json_safe

FIELDS = ("seq", "timestamp", "actor", "action", "uid", "path", "portal_type", "details", "prev_hash", "hash")
FILTERS = ("from", "to", "actor", "action", "portal_type", "uid")


def _current_actor() -> str:
    from AccessControl import getSecurityManager

    user = getSecurityManager().getUser()
    return (user.getId() if user is not None else None) or "Anonymous User"


def _describe(obj) -> dict:
    """uid, path and portal_type of a record (empty strings for the site or non-content)."""
    if obj is None:
        return {"uid": "", "path": "", "portal_type": ""}
    uid = getattr(obj, "UID", None)
    path = getattr(obj, "getPhysicalPath", None)
    return {
        "uid": (uid() if callable(uid) else "") or "",
        "path": "/".join(path()) if path else "",
        "portal_type": getattr(obj, "portal_type", "") or "",
    }


def make_entry(action: str, obj=None, details: dict | None = None, actor: str | None = None) -> dict:
    """An entry dict (not yet chained) for ``action`` on ``obj``."""
    entry = {
        "timestamp": now_iso(),
        "actor": actor or _current_actor(),
        "action": action,
        "details": json_safe(details or {}),
    }
    entry.update(_describe(obj))
    return entry


def record(action: str, obj=None, details: dict | None = None, actor: str | None = None, site=None) -> dict:
    """Record an event in the same transaction as the change it describes.

    :param action: stable dotted name, e.g. "record.modified", "signature.added"
    :param obj: the record concerned (None for site-wide events)
    :param details: JSON-serialisable facts (no personal data of confidential records)
    :param actor: user id; default the current user
    :param site: the Plone site; default the current one
    :returns: the entry as buffered (seq and hash are assigned when chained after commit)
    """
    site = site or ploneapi.portal.get()
    entry = make_entry(action, obj, details, actor)
    enqueue(get_log(site, create=True), entry)
    return entry


def record_read(
    action: str, obj=None, details: dict | None = None, actor: str | None = None, site_id: str | None = None
) -> dict:
    """Record a read-only event (confidential view, failed login) outside the ZODB, immediately.

    :returns: the entry with seq, prev_hash and hash of the read-event chain
    """
    site = ploneapi.portal.get()
    site_id = site_id or site.getId()
    entry = readstore.append(site_id, make_entry(action, obj, details, actor))
    if site.getId() == site_id:
        _anchor_reads_after_commit(site)
    return entry


#: Seconds between read-time anchors of the read-event heads (per process and site).
ANCHOR_EVERY = 60
_anchored: dict = {}


def _anchor_reads_after_commit(site) -> None:
    """After this request commits (a read request commits nothing, but its hooks still run), let the
    chainer anchor the read-event heads into the chain, unless it was asked less than ``ANCHOR_EVERY``
    seconds ago: reads stay off the ZODB's hot path, yet the files' tail is anchored within a minute of
    activity (README, "What a witness can prove")."""
    log = get_log(site)
    if log is None or getattr(log, "_p_oid", None) is None:
        return
    key = "/".join(site.getPhysicalPath())
    now = time.monotonic()
    if now - _anchored.get(key, -ANCHOR_EVERY) < ANCHOR_EVERY:
        return
    _anchored[key] = now
    transaction.get().addAfterCommitHook(chain_after_commit, (log,))


def chain_now(site=None) -> int:
    """Chain pending entries in the current transaction (tests, scripts; requests chain after commit).

    :returns: number of entries chained
    """
    flush_now()
    log = get_log(site or ploneapi.portal.get())
    return chain(log, checkpoint=seal_head, every=checkpoint_every()) if log is not None else 0


def checkpoint(site=None) -> dict | None:
    """Sign a checkpoint of the tree now (exports, site creation, the daily cron). Entries still waiting in
    the queue are chained first, so the checkpoint covers everything committed. The caller's transaction
    must commit; the witnesses are e-mailed after it does.

    :returns: the checkpoint, or None when the log is empty
    """
    site = site or ploneapi.portal.get()
    flush_now()
    log = get_log(site)
    if log is None:
        return None
    chain(log, checkpoint=seal_head, every=checkpoint_every())
    return seal_head(log)


def checkpoint_committed(site=None) -> int:
    """Make sure a signed checkpoint of the committed trail exists, in a transaction of its own (exports,
    site creation): nothing is written in the caller's transaction, so it cannot conflict with a chainer.

    :returns: entries chained on the way
    """
    site = site or ploneapi.portal.get()
    log = get_log(site)
    if log is None or log._p_jar is None or log._p_oid is None:
        return 0
    return chain_in_own_transaction(log._p_jar.db(), log._p_oid, every=checkpoint_every(), seal=True)


def get_checkpoint(site=None, size: int | None = None) -> dict | None:
    """The newest checkpoint, or the one made at exactly ``size`` entries (None: there is none)."""
    return latest(get_log(site or ploneapi.portal.get()), size)


def _tree_size(log, name: str, value, low: int = 1) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidProofRequest(f"'{name}' must be a whole number, not {value!r}") from None
    size = log.merkle_size if log is not None else 0
    if not low <= number <= size:
        raise InvalidProofRequest(f"'{name}' must be between {low} and {size} (the entries in the tree)")
    return number


def inclusion_proof(seq, size=None, site=None) -> dict:
    """RFC 9162 inclusion proof of entry ``seq`` in the tree of the first ``size`` entries.

    :param seq: the entry's seq (its leaf index is seq - 1)
    :param size: tree size (default: the whole tree)
    :returns: ``{"leaf_index", "tree_size", "leaf_hash", "audit_path": [hex, ...], "root_hash"}``
    :raises InvalidProofRequest: seq or size not a whole number or out of range
    """
    log = get_log(site or ploneapi.portal.get())
    size = _tree_size(log, "size", log.merkle_size if size is None and log is not None else size)
    seq = _tree_size(log, "seq", seq)
    if seq > size:
        raise InvalidProofRequest(f"'seq' ({seq}) must not be greater than 'size' ({size})")
    path = merkle.inclusion_proof(log.merkle_node, seq - 1, size)
    return {
        "leaf_index": seq - 1,
        "tree_size": size,
        "leaf_hash": log.merkle_node(0, seq - 1).hex(),
        "audit_path": [node.hex() for node in path],
        "root_hash": merkle.root(log.merkle_node, size).hex(),
    }


def consistency_proof(first, second=None, site=None) -> dict:
    """RFC 9162 consistency proof between the trees of ``first`` and ``second`` entries.

    :returns: ``{"first", "second", "proof": [hex, ...], "first_root", "second_root"}``
    :raises InvalidProofRequest: not whole numbers, out of range, or first > second
    """
    log = get_log(site or ploneapi.portal.get())
    second = _tree_size(log, "to", log.merkle_size if second is None and log is not None else second)
    first = _tree_size(log, "from", first)
    if first > second:
        raise InvalidProofRequest(f"'from' ({first}) must not be greater than 'to' ({second})")
    return {
        "first": first,
        "second": second,
        "proof": [node.hex() for node in merkle.consistency_proof(log.merkle_node, first, second)],
        "first_root": merkle.root(log.merkle_node, first).hex(),
        "second_root": merkle.root(log.merkle_node, second).hex(),
    }


def _parse_day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidFilter(f"'{name}' must be an ISO date like 2026-11-23, not {value!r}") from None


def parse_filters(query: dict) -> dict:
    """Validate request filters.

    :param query: mapping with any of from, to (ISO dates or datetimes), actor, action, portal_type, uid
    :returns: cleaned filters (dates as ISO strings bounding timestamps)
    :raises InvalidFilter: with a message saying what to fix
    """
    filters = {}
    for name, value in query.items():
        if name not in FILTERS:
            continue
        if not isinstance(value, str) or not value.strip():
            raise InvalidFilter(f"'{name}' must be a non-empty text value")
        filters[name] = value.strip()
    for name in ("from", "to"):
        if name in filters:
            value = filters[name]
            day = _parse_day(value, name)
            if len(value) > 10:
                try:
                    datetime.fromisoformat(value)
                except ValueError:
                    raise InvalidFilter(f"'{name}' must be an ISO date or date-time, not {value!r}") from None
            filters[name + "_day"] = day
    if "from_day" in filters and "to_day" in filters and filters["from_day"] > filters["to_day"]:
        raise InvalidFilter("'from' must not be after 'to'")
    return filters


def _moment(value: str) -> datetime:
    """An ISO date-time filter as an aware datetime (no offset given: UTC)."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _within_times(entry: dict, filters: dict) -> bool:
    """Refine day-level matches when from/to carry a time of day."""
    low, high = filters.get("from", ""), filters.get("to", "")
    if len(low) <= 10 and len(high) <= 10:
        return True
    stamp = datetime.fromisoformat(entry["timestamp"])
    if len(low) > 10 and stamp < _moment(low):
        return False
    return not (len(high) > 10 and stamp > _moment(high))


def _as_dict(seq: int, value) -> dict:
    body, stored = value
    entry = decode(body)
    entry["hash"] = stored
    return entry


def iter_log_entries(log, filters: dict | None = None) -> Iterator[dict]:
    """Every chained entry of ``log`` matching ``filters`` (from ``parse_filters``), oldest first."""
    filters = filters or {}
    seqs = log.matching(filters)
    source = log.entries.items() if seqs is None else ((s, log.entries[s]) for s in seqs)
    for seq, value in source:
        entry = _as_dict(seq, value)
        if _within_times(entry, filters):
            yield entry


def iter_entries(filters: dict | None = None, site=None) -> Iterator[dict]:
    """Every chained entry of the site matching ``filters``, oldest first, streamed."""
    log = get_log(site or ploneapi.portal.get())
    if log is not None:
        yield from iter_log_entries(log, filters)


def entries(filters: dict | None = None, start: int = 0, limit: int = 50, site=None) -> tuple[int, list]:
    """A page of entries matching ``filters``, oldest first.

    :param filters: cleaned filters (``parse_filters``)
    :param start: index of the first entry of the page
    :param limit: page size
    :returns: (total, entries of the page)
    """
    log = get_log(site or ploneapi.portal.get())
    if log is None:
        return 0, []
    filters = filters or {}
    seqs = log.matching(filters)
    has_times = len(filters.get("from", "")) > 10 or len(filters.get("to", "")) > 10
    if has_times:  # time-of-day bounds: refine over the (day-bounded) candidates
        matched = list(iter_log_entries(log, filters))
        return len(matched), matched[start : start + limit]
    if seqs is None:
        total = log.last_seq
        page = [_as_dict(s, v) for s, v in log.entries.items(start + 1, start + limit)]
        return total, page
    keys = seqs.keys() if hasattr(seqs, "keys") else seqs
    total = len(seqs)
    return total, [_as_dict(s, log.entries[s]) for s in keys[start : start + limit]]


def verify(site=None, public_key=None, records: bool = True) -> dict:
    """Recompute the whole chain (ZODB and read-event files), check the checkpoint seals and, unless
    ``records`` is false, every version and signature the chain witnesses (``witness.verify_records``).

    :returns: ``{"ok", "zodb": {...}, "files": {...}, "records": {...}}``; each part names ``broken_seq``
        (the seq of the first broken entry, or of the entry whose witness no longer matches) and ``reason``
    """
    from links.content.keys.api import public_key_for

    site = site or ploneapi.portal.get()
    if public_key is None:
        from links.content.keys.api import public_key as site_public_key

        public_key = site_public_key(site.getId())
    log = get_log(site)
    if log is None:
        zodb = {
            "ok": False,
            "store": "zodb",
            "entries": 0,
            "checkpoints": 0,
            "broken_seq": None,
            "reason": "the audit log is missing from the database (removed: nothing in it can be verified)",
        }
    else:
        zodb = verify_chain(log, public_key, key_for=lambda f: public_key_for(f, site))
    files = verify_readstore(site.getId(), last_anchor(log) if zodb["ok"] else None)
    result = {"ok": zodb["ok"] and files["ok"], "zodb": zodb, "files": files}
    if records and not zodb["ok"]:  # the witnesses are entries of the chain: worthless if it is broken
        result["records"] = {
            "ok": False,
            "store": "records",
            "skipped": True,
            "broken_seq": None,
            "reason": "not checked: the chain itself is broken",
        }
    elif records:
        result["records"] = verify_records(log)
        result["ok"] = result["ok"] and result["records"]["ok"]
    return result


def export_jsonl(filters: dict | None = None, log=None, shown=None) -> Iterator[str]:
    """Stream matching entries as JSON Lines (one canonical JSON object, with its hash, per line).

    :param log: the AuditLog (default: the current site's)
    :param shown: a function giving each entry as the reader may see it
        (``links.content.disclosure.free_text_filter``; default: as stored)
    """
    log = log if log is not None else get_log(ploneapi.portal.get())
    for entry in iter_log_entries(log, filters) if log is not None else ():
        yield encode(shown(entry) if shown else entry) + "\n"


def export_csv(filters: dict | None = None, log=None, shown=None) -> Iterator[str]:
    """Stream matching entries as CSV (header first; details as JSON), in chunks of about 64 KB
    (``shown`` as for ``export_jsonl``)."""
    log = log if log is not None else get_log(ploneapi.portal.get())
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(FIELDS)
    for entry in iter_log_entries(log, filters) if log is not None else ():
        entry = shown(entry) if shown else entry
        writer.writerow([encode(entry[f]) if f == "details" else entry.get(f, "") for f in FIELDS])
        if buffer.tell() > 65536:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
