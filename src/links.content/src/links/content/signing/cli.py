"""``links-verify pdf`` and ``links-verify signatures``: check a signed-off PDF and a record's signatures
offline, against trust anchors the checker chooses.

Usage::

    links-verify pdf REPORT.pdf (--cert SITE-CERT.pem | --fingerprint SHA256) [--tsa-cert TSA-ROOT.pem]
    links-verify signatures SIGNATURES.json (--public-key SEAL-KEY.pem | --fingerprint SHA256)

``pdf`` validates the PAdES signature(s) with pyHanko: intact (the signed bytes are unchanged), valid
(the signature checks against its certificate), trusted (that certificate is the network's: given as a
file, or as the fingerprint the network publishes), its RFC 3161 timestamp, and whether the file was
changed after signing. ``signatures`` checks the Ed25519 seal of every signature in a saved
``GET <record>/@signatures`` answer with the network's seal public key — given as a file, or as its
fingerprint, in which case the key inside the answer is used only if it has exactly that fingerprint.

Without a trust anchor nothing is called valid: the answer is "signer not trusted" and exit status 1.
Exit status: 0 all valid and trusted, 1 something invalid or not trusted, 2 unusable input.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from links.content.pdf.verify import NOT_TRUSTED
from links.content.pdf.verify import verify_pdf


def _read(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as error:
        raise SystemExit(_fail(f"cannot read {path}: {error.strerror or error}"))


def _fail(message: str) -> int:
    print(f"links-verify: {message}", file=sys.stderr)
    return 2


def pdf(argv: list[str]) -> int:
    """``links-verify pdf``."""
    # pyHanko logs every path it could not build, with a traceback: the verdict below says it in words.
    for name in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    parser = argparse.ArgumentParser(prog="links-verify pdf", description="Check the sealed PDF of a record.")
    parser.add_argument("file", type=Path)
    parser.add_argument("--cert", type=Path, action="append", help="the network's certificate (PEM) to trust")
    parser.add_argument("--fingerprint", help="SHA-256 fingerprint of the network's certificate")
    parser.add_argument("--tsa-cert", type=Path, action="append", help="a timestamp authority's root (PEM)")
    args = parser.parse_args(argv)
    try:
        data = _read(args.file)
        anchors = b"".join(_read(p) for p in args.cert or [])
        tsa = b"".join(_read(p) for p in args.tsa_cert or [])
    except SystemExit as exit:
        return exit.code
    try:
        results = verify_pdf(data, anchors or None, fingerprint=args.fingerprint, tsa_pem=tsa or None)
    except ValueError as error:
        return _fail(f"unusable certificate or PDF: {error}")
    except Exception as error:  # a PDF too broken for pyHanko to read is not valid, not a crash
        print(f"{args.file}: INVALID — cannot be read as a signed PDF ({error})")
        return 1
    if not results:
        print(f"{args.file}: INVALID — no signature found")
        return 1
    for r in results:
        verdict = "VALID" if r["ok"] else ("NOT TRUSTED" if _untrusted_only(r) else "INVALID")
        print(f"{args.file}: signature {r['field']}: {verdict}")
        print(f"  signer: {r['signer']} (certificate SHA-256 {r['signer_fingerprint']})")
        print(f"  level: PAdES {r['level']}; signer's own time: {r['time']}")
        if r["timestamp"]:
            t = r["timestamp"]
            token = "intact" if t["intact"] and t["valid"] else "BROKEN"
            authority = "trusted" if t["trusted"] else "not checked against a trusted root (--tsa-cert)"
            print(f"  timestamp: {t['time']} by {t['tsa']}; token {token}; authority {authority}")
        else:
            print("  timestamp: none (the time is the signer's own clock)")
        print(
            f"  intact: {r['intact']}; cryptographically valid: {r['valid']}; trusted: {r['trusted']}; "
            f"changed after signing: {'yes' if r['modified_after_signing'] else 'no'}"
        )
        for problem in r["problems"]:
            print(f"  problem: {problem}")
    return 0 if all(r["ok"] for r in results) else 1


def _untrusted_only(result: dict) -> bool:
    return bool(result["problems"]) and all(p.startswith(NOT_TRUSTED) for p in result["problems"])


def verify_signatures(data: dict | list, keys: list) -> list[dict]:
    """Check the seals of exported signature records against trusted public keys.

    :param data: a ``@signatures`` answer (dict with ``items``) or a list of records
    :param keys: the trusted Ed25519 public keys
    :returns: one dict per record: ``seq``, ``signer``, ``meaning``, ``version_id``, ``sha256``, ``key``,
        ``seal_valid`` (sealed by one of the trusted keys, and unchanged since)
    """
    from links.content.integrity import key_fingerprint
    from links.content.integrity import verify_seal

    trusted = {key_fingerprint(k): k for k in keys}
    items = data.get("items", []) if isinstance(data, dict) else data
    results = []
    for r in items if isinstance(items, list) else []:
        if not isinstance(r, dict):
            continue
        key = trusted.get(r.get("key")) if r.get("key") else (keys[0] if len(keys) == 1 else None)
        results.append(
            {
                "seq": r.get("seq"),
                "signer": r.get("signer"),
                "meaning": r.get("meaning"),
                "version_id": r.get("version_id"),
                "sha256": r.get("sha256"),
                "key": r.get("key"),
                "trusted_key": key is not None,
                "seal_valid": key is not None and verify_seal(r, key),
            }
        )
    return results


def signatures(argv: list[str]) -> int:
    """``links-verify signatures``."""
    from links.content.integrity import key_fingerprint
    from links.content.integrity import load_public_key

    parser = argparse.ArgumentParser(
        prog="links-verify signatures", description="Check the seals of a saved GET @signatures answer."
    )
    parser.add_argument("file", type=Path)
    parser.add_argument(
        "--public-key", type=Path, action="append", help="the network's seal public key (PEM)"
    )
    parser.add_argument(
        "--fingerprint", action="append", help="SHA-256 fingerprint of the network's seal key"
    )
    args = parser.parse_args(argv)
    try:
        text = _read(args.file)
        keys = [load_public_key(_read(p)) for p in args.public_key or []]
    except SystemExit as exit:
        return exit.code
    except ValueError as error:
        return _fail(f"not a PEM public key: {error}")
    try:
        data = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        return _fail(f"{args.file} is not a JSON @signatures answer: {error}")
    wanted = {f.replace(":", "").strip().lower() for f in args.fingerprint or []}
    if wanted and isinstance(data, dict) and data.get("public_key"):
        try:
            embedded = load_public_key(str(data["public_key"]).encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            embedded = None
        if embedded is not None and key_fingerprint(embedded) in wanted:
            keys.append(embedded)
    if not keys:
        print(
            f"{args.file}: {NOT_TRUSTED} — give the network's seal public key (--public-key) or its "
            "fingerprint (--fingerprint) from a source you trust"
            + (" (the key in the file does not have that fingerprint)" if wanted else "")
        )
        return 1
    results = verify_signatures(data, keys)
    if not results:
        print(f"{args.file}: no signatures found")
        return 1
    for r in results:
        verdict = "VALID" if r["seal_valid"] else ("NOT TRUSTED" if not r["trusted_key"] else "INVALID")
        print(
            f"signature {r['seq']}: {verdict} seal — {r['signer']} {r['meaning']} version {r['version_id']} "
            f"sha256 {r['sha256']}"
        )
    return 0 if all(r["seal_valid"] for r in results) else 1


def main(argv: list[str] | None = None) -> int:
    """``python -m links.content.signing.cli pdf|signatures ...`` (the same as ``links-verify``)."""
    from links.content.cli import main as dispatch

    return dispatch(argv)


if __name__ == "__main__":
    sys.exit(main())
