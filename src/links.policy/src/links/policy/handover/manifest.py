"""The manifest: what the archive holds, with SHA-256 digests, signed with the outgoing host's seal key.

``manifest.json`` is canonical JSON; ``manifest.sig`` is the hex Ed25519 signature of its exact bytes;
``public-key.pem`` is the key that made it. A successor checks the signature on the raw bytes, that the key
is the one the outgoing host told them about (the *handover fingerprint*: SHA-256 of the key's DER
SubjectPublicKeyInfo, printed on export), and only then parses the manifest and checks its shape and every
file's digest.
"""

import hashlib
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from links.policy.handover.archive import member_name_problem
from links.policy.handover.exceptions import FingerprintRequired

FORMAT = "links-handover"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public-key.pem"
#: Files that the manifest does not (cannot) list by digest.
UNLISTED = (MANIFEST, SIGNATURE, PUBLIC_KEY)
#: How the fingerprint is named wherever an operator reads or types it.
FINGERPRINT_NAME = "handover fingerprint (SHA-256 of the DER public key)"

HEX64 = re.compile(r"[0-9a-f]{64}\Z")
UID = re.compile(r"[0-9a-f]{32}\Z")
#: A Zope id as Plone makes them (no leading "_" or "@", no "..", no "/").
ZOPE_ID = re.compile(r"(?!aq_)[A-Za-z0-9][A-Za-z0-9._~-]{0,199}\Z")
PORTAL_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9 _.-]{0,99}\Z")


def key_fingerprint(public_key_pem: bytes) -> str:
    """SHA-256 of the public key's DER form (hex): what a successor compares with the one they were told."""
    key = serialization.load_pem_public_key(public_key_pem)
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def normalise_fingerprint(text) -> str:
    """The fingerprint as 64 lower-case hex digits (colons and spaces as printed by other tools removed).

    :raises FingerprintRequired: not a SHA-256 fingerprint at all
    """
    cleaned = re.sub(r"[\s:]", "", text).lower() if isinstance(text, str) else ""
    if not HEX64.match(cleaned):
        raise FingerprintRequired(
            f"The expected fingerprint must be the outgoing host's {FINGERPRINT_NAME}: 64 hexadecimal "
            "digits, as `make handover-export` printed it."
        )
    return cleaned


def sign(manifest_bytes: bytes, private_key) -> str:
    """Hex Ed25519 signature of the manifest bytes."""
    return private_key.sign(manifest_bytes).hex()


def check_signature(manifest_bytes: bytes, signature_hex: bytes, public_key_pem: bytes) -> str | None:
    """None if ``manifest_bytes`` (raw, unparsed) carry a valid Ed25519 signature, else what is wrong."""
    try:
        key = serialization.load_pem_public_key(public_key_pem)
    except (ValueError, TypeError):
        return f"{PUBLIC_KEY} is not a valid PEM public key"
    if not isinstance(key, Ed25519PublicKey):
        return f"{PUBLIC_KEY} is not an Ed25519 key (the format signs with Ed25519 only)"
    try:
        key.verify(bytes.fromhex(signature_hex.decode("ascii").strip()), manifest_bytes)
    except (InvalidSignature, ValueError, UnicodeDecodeError):
        return f"the signature in {SIGNATURE} does not match {MANIFEST} and {PUBLIC_KEY}"
    return None


def raw_key_fingerprint(public_key_pem: bytes) -> str:
    """The fingerprint signature records use (SHA-256 of the raw key; ``links.content.integrity``)."""
    from links.content.integrity import key_fingerprint as raw

    return raw(serialization.load_pem_public_key(public_key_pem))


# -- the manifest's shape ------------------------------------------------------------------------------------


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _path_problem(path) -> str | None:
    if not isinstance(path, str) or not path or len(path) > 2000:
        return "has no path"
    for segment in path.split("/"):
        if not ZOPE_ID.match(segment):
            return f"has the path {path[:200]!r}, which is not a path of Zope ids"
    return None


def shape_problems(manifest) -> list[str]:  # noqa: C901 (one check per field of FORMAT.md)
    """Every way the (signed, parsed) manifest differs from the shape FORMAT.md gives it (at most 50).

    A signed manifest is still only as good as its signer: a malformed one is refused here with the field
    named, never fails later with a KeyError.
    """
    if not isinstance(manifest, dict):
        return ["the manifest is not a JSON object"]
    problems = []

    def bad(message: str) -> None:
        problems.append(f"the manifest is malformed: {message}")

    if not isinstance(manifest.get("public_key_sha256"), str) or not HEX64.match(
        manifest["public_key_sha256"]
    ):
        bad("public_key_sha256 is not a SHA-256 fingerprint")
    source = manifest.get("source")
    if not isinstance(source, dict) or not isinstance(source.get("site_id"), str):
        bad("source.site_id is missing")
    elif not ZOPE_ID.match(source["site_id"]) or not all(
        isinstance(source.get(key, ""), str) for key in ("title", "url")
    ):
        bad("source has a site id, title or URL that is not text of the expected form")
    if not isinstance(manifest.get("password_hashes", False), bool):
        bad("password_hashes is not true or false")
    totals = manifest.get("totals")
    if not isinstance(totals, dict) or not _is_int(totals.get("items")):
        bad("totals.items is missing")
    audit = manifest.get("audit")
    if not isinstance(audit, dict) or not isinstance(audit.get("available"), bool):
        bad("audit.available is missing")
    report = manifest.get("transitional_report")
    if report is not None and not isinstance(report, dict):
        bad("transitional_report is neither null nor an object")
    files = manifest.get("files")
    if not isinstance(files, dict):
        bad("files is not an object of file name to SHA-256")
        files = {}
    for name, digest in list(files.items())[:100_000]:
        problem = member_name_problem(name)
        if problem or name in UNLISTED:
            bad(f"files names {name[:120]!r}: {problem or 'a file the manifest cannot list'}")
        elif not isinstance(digest, str) or not HEX64.match(digest):
            bad(f"files gives {name} a digest that is not SHA-256")
        if len(problems) >= 50:
            return problems
    items = manifest.get("items")
    if not isinstance(items, list):
        bad("items is not a list")
        return problems
    uids, paths = set(), set()
    for index, item in enumerate(items):
        if len(problems) >= 50:
            break
        if not isinstance(item, dict):
            bad(f"items[{index}] is not an object")
            continue
        uid = item.get("uid")
        if not isinstance(uid, str) or not UID.match(uid):
            bad(f"items[{index}] has no UID of 32 hexadecimal digits")
            continue
        if uid in uids:
            bad(f"items[{index}] repeats the UID {uid}")
        uids.add(uid)
        path_problem = _path_problem(item.get("path"))
        if path_problem:
            bad(f"items[{index}] ({uid}) {path_problem}")
            continue
        path = item["path"]
        if path in paths:
            bad(f"items[{index}] ({uid}) repeats the path {path!r}")
        parent = path.rpartition("/")[0]
        if parent and parent not in paths:
            bad(f"items[{index}] ({path}) comes before its folder {parent!r} (or the folder is missing)")
        paths.add(path)
        if not isinstance(item.get("type"), str) or not PORTAL_TYPE.match(item["type"]):
            bad(f"items[{index}] ({path}) has no portal type")
        if not isinstance(item.get("sha256"), str) or files.get(f"items/{uid}.json") != item["sha256"]:
            bad(f"items[{index}] ({path}) does not match the digest of items/{uid}.json in files")
        if not _is_int(item.get("versions", 0)):
            bad(f"items[{index}] ({path}) has a version count that is not a whole number")
        blobs = item.get("blobs", [])
        if not isinstance(blobs, list) or not all(
            isinstance(b, str) and f"blobs/{b}" in files for b in blobs
        ):
            bad(f"items[{index}] ({path}) names blobs that are not in files")
    if isinstance(totals, dict) and totals.get("items") != len(items):
        bad(f"totals.items says {totals.get('items')} but items lists {len(items)}")
    return problems[:50]
