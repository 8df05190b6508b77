"""The canonical encoding of an audit entry (the README's "Audit trail" section documents it, so that anyone
can write a verifier).

An entry is a JSON object with the keys ``action, actor, details, path, portal_type, prev_hash, seq,
timestamp, uid``. Its *body* is its canonical JSON without ``hash`` (``links.content.integrity.encode``:
sorted keys, ``separators=(",", ":")``, ``ensure_ascii=False``); ``hash`` is the SHA-256 (hex) of the
body's UTF-8 bytes. The first entry's ``prev_hash`` is 64 zeros; every other entry's ``prev_hash`` is
the previous entry's hash.
"""

from links.content.integrity import encode

GENESIS = "0" * 64


def canonical(entry: dict) -> str:
    """The body of an entry: its canonical JSON without the ``hash`` key.

    :param entry: the entry (a ``hash`` key, if present, is left out)
    :returns: the canonical JSON text
    """
    if "hash" in entry:
        entry = {k: v for k, v in entry.items() if k != "hash"}
    return encode(entry)
