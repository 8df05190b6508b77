"""Verification: recompute the chain and its Merkle tree, check the checkpoints and the read-event files.

The ZODB chain is streamed bucket by bucket from the ``LOBTree``. Per entry: one sha256 over the stored
body (stored exactly as hashed, so nothing is re-encoded), a compare, a check that the body names the
previous hash, and the leaf added to a running Merkle root (``merkle.CompactRange``, O(log n) memory). Each
checkpoint's root is compared with the root recomputed at its size, and its signature checked. The first
failure is reported with its seq and reason.
"""

import hashlib

from links.content.audit import merkle
from links.content.audit import readstore
from links.content.audit.checkpoints import check
from links.content.audit.encoding import GENESIS
from links.content.audit.encoding import canonical
from links.content.integrity import decode

PREV_KEY = '"prev_hash":"'


def _names_seq(body: str, seq: int) -> bool:
    return body.startswith(f'","seq":{seq},', body.rfind(PREV_KEY) + 77)


def _broken(result: dict, store: str, seq, reason: str) -> dict:
    result.update(ok=False, store=store, broken_seq=seq, reason=reason)
    return result


def verify_chain(log, public_key=None, key_for=None) -> dict:
    """Verify the ZODB chain of ``log``, its Merkle tree and its checkpoints.

    :param log: the AuditLog
    :param public_key: Ed25519PublicKey for checkpoint seals (None: seals are not checked)
    :param key_for: callable(fingerprint) -> public key or None, for checkpoints signed by a retired key
    :returns: ``{"ok", "entries", "checkpoints", "pending", "broken_seq", "reason", "root_hash"}``
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
    tree = merkle.CompactRange()
    append = tree.append
    sizes, roots = {s for s, c in log.checkpoints.items() if "size" in c}, {}
    for seq, (body, stored) in log.entries.items():
        if seq != expected:
            return _broken(result, "zodb", expected, f"entry {expected} is missing (next entry is {seq})")
        raw = body.encode("utf-8")
        if sha256(raw).hexdigest() != stored:
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
        append(sha256(b"\x00" + raw).digest())  # the RFC 9162 leaf (merkle.leaf_hash), encoded once
        if seq in sizes:
            roots[seq] = tree.root()
    result["entries"] = expected - 1
    result["root_hash"] = tree.root().hex()
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
    for seq in (*(s for s, c in log.checkpoints.items() if "size" not in c), log.last_seq):
        if 0 < seq <= log.last_seq and not _names_seq(log.entries[seq][0], seq):
            return _broken(result, "zodb", seq, f"the entry does not name seq {seq}")
    beyond = _indexed_beyond_head(log)
    if beyond:
        return _broken(
            result,
            "zodb",
            log.last_seq + 1,
            f"the indexes name entry {beyond} but the chain ends at {log.last_seq} "
            "(entries cut from the end of the chain)",
        )
    if log.merkle_size == log.last_seq and log.last_seq:
        try:
            stored_root = merkle.root(log.merkle_node, log.last_seq)
        except KeyError:
            stored_root = None
        if stored_root != tree.root():
            return _broken(
                result, "zodb", log.last_seq, "the stored Merkle tree does not match the entries (altered)"
            )
    for seq, checkpoint in log.checkpoints.items():
        if seq > log.last_seq:
            return _broken(
                result,
                "zodb",
                log.last_seq + 1,
                f"checkpoint {seq} is beyond the head {log.last_seq}: entries were cut from the end",
            )
        if "size" in checkpoint:
            if roots.get(seq, b"").hex() != checkpoint.get("root_hash"):
                return _broken(
                    result,
                    "zodb",
                    seq,
                    f"the first {seq} entries do not have the Merkle root signed by checkpoint {seq} "
                    "(an entry up to it was altered, removed or replaced)",
                )
        elif log.entries[seq][1] != checkpoint.get("hash"):
            return _broken(
                result, "zodb", seq, f"entry {seq} does not match the hash sealed by its checkpoint"
            )
        key = public_key
        if key_for is not None and checkpoint.get("key_fingerprint"):
            key = key_for(checkpoint["key_fingerprint"]) or public_key
        if key is not None and not check(checkpoint, key):
            return _broken(result, "zodb", seq, f"the seal of checkpoint {seq} is not valid")
        result["checkpoints"] += 1
    return result


def _indexed_beyond_head(log) -> int | None:
    """The highest seq the head shard's indexes name beyond the head (a cut tail leaves them), or None."""
    if not log.shards:
        return None
    shard = log.shards[log.shards.maxKey()]
    highest = 0
    for name in ("by_day", "by_action"):  # every entry is in both; each has few keys
        for seqs in getattr(shard, name).values():
            if seqs:
                highest = max(highest, seqs.maxKey())
    if log.shards.maxKey() > log.shard_number(max(log.last_seq, 1)) or highest > log.last_seq:
        return max(highest, log.last_seq + 1)
    return None


def last_anchor(log) -> tuple[int, dict] | None:
    """The newest ``reads.anchored`` entry of the chain: (its seq, the heads it anchors), or None."""
    from links.content.audit.storage import ANCHOR_ACTION

    seqs = log.matching({"action": ANCHOR_ACTION}) if log is not None else None
    for seq in reversed(list(seqs or ())):
        stored = log.entries.get(seq)
        if stored is not None:
            return seq, (decode(stored[0]).get("details") or {}).get("heads") or {}
    return None


def verify_readstore(site_id: str, anchor: tuple[int, dict] | None = None) -> dict:
    """Verify the read-event files of a site (same rules as the ZODB chain) against the heads the ZODB
    chain anchored last, so a cut, rewritten or deleted tail up to the anchor is named.

    :param anchor: ``last_anchor(log)``: (seq of the anchoring entry, {instance: {"seq", "hash"}})
    """
    result = {"ok": True, "entries": 0, "broken_seq": None, "reason": None, "store": "files", "instances": {}}
    groups = readstore.chains(readstore.audit_path(site_id))
    anchored_at, heads = anchor or (None, {})
    for instance in sorted(set(groups) | set(heads)):
        found = check_read_chain(readstore.read_files(groups.get(instance, ())), heads.get(instance))
        result["entries"] += found["entries"]
        result["instances"][instance] = {"entries": found["entries"], "head": found["head"]}
        if not found["ok"]:
            name = f"instance {instance!r}" if instance else "read-event files"
            reason = found["reason"]
            if found.get("anchored"):
                reason += f" (anchored by ZODB entry {anchored_at})"
            return _broken(result, "files", found["broken_seq"], f"{name}: {reason}")
    if anchor is None:
        result["unanchored"] = "no reads.anchored entry in the chain: a cut tail of the files is not provable"
    return result


def check_read_chain(entries, head: dict | None = None) -> dict:
    """Check one read-event chain (entries in order) and that it reaches the anchored ``head``.

    Shared with the offline verifier (``links-verify log --reads``): standard library only.
    :returns: ``{"ok", "entries", "broken_seq", "reason", "anchored"}``
    """
    result = {"ok": True, "entries": 0, "broken_seq": None, "reason": None, "anchored": False, "head": None}
    prev, expected, hashes = GENESIS, 1, {}
    want = (head or {}).get("seq")
    for entry in entries:
        if "_line" in entry:
            return _broken(
                result, "files", expected, f"line of entry {expected} in {entry['_file']} is not JSON"
            )
        seq = entry.get("seq")
        if seq != expected:
            return _broken(result, "files", expected, f"entry {expected} is missing (next entry is {seq})")
        if hashlib.sha256(canonical(entry).encode("utf-8")).hexdigest() != entry.get("hash"):
            return _broken(result, "files", seq, "the entry's content does not match its hash (altered)")
        if entry.get("prev_hash") != prev:
            return _broken(result, "files", seq, f"prev_hash does not match the hash of entry {seq - 1}")
        if seq == want:
            hashes[seq] = entry["hash"]
        prev, expected = entry["hash"], seq + 1
    result["entries"], result["head"] = expected - 1, (prev if expected > 1 else None)
    if head:
        result["anchored"] = True
        if not isinstance(want, int) or want < 0:
            return _broken(result, "files", None, "the anchored head is unreadable")
        if expected - 1 < want:
            return _broken(
                result,
                "files",
                expected,
                f"the files end at entry {expected - 1} but entries up to {want} were anchored "
                "(the tail was cut, or day files deleted)",
            )
        if want and hashes.get(want) != head.get("hash"):
            return _broken(
                result, "files", want, f"entry {want} is not the one anchored (rewritten and re-hashed)"
            )
    return result
