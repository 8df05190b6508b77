"""Sealing signature records with the site's Ed25519 key, and checking seals (pure Python).

A seal is the Ed25519 signature over the canonical JSON (see ``dumps``) of the record without its
``seal`` key, base64-encoded. This module needs no Zope: the ``links-verify`` CLI uses it offline.
"""

import base64
import hashlib
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

#: Keys that are not covered by the seal (the seal itself, and verification results added on export).
UNSEALED = frozenset({"seal", "status", "verification"})


def dumps(data) -> bytes:
    """Canonical JSON bytes: sorted keys, no whitespace, non-ASCII kept, UTF-8.

    :param data: JSON-serialisable data
    :returns: bytes
    """
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sealed_bytes(record: dict) -> bytes:
    """The bytes a record's seal signs: the record without its unsealed keys, canonical JSON."""
    return dumps({k: v for k, v in record.items() if k not in UNSEALED})


def seal(record: dict, private_key) -> str:
    """Seal a record.

    :param record: the signature record (without ``seal``)
    :param private_key: an ``Ed25519PrivateKey``
    :returns: the base64 seal
    """
    return base64.b64encode(private_key.sign(sealed_bytes(record))).decode("ascii")


def verify_seal(record: dict, public_key) -> bool:
    """Whether the record's seal is a valid signature of its content by ``public_key``.

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
