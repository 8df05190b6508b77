"""Signed checkpoints: the Merkle root of the chain (merkle.py) at a size, signed with the site's Ed25519 key.

A checkpoint is ``{"size", "root_hash", "time", "key_fingerprint", "signature"}`` (and ``timestamp_token``
when a TSA is configured). The signed message is the canonical JSON (``links.content.integrity.dumps``) of
the first four keys; ``signature`` is its Ed25519 signature in hex; ``key_fingerprint`` is the SHA-256 of
the raw public key (``integrity.key_fingerprint``); ``timestamp_token`` is the base64 RFC 3161 token over
SHA-256 of the signed message. Stored in ``AuditLog.checkpoints`` (size -> checkpoint).

Why: the chain alone proves nothing to someone who can rewrite it and re-hash the rest. A checkpoint that
left the host (published at ``@audit-checkpoint``, e-mailed to the witnesses) pins the root of the tree at
its size: a rewritten, cut or forked history no longer has that root, and a consistency proof shows any
later checkpoint extends it. Logs sealed before the tree hold older checkpoints ``{"hash", "seq", "time",
"signature"}`` (the head entry's hash); ``check`` still checks them.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC
from datetime import datetime

from cryptography.exceptions import InvalidSignature

from links.content.audit import merkle
from links.content.integrity import dumps
from links.content.integrity import encode
from links.content.integrity import key_fingerprint

logger = logging.getLogger(__name__)

REGISTRY_EVERY = "links.content.audit.checkpoint_every"
REGISTRY_WITNESSES = "links.content.audit.witnesses"
#: The keys a checkpoint's signature covers.
SIGNED = ("size", "root_hash", "time", "key_fingerprint")


def message(checkpoint: dict) -> bytes:
    """The bytes a checkpoint's signature covers (canonical JSON of ``SIGNED``; older checkpoints:
    of ``hash, seq, time``)."""
    if "size" not in checkpoint:
        return encode({k: checkpoint[k] for k in ("hash", "seq", "time")}).encode("utf-8")
    return dumps({k: checkpoint[k] for k in SIGNED})


def make(log, key=None, stamp: bool = True) -> dict | None:
    """Sign the current root of the tree and store the checkpoint (chainer, exports, cron, site creation).

    :param log: the AuditLog (its transaction must commit to keep the checkpoint)
    :param key: Ed25519 private key; default the site's (``links.content.keys.api.signing_key``)
    :param stamp: ask the configured TSA for a timestamp token (never fails the checkpoint)
    :returns: the checkpoint, or None for an empty log or one whose tree is not built yet
    """
    size = log.merkle_size
    if not size or size != log.last_seq:
        return None
    if key is None:
        from links.content.keys.api import signing_key

        key = signing_key(getattr(log, "site_id", "") or None)
    checkpoint = {
        "size": size,
        "root_hash": merkle.root(log.merkle_node, size).hex(),
        "time": datetime.now(UTC).isoformat(timespec="microseconds"),
        "key_fingerprint": key_fingerprint(key.public_key()),
    }
    signed = message(checkpoint)
    checkpoint["signature"] = key.sign(signed).hex()
    token = _timestamp(signed) if stamp else None
    if token:
        checkpoint["timestamp_token"] = token
    log.checkpoints[size] = checkpoint
    _publish_after_commit(log, checkpoint)
    return checkpoint


#: The chainer's name for ``make`` (``storage.chain(log, checkpoint=seal_head)``).
seal_head = make


def _timestamp(signed: bytes) -> str | None:
    """An RFC 3161 token over SHA-256 of the signed message, when the site has a TSA; None otherwise."""
    try:
        from links.content.timestamps import api as timestamps

        config = timestamps.settings()
        if not config.configured:
            return None
        return timestamps.timestamp_sha256(hashlib.sha256(signed).digest(), config)["token"]
    except Exception:  # no site (raw ZODB scripts), TSA down: the checkpoint stands without a token
        logger.warning("Audit checkpoint made without a timestamp token", exc_info=True)
        return None


def check(checkpoint: dict, public_key) -> bool:
    """True if the checkpoint's signature is valid for ``public_key`` (Ed25519PublicKey) and, for a
    checkpoint that names its key, the key is the one named."""
    try:
        if "key_fingerprint" in checkpoint and checkpoint["key_fingerprint"] != key_fingerprint(public_key):
            return False
        public_key.verify(bytes.fromhex(checkpoint["signature"]), message(checkpoint))
    except (InvalidSignature, ValueError, KeyError, TypeError, AttributeError):
        return False
    return True


def latest(log, size: int | None = None) -> dict | None:
    """The newest tree checkpoint (or the one at exactly ``size``), None if there is none."""
    if log is None:
        return None
    if size is not None:
        found = log.checkpoints.get(size)
        return dict(found) if found and "size" in found else None
    bound = None
    while log.checkpoints:
        try:
            found = log.checkpoints.maxKey(bound)
        except ValueError:  # nothing at or below the bound
            return None
        if "size" in log.checkpoints[found]:
            return dict(log.checkpoints[found])
        bound = found - 1
    return None


def _publish_after_commit(log, checkpoint: dict) -> None:
    """E-mail the checkpoint to the witnesses once it is committed: copies exist outside the host."""
    jar = getattr(log, "_p_jar", None)
    if jar is None:
        return
    jar.transaction_manager.get().addAfterCommitHook(_mail_witnesses, (dict(checkpoint),))


def witness_addresses() -> list[str]:
    """E-mail addresses of the registry's witnesses (``links.content.audit.witnesses``: addresses, user
    ids or group ids; default the council auditors group)."""
    from plone import api

    found = []
    for item in api.portal.get_registry_record(REGISTRY_WITNESSES, default=None) or ("council-auditors",):
        item = (item or "").strip()
        if "@" in item:
            found.append(item)
            continue
        group = api.group.get(groupname=item) if item else None
        members = api.user.get_users(group=group) if group is not None else [api.user.get(userid=item)]
        found += [m.getProperty("email") for m in members if m is not None and m.getProperty("email")]
    return sorted(set(found))


def _mail_witnesses(ok: bool, checkpoint: dict) -> None:
    if not ok:
        return
    try:
        from plone import api

        recipients = witness_addresses()
        site = api.portal.get()
        body = (
            f"The audit trail of {site.Title()} ({site.absolute_url()}) has a new signed checkpoint.\n\n"
            "Keep this message: it lets you prove later that the trail was not rewritten. "
            'The README ("A witness\'s routine") says how to check it with links-verify.\n\n'
            f"{encode(checkpoint)}\n"
        )
        for recipient in recipients:
            api.portal.send_email(
                recipient=recipient,
                subject=f"Audit checkpoint {checkpoint['size']} of {site.Title()}",
                body=body,
                immediate=True,
            )
    except Exception:  # mail is best effort: the checkpoint is published at @audit-checkpoint anyway
        logger.warning("Audit checkpoint %s not e-mailed to the witnesses", checkpoint["size"], exc_info=True)
