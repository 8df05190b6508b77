"""Verification: recompute the whole chain, check checkpoint seals and the read-event files.

The ZODB chain is streamed bucket by bucket from the ``LOBTree``. Per entry: one sha256 over the stored
body (stored exactly as hashed, so nothing is re-encoded), a compare, and a JSON decode to check that the
body names its own seq and the previous hash. The first failure is reported with its seq and reason.
"""

import hashlib

from links.content.audit import readstore
from links.content.audit.checkpoints import check
from links.content.audit.encoding import GENESIS
from links.content.audit.encoding import canonical

PREV_KEY = '"prev_hash":"'


def _names_seq(body: str, seq: int) -> bool:
    return body.startswith(f'","seq":{seq},', body.rfind(PREV_KEY) + 77)


def _broken(result: dict, store: str, seq, reason: str) -> dict:
    result.update(ok=False, store=store, broken_seq=seq, reason=reason)
    return result


def verify_chain(log, public_key=None) -> dict:
    """Verify the ZODB chain of ``log``.

    :param log: the AuditLog
    :param public_key: Ed25519PublicKey for checkpoint seals (None: seals are not checked)
    :returns: ``{"ok", "entries", "checkpoints", "pending", "broken_seq", "reason"}``
    """
    result = {
        "ok": True,
        "entries": 0,
        "checkpoints": 0,
        "pending": len(log.queue.batches),
        "broken_seq": None,
        "reason": None,
        "store": "zodb",
    }
    sha256 = hashlib.sha256
    prev, expected = GENESIS, 1
    for seq, (body, stored) in log.entries.items():
        if seq != expected:
            return _broken(result, "zodb", expected, f"entry {expected} is missing (next entry is {seq})")
        if sha256(body.encode("utf-8")).hexdigest() != stored:
            return _broken(result, "zodb", seq, "the entry's content does not match its hash (altered)")
        # The top-level "prev_hash" is the last one in the canonical body: the keys that follow it (seq,
        # timestamp, uid) hold a number and two strings, which cannot contain an unescaped quote. So no
        # JSON decode is needed to read it (verification speed). The body's own "seq" is covered by its
        # hash; it is compared with the key at every checkpoint and at the head (below).
        at = body.rfind(PREV_KEY)
        if at < 0 or body[at + 13 : at + 77] != prev:
            return _broken(
                result,
                "zodb",
                seq,
                f"prev_hash does not match the hash of entry {seq - 1} "
                f"(entry {seq - 1} or {seq} was altered or replaced)",
            )
        prev, expected = stored, seq + 1
    result["entries"] = expected - 1
    if expected - 1 != log.last_seq or prev != log.last_hash:
        return _broken(
            result,
            "zodb",
            expected,
            f"the chain ends at entry {expected - 1} but the head says {log.last_seq} "
            "(entries removed from the end, or the head was altered)",
        )
    outside = readstore.read_zodb_head(log.site_id) if getattr(log, "site_id", "") else None
    if outside and outside["seq"] > log.last_seq:
        return _broken(
            result,
            "zodb",
            log.last_seq + 1,
            f"the chain once reached entry {outside['seq']} but now ends at {log.last_seq} "
            "(entries removed by an undo or a restore)",
        )
    if outside and outside["seq"] in log.entries and log.entries[outside["seq"]][1] != outside["hash"]:
        return _broken(
            result,
            "zodb",
            outside["seq"],
            f"entry {outside['seq']} is not the one chained earlier "
            "(entries replaced after an undo or a restore)",
        )
    for seq in (*log.checkpoints.keys(), log.last_seq):
        if 0 < seq <= log.last_seq and not _names_seq(log.entries[seq][0], seq):
            return _broken(result, "zodb", seq, f"the entry does not name seq {seq}")
    for seq, checkpoint in log.checkpoints.items():
        if seq > log.last_seq:
            return _broken(result, "zodb", seq, f"checkpoint {seq} is beyond the head: entries were removed")
        if log.entries[seq][1] != checkpoint.get("hash"):
            return _broken(
                result, "zodb", seq, f"entry {seq} does not match the hash sealed by its checkpoint"
            )
        if public_key is not None and not check(checkpoint, public_key):
            return _broken(result, "zodb", seq, f"the seal of checkpoint {seq} is not valid")
        result["checkpoints"] += 1
    return result


def verify_readstore(site_id: str) -> dict:
    """Verify the read-event files of a site: every instance's chain (same rules as the ZODB chain).

    ``entries`` counts all instances; ``instances`` maps each instance id to its entries and head hash;
    a broken chain's reason names its instance.
    """
    result = {"ok": True, "entries": 0, "broken_seq": None, "reason": None, "store": "files", "instances": {}}
    for instance in readstore.instances(readstore.audit_dir(site_id)):
        label = f"instance {instance!r}: " if instance else ""
        prev, expected = GENESIS, 1
        for entry in readstore.read(site_id, instance):
            if "_line" in entry:
                return _broken(
                    result,
                    "files",
                    expected,
                    f"{label}line of entry {expected} in {entry['_file']} is not JSON",
                )
            seq = entry.get("seq")
            if seq != expected:
                return _broken(
                    result, "files", expected, f"{label}entry {expected} is missing (next entry is {seq})"
                )
            if hashlib.sha256(canonical(entry).encode("utf-8")).hexdigest() != entry.get("hash"):
                return _broken(
                    result, "files", seq, f"{label}the entry's content does not match its hash (altered)"
                )
            if entry.get("prev_hash") != prev:
                return _broken(
                    result, "files", seq, f"{label}prev_hash does not match the hash of entry {seq - 1}"
                )
            prev, expected = entry["hash"], seq + 1
        result["instances"][instance] = {"entries": expected - 1, "head": prev}
        result["entries"] += expected - 1
    return result
