"""Integrity primitives shared by signing, audit, history, FOI bundles and the handover.

One canonical JSON encoding (sorted keys, no insignificant whitespace, non-ASCII kept, UTF-8), SHA-256
in lowercase hex, and Ed25519 seals over canonical JSON. Everything that hashes or seals data calls this
module, so a verifier written from the README needs to reproduce one encoding, not four.

Pure Python (the standard library and ``cryptography``): the offline verifiers import it without Zope.
"""

import base64
import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

# One encoder built once: json.dumps would build a new encoder per call (measurable in verification).
_encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)

#: Canonical JSON text of JSON-ready data.
encode = _encoder.encode
#: Parse JSON text (the inverse of ``encode``).
decode = json.JSONDecoder().decode

#: Keys a seal does not cover: the seal itself and verification results added when a record is shown.
UNSEALED = frozenset({"seal", "status", "verification"})


def dumps(data) -> bytes:
    """Canonical JSON bytes of JSON-ready data: sorted keys, no whitespace, non-ASCII kept, UTF-8.

    :param data: JSON-serialisable data
    :returns: bytes
    """
    return _encoder.encode(data).encode("utf-8")


def sha256_hex(data: bytes | str) -> str:
    """SHA-256 in lowercase hex; text is hashed as its UTF-8 bytes.

    :param data: bytes or text
    :returns: 64 hex characters
    """
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def json_safe(value):
    """``value`` reduced to JSON types (dates and other objects become strings), so stored data holds no
    persistent references and always encodes the same way."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def sealed_bytes(record: dict) -> bytes:
    """The bytes a record's seal signs: the record without its unsealed keys, canonical JSON."""
    return dumps({k: v for k, v in record.items() if k not in UNSEALED})


def seal(record: dict, private_key) -> str:
    """Seal a record with an Ed25519 private key.

    :param record: the record (without ``seal``)
    :param private_key: an ``Ed25519PrivateKey``
    :returns: the base64 seal
    """
    return base64.b64encode(private_key.sign(sealed_bytes(record))).decode("ascii")


def verify_seal(record: dict, public_key) -> bool:
    """Whether the record's ``seal`` is a valid Ed25519 signature of its content by ``public_key``.

    :param record: a sealed record (with ``seal``)
    :param public_key: an ``Ed25519PublicKey``
    :returns: True when valid
    """
    try:
        public_key.verify(base64.b64decode(record.get("seal") or ""), sealed_bytes(record))
    except (InvalidSignature, ValueError):
        return False
    return True


def load_public_key(pem: bytes):
    """Load a PEM public key (SubjectPublicKeyInfo)."""
    return serialization.load_pem_public_key(pem)


def key_fingerprint(public_key) -> str:
    """SHA-256 (hex) of the raw public key: identifies which key sealed a record."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()
