"""Canonical serialization of a record version: what a signature's SHA-256 hash is computed over.

Encoding (stable across Plone/Python versions so a hash can be recomputed years later):

1. The document is a JSON object ``{"type": <portal_type>, "uid": <UID>, "fields": {...}}``.
2. ``fields`` holds every schema field of the type's main schema and of its behaviors, keyed by
   field name, except volatile or presentational metadata (``EXCLUDED_FIELDS``: publication
   dates, change note, navigation/discussion flags, the id).
3. Values: text is Unicode NFC; rich text is its raw (as entered) HTML, NFC; dates and times are
   ISO 8601 (aware datetimes converted to UTC, naive ones as they are); relations are the target's
   UID (``null`` when broken); files and images are ``{"filename", "content_type", "sha256"}`` of
   their bytes; sets are sorted lists, tuples lists; ``Decimal`` a string; anything else ``str()``.
   Field values that are missing are ``null``.
4. Serialised with sorted keys, no insignificant whitespace (``separators=(",", ":")``),
   non-ASCII characters kept (``ensure_ascii=False``), encoded as UTF-8.
5. The hash is the lowercase hex SHA-256 of those bytes.

Signature records are sealed over the same JSON encoding of the record (see ``dumps``).
"""

import json
import unicodedata
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from decimal import Decimal

from plone.dexterity.utils import iterSchemata
from zope.schema import getFieldsInOrder

from links.content.integrity import dumps
from links.content.integrity import sha256_hex
from links.content.words import field_label

#: Field names left out of the hash: they change without the record's content changing.
EXCLUDED_FIELDS = frozenset(
    {
        "id",
        "changeNote",
        "effective",
        "expires",
        "allow_discussion",
        "exclude_from_nav",
        "table_of_contents",
        "versioning_enabled",
    }
)


def _set_order(value) -> str:
    # The order of a set's members is part of the published encoding: json.dumps with its default
    # separators and ASCII escapes, as since the first release (changing it would change old hashes).
    return json.dumps(value, sort_keys=True)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def encode_value(value):
    """Encode one field value as described in the module docstring.

    :param value: a field value
    :returns: JSON-serialisable data
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return _nfc(value)
    if isinstance(value, bytes):
        return {"sha256": sha256_hex(value)}
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raw = getattr(value, "raw", None)
    if raw is not None and hasattr(value, "mimeType"):  # plone.app.textfield RichTextValue
        return _nfc(raw)
    if hasattr(value, "to_id") and hasattr(value, "to_object"):  # z3c.relationfield RelationValue
        target = value.to_object
        return target.UID() if target is not None else None
    if hasattr(value, "data") and hasattr(value, "filename"):  # plone.namedfile file or image
        data = value.data
        return {
            "filename": _nfc(value.filename or ""),
            "content_type": getattr(value, "contentType", None),
            "sha256": sha256_hex(data if isinstance(data, bytes) else bytes(data)),
        }
    if isinstance(value, set | frozenset):
        return sorted((encode_value(v) for v in value), key=_set_order)
    if isinstance(value, list | tuple):
        return [encode_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode_value(v) for k, v in value.items()}
    return _nfc(str(value))


def schema_fields(obj) -> list[tuple[object, str, object, object]]:
    """Every hashed field of the record with its schema, in form order, main schema first, then behaviors.

    :param obj: a Dexterity object (or a version of one retrieved from CMFEditions)
    :returns: list of ``(schema, name, field, value)``
    """
    seen = set()
    result = []
    for schema in iterSchemata(obj):
        adapted = None
        for name, field in getFieldsInOrder(schema):
            if name in EXCLUDED_FIELDS or name in seen:
                continue
            seen.add(name)
            if adapted is None:
                try:
                    adapted = schema(obj, None) or obj
                except TypeError:
                    adapted = obj
            try:
                value = field.get(adapted)
            except AttributeError:
                value = None
            result.append((schema, name, field, value))
    return result


def field_values(obj) -> list[tuple[str, object, str]]:
    """The record's schema fields in form order, main schema first, then behaviors.

    :param obj: a Dexterity object (or a version of one retrieved from CMFEditions)
    :returns: list of ``(name, value, label)``, the label as forms show it (never a message id)
    """
    return [(name, value, field_label(field)) for _schema, name, field, value in schema_fields(obj)]


def canonical_document(obj) -> dict:
    """The JSON-ready canonical document of a record version.

    :param obj: a Dexterity object or CMFEditions version of one
    :returns: ``{"type", "uid", "fields"}``
    """
    return {
        "type": obj.portal_type,
        "uid": obj.UID() if hasattr(obj, "UID") else None,
        "fields": {name: encode_value(value) for name, value, _title in field_values(obj)},
    }


def canonical_bytes(obj) -> bytes:
    """The canonical serialization of a record version (UTF-8 JSON bytes).

    :param obj: a Dexterity object
    :returns: bytes
    """
    return dumps(canonical_document(obj))


def canonical_hash(obj) -> str:
    """SHA-256 (lowercase hex) of the canonical serialization of a record version.

    :param obj: a Dexterity object
    :returns: 64 hex characters
    """
    return sha256_hex(canonical_bytes(obj))
