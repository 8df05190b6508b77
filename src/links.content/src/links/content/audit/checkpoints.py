"""Checkpoints: the chain head (seq, hash, time) sealed with the site's Ed25519 key.

A checkpoint is stored in ``AuditLog.checkpoints`` (seq -> dict). The signed message is the canonical
JSON (encoding.py) of ``{"hash", "seq", "time"}``; ``signature`` is its Ed25519 signature in hex. A
verifier holding the public key (``keys.api.public_key_pem()``) can then prove the chain up to ``seq``
existed at ``time``, and that no entry up to a checkpoint was removed from the end of the log.
"""

from datetime import UTC
from datetime import datetime

from cryptography.exceptions import InvalidSignature

from links.content.integrity import encode

REGISTRY_EVERY = "links.content.audit.checkpoint_every"


def _message(checkpoint: dict) -> bytes:
    return encode({k: checkpoint[k] for k in ("hash", "seq", "time")}).encode("utf-8")


def seal_head(log, key=None) -> dict | None:
    """Seal the current head and store the checkpoint (chainer or on demand).

    :param log: the AuditLog (its transaction must commit to keep the checkpoint)
    :param key: Ed25519 private key; default ``links.content.keys.api.signing_key()``
    :returns: the checkpoint, or None for an empty log
    """
    if not log.last_seq:
        return None
    if key is None:
        from links.content.keys.api import signing_key

        key = signing_key(getattr(log, "site_id", "") or None)
    checkpoint = {
        "seq": log.last_seq,
        "hash": log.last_hash,
        "time": datetime.now(UTC).isoformat(timespec="microseconds"),
    }
    checkpoint["signature"] = key.sign(_message(checkpoint)).hex()
    log.checkpoints[log.last_seq] = checkpoint
    return checkpoint


def check(checkpoint: dict, public_key) -> bool:
    """True if the checkpoint's signature is valid for ``public_key`` (Ed25519PublicKey)."""
    try:
        public_key.verify(bytes.fromhex(checkpoint["signature"]), _message(checkpoint))
    except (InvalidSignature, ValueError, KeyError):
        return False
    return True
