"""The manifest: what the archive holds, with SHA-256 digests, signed with the outgoing host's seal key.

``manifest.json`` is canonical JSON; ``manifest.sig`` is the hex Ed25519 signature of its exact bytes;
``public-key.pem`` is the key that made it. A successor checks the signature, that the key is the one the
outgoing host told them about (fingerprint printed on export), then every file's digest.
"""

import hashlib

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization

FORMAT = "links-handover"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PUBLIC_KEY = "public-key.pem"
#: Files that the manifest does not (cannot) list by digest.
UNLISTED = (MANIFEST, SIGNATURE, PUBLIC_KEY)


def key_fingerprint(public_key_pem: bytes) -> str:
    """SHA-256 of the public key's DER form (hex): what a successor compares with the one they were told."""
    key = serialization.load_pem_public_key(public_key_pem)
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def sign(manifest_bytes: bytes, private_key) -> str:
    """Hex Ed25519 signature of the manifest bytes."""
    return private_key.sign(manifest_bytes).hex()


def check_signature(manifest_bytes: bytes, signature_hex: str, public_key_pem: bytes) -> str | None:
    """None if the signature is valid, else what is wrong (plain English)."""
    try:
        key = serialization.load_pem_public_key(public_key_pem)
    except ValueError:
        return f"{PUBLIC_KEY} is not a valid PEM public key"
    try:
        key.verify(bytes.fromhex(signature_hex.strip()), manifest_bytes)
    except (InvalidSignature, ValueError):
        return f"the signature in {SIGNATURE} does not match {MANIFEST} and {PUBLIC_KEY}"
    return None
