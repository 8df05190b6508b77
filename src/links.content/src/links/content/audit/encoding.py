"""The canonical encoding of an audit entry (the README's "Audit trail" section documents it, so that anyone
can write a verifier).

An entry is a JSON object with the keys ``action, actor, details, path, portal_type, prev_hash, seq,
timestamp, uid``. Its *body* is ``json.dumps(entry, sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` (the entry without ``hash``); ``hash = sha256(body.encode("utf-8")).hexdigest()``.
The first entry's ``prev_hash`` is 64 zeros; every other entry's ``prev_hash`` is the previous entry's hash.
"""

import hashlib
import json

GENESIS = "0" * 64

# One encoder built once: json.dumps would build a new encoder per call (measurable in verification).
_encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
encode = _encoder.encode
decode = json.JSONDecoder().decode
_sha256 = hashlib.sha256


def canonical(entry: dict) -> str:
    """The body of an entry: its canonical JSON without the ``hash`` key.

    :param entry: the entry (a ``hash`` key, if present, is left out)
    :returns: the canonical JSON text
    """
    if "hash" in entry:
        entry = {k: v for k, v in entry.items() if k != "hash"}
    return encode(entry)


def digest(body: str) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of a canonical body."""
    return _sha256(body.encode("utf-8")).hexdigest()


def json_safe(value):
    """``value`` reduced to JSON types (dates and other objects become strings), so a stored entry
    holds no persistent references and always encodes the same way."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))
