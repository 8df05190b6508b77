"""``links-verify log``: check a council's copy of the audit trail against checkpoints kept outside the host.

Usage::

    links-verify log [TRAIL.jsonl] --checkpoint CHECKPOINT.json (--public-key KEY.pem | --fingerprint SHA256)
                     [--old OLD-CHECKPOINT.json [--consistency CONSISTENCY.json]]
                     [--proof PROOF.json --entry ENTRY.json] [--reads AUDIT-DIR] [--json]

- ``TRAIL.jsonl`` (``GET <site>/@audit-export?format=jsonl``, unfiltered): every entry's hash, ``prev_hash``
  and ``seq`` (no gap) are checked, the RFC 9162 Merkle root of the first ``size`` entries must be the root
  signed by ``--checkpoint`` (and by ``--old``). A trail shorter than the checkpoint, or one rewritten and
  re-hashed, does not have that root, whatever the host did to its own head files.
- ``--old`` with ``--consistency`` (``GET @audit-consistency?from=OLD&to=NEW``): the newer checkpoint
  extends the older one (RFC 9162 §2.1.4), without the trail.
- ``--proof`` (``GET @audit-proof?seq=N&size=M``) with ``--entry`` (that entry as one JSON object): the entry
  is in the tree the checkpoint signed (RFC 9162 §2.1.3).
- ``--reads`` (a copy of ``var/audit/<site>``): the read-event files chain and reach the heads that the
  trail's last ``reads.anchored`` entry anchored.

A checkpoint counts only if it is signed by the trusted key (the file, or a key whose SHA-256 fingerprint
is the one given). Standard library and ``cryptography`` only: no Zope, no Plone, no database.
Exit status: 0 everything checked holds, 1 something does not (each finding is named), 2 unusable input.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from links.content.audit import merkle
from links.content.audit.checkpoints import check
from links.content.audit.encoding import GENESIS
from links.content.audit.encoding import canonical
from links.content.audit.verify import check_read_chain
from links.content.integrity import decode
from links.content.integrity import key_fingerprint
from links.content.integrity import load_public_key
from links.content.integrity import sha256_hex

ANCHOR_ACTION = "reads.anchored"  # storage.ANCHOR_ACTION (storage imports the ZODB)


class Unusable(Exception):
    """Input the verifier cannot work with (exit 2)."""


def _json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise Unusable(f"cannot read {path}: {error.strerror or error}") from None
    except ValueError as error:
        raise Unusable(f"{path} is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise Unusable(f"{path} is not a JSON object")
    return data


def _checkpoint(path: Path, key, findings: list) -> dict:
    data = _json(path)
    try:
        size, root = int(data["size"]), bytes.fromhex(data["root_hash"])
    except (KeyError, TypeError, ValueError):
        raise Unusable(f"{path} is not an audit checkpoint (size, root_hash)") from None
    if size < 1 or len(root) != 32:
        raise Unusable(f"{path} is not an audit checkpoint (size, root_hash)")
    if not check(data, key):
        findings.append(f"checkpoint {path.name}: NOT SIGNED by the trusted key: it proves nothing")
    return data


def _hexes(values, what: str) -> list[bytes]:
    try:
        found = [bytes.fromhex(v) for v in values]
    except (TypeError, ValueError):
        raise Unusable(f"{what} is not a list of hex hashes") from None
    if any(len(v) != 32 for v in found):
        raise Unusable(f"{what} is not a list of SHA-256 hashes")
    return found


def check_trail(path: Path, sizes: set[int]) -> dict:
    """Stream a JSON Lines export: check the chain and compute the Merkle root at each of ``sizes``.

    :returns: ``{"entries", "roots": {size: bytes}, "problem": text or None, "anchor": (seq, heads)}``
    """
    result = {"entries": 0, "roots": {}, "problem": None, "anchor": None}
    tree, prev, expected = merkle.CompactRange(), GENESIS, 1
    try:
        handle = open(path, encoding="utf-8")  # noqa: SIM115 (closed below)
    except OSError as error:
        raise Unusable(f"cannot read {path}: {error.strerror or error}") from None
    with handle:
        for number, line in enumerate(handle, 1):
            try:
                entry = decode(line)
                body = canonical(entry)
            except (ValueError, TypeError):
                result["problem"] = f"line {number} is not an audit entry"
                break
            if not isinstance(entry, dict) or entry.get("seq") != expected:
                seq = entry.get("seq") if isinstance(entry, dict) else None
                result["problem"] = f"entry {expected} is missing (line {number} holds entry {seq})"
                break
            if sha256_hex(body) != entry.get("hash"):
                result["problem"] = f"entry {expected}'s content does not match its hash (altered)"
                break
            if entry.get("prev_hash") != prev:
                result["problem"] = f"entry {expected}'s prev_hash is not entry {expected - 1}'s hash"
                break
            tree.append(merkle.leaf_hash(body))
            if expected in sizes:
                result["roots"][expected] = tree.root()
            if entry.get("action") == ANCHOR_ACTION:
                result["anchor"] = (expected, (entry.get("details") or {}).get("heads") or {})
            prev, expected = entry["hash"], expected + 1
    result["entries"] = expected - 1
    return result


def _reads(directory: Path, anchor, findings: list, notes: list) -> None:
    from links.content.audit.readstore import chains
    from links.content.audit.readstore import read_files

    if not directory.is_dir():
        raise Unusable(f"{directory} is not a directory")
    groups = chains(directory)
    anchored_at, heads = anchor or (None, {})
    if anchor is None:
        notes.append(
            "the trail anchors no read-event head: a cut tail of the read-event files is not provable"
        )
    for instance in sorted(set(groups) | set(heads)):
        found = check_read_chain(read_files(groups.get(instance, ())), heads.get(instance))
        name = f"instance {instance!r}" if instance else "read-event files"
        if not found["ok"]:
            where = f" (anchored by trail entry {anchored_at})" if found["anchored"] else ""
            findings.append(f"{name}: BROKEN at entry {found['broken_seq']}: {found['reason']}{where}")
        else:
            notes.append(f"{name}: OK, {found['entries']} entries")


def log(argv: list[str]) -> int:
    """``links-verify log``."""
    parser = argparse.ArgumentParser(
        prog="links-verify log",
        description="Check the audit trail against checkpoints kept outside the host.",
    )
    parser.add_argument("trail", type=Path, nargs="?", help="JSON Lines export of the whole trail")
    parser.add_argument("--checkpoint", type=Path, required=True, help="a signed checkpoint (JSON)")
    parser.add_argument("--public-key", type=Path, help="the network's public key (PEM, @@audit-public-key)")
    parser.add_argument("--fingerprint", help="SHA-256 fingerprint of the network's public key")
    parser.add_argument("--old", type=Path, help="an older checkpoint the witness kept")
    parser.add_argument(
        "--consistency", type=Path, help="@audit-consistency answer from --old to --checkpoint"
    )
    parser.add_argument("--proof", type=Path, help="@audit-proof answer for one entry")
    parser.add_argument("--entry", type=Path, help="the entry the proof is about (one JSON object)")
    parser.add_argument("--reads", type=Path, help="a copy of the site's read-event folder")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    args = parser.parse_args(argv)
    findings: list[str] = []
    notes: list[str] = []
    try:
        key = _trusted_key(args)
        new = _checkpoint(args.checkpoint, key, findings)
        old = _checkpoint(args.old, key, findings) if args.old else None
        if old and old["size"] > new["size"]:
            raise Unusable("--old must be the older checkpoint (its size is larger than --checkpoint's)")
        if args.trail:
            _trail(args.trail, new, old, findings, notes, args.reads)
        elif args.reads:
            raise Unusable("--reads needs the trail (its last reads.anchored entry holds the heads)")
        if args.consistency:
            _consistency(args.consistency, old, new, findings, notes)
        if args.proof:
            _inclusion(args.proof, args.entry, new, findings, notes)
        if not (args.trail or args.consistency or args.proof):
            raise Unusable("nothing to check: give the trail, --consistency or --proof")
    except Unusable as error:
        print(f"links-verify: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"ok": not findings, "findings": findings, "notes": notes}, indent=2))
    else:
        for note in notes:
            print(note)
        for finding in findings:
            print(f"FAILED: {finding}")
        print("VERIFIED" if not findings else f"NOT VERIFIED: {len(findings)} finding(s)")
    return 0 if not findings else 1


def _trusted_key(args):
    if args.public_key:
        try:
            key = load_public_key(args.public_key.read_bytes())
        except OSError as error:
            raise Unusable(f"cannot read {args.public_key}: {error.strerror or error}") from None
        except ValueError:
            raise Unusable(f"{args.public_key} is not a PEM public key") from None
        if args.fingerprint and key_fingerprint(key) != args.fingerprint.lower():
            raise Unusable("the public key does not have the fingerprint given")
        return key
    if args.fingerprint:
        raise Unusable("give the public key (--public-key) too: a fingerprint alone cannot check a signature")
    raise Unusable("give the network's public key (--public-key): without it nothing is trusted")


def _trail(path, new, old, findings, notes, reads) -> None:
    sizes = {new["size"], *((old["size"],) if old else ())}
    trail = check_trail(path, sizes)
    if trail["problem"]:
        findings.append(f"trail {path.name}: BROKEN: {trail['problem']}")
    for checkpoint, label in ((old, "older checkpoint"), (new, "checkpoint")):
        if checkpoint is None:
            continue
        size = checkpoint["size"]
        root = trail["roots"].get(size)
        if root is None:
            findings.append(
                f"{label} {size}: the trail holds only {trail['entries']} verifiable entries "
                f"(entries cut from the end, or the log dropped)"
            )
        elif root.hex() != checkpoint["root_hash"]:
            findings.append(
                f"{label} {size}: the first {size} entries of the trail do not have the signed root "
                "(rewritten, replaced or re-hashed history)"
            )
        else:
            notes.append(f"{label} {size} ({checkpoint['time']}): the trail's first {size} entries match")
    beyond = trail["entries"] - new["size"]
    if beyond > 0 and not trail["problem"]:
        notes.append(
            f"{beyond} entries after checkpoint {new['size']} are chained but no checkpoint covers them"
        )
    if reads is not None:
        _reads(reads, trail["anchor"], findings, notes)


def _consistency(path, old, new, findings, notes) -> None:
    if old is None:
        raise Unusable("--consistency needs --old (the older checkpoint)")
    proof = _json(path)
    if proof.get("first") != old["size"] or proof.get("second") != new["size"]:
        raise Unusable(
            f"{path} is a proof from {proof.get('first')} to {proof.get('second')}, not between the two"
        )
    hashes = _hexes(proof.get("proof"), str(path))
    ok = merkle.verify_consistency(
        old["size"], new["size"], hashes, bytes.fromhex(old["root_hash"]), bytes.fromhex(new["root_hash"])
    )
    if ok:
        notes.append(f"checkpoint {new['size']} extends checkpoint {old['size']} (consistency proof holds)")
    else:
        findings.append(
            f"checkpoint {new['size']} does NOT extend checkpoint {old['size']}: "
            "history was rewritten or forked"
        )


def _inclusion(path, entry_path, new, findings, notes) -> None:
    if entry_path is None:
        raise Unusable("--proof needs --entry (the entry it proves)")
    proof, entry = _json(path), _json(entry_path)
    if proof.get("tree_size") != new["size"]:
        raise Unusable(f"{path} is a proof in a tree of {proof.get('tree_size')}, not {new['size']}")
    seq = entry.get("seq")
    if not isinstance(seq, int) or proof.get("leaf_index") != seq - 1:
        raise Unusable(f"{path} proves leaf {proof.get('leaf_index')}, not entry {seq}")
    if sha256_hex(canonical(entry)) != entry.get("hash"):
        findings.append(f"entry {seq}: its content does not match its hash (altered)")
        return
    leaf = merkle.leaf_hash(canonical(entry))
    hashes = _hexes(proof.get("audit_path"), str(path))
    if merkle.verify_inclusion(leaf, seq - 1, new["size"], hashes, bytes.fromhex(new["root_hash"])):
        notes.append(f"entry {seq} is in the trail checkpoint {new['size']} signed (inclusion proof holds)")
    else:
        findings.append(f"entry {seq} is NOT in the trail checkpoint {new['size']} signed")
