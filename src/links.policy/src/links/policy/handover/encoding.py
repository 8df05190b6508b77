"""Lossless JSON encoding of stored values (field values, annotations, workflow history).

Plain JSON types stay as they are; everything else becomes an object with one ``@``-key naming what it is,
so a reader that does not run Plone can still interpret it (see FORMAT.md). Files and blobs are not inlined:
their bytes go into the archive under ``blobs/<sha256>`` and the value names the digest.

The encoding is canonical (sorted keys, sets sorted): encoding the same stored state always gives the same
bytes, which is what lets ``verify`` compare a target site with the source by SHA-256.
"""

import base64
import datetime
import decimal
import importlib

from DateTime import DateTime
from persistent import Persistent
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

from links.content.integrity import dumps
from links.content.integrity import sha256_hex as sha256
from links.policy.handover.exceptions import UnsupportedValue

#: Module prefixes whose classes an archive may name in ``@object``/``@btree`` values. An archive is data:
#: restoring must never instantiate arbitrary classes named by whoever wrote it.
ALLOWED_MODULES = ("links.", "BTrees.", "persistent.", "plone.", "zope.", "z3c.", "five.", "Products.CMF")


def _dotted(obj) -> str:
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


def _resolve(dotted: str):
    if not dotted.startswith(ALLOWED_MODULES):
        raise UnsupportedValue(f"the archive names class {dotted!r}, which is not allowed to be restored")
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _is_btree(value) -> bool:
    return type(value).__module__.startswith("BTrees.")


class Encoder:
    """Encode values; ``blob_sink(data: bytes) -> sha256`` stores file bytes (in the archive)."""

    def __init__(self, blob_sink=None, uid_of=None):
        self.blob_sink = blob_sink or (lambda data: sha256(data))
        self.uid_of = uid_of
        self.blobs: list[str] = []

    def _blob(self, data: bytes) -> str:
        digest = self.blob_sink(data)
        self.blobs.append(digest)
        return digest

    def encode(self, value):  # noqa: C901 (one flat dispatch reads best)
        if value is None or isinstance(value, bool | int | str):
            return value
        if isinstance(value, float):
            return (
                value
                if value == value and value not in (float("inf"), float("-inf"))
                else {"@float": repr(value)}
            )
        if isinstance(value, bytes):
            return {"@bytes": base64.b64encode(value).decode("ascii")}
        if isinstance(value, DateTime):
            return {"@DateTime": value.ISO8601(), "micros": value.micros(), "tz": value.timezone()}
        if isinstance(value, datetime.datetime):
            return {"@datetime": value.isoformat()}
        if isinstance(value, datetime.date):
            return {"@date": value.isoformat()}
        if isinstance(value, datetime.time):
            return {"@time": value.isoformat()}
        if isinstance(value, datetime.timedelta):
            return {"@timedelta": [value.days, value.seconds, value.microseconds]}
        if isinstance(value, decimal.Decimal):
            return {"@decimal": str(value)}
        if isinstance(value, list) and type(value) is list:
            return [self.encode(v) for v in value]
        if type(value) is tuple:
            return {"@tuple": [self.encode(v) for v in value]}
        if isinstance(value, set | frozenset):
            items = [self.encode(v) for v in value]
            return {"@set": sorted(items, key=lambda v: dumps(v)), "frozen": isinstance(value, frozenset)}
        if type(value) is dict:
            if all(isinstance(k, str) and not k.startswith("@") for k in value):
                return {k: self.encode(v) for k, v in value.items()}
            return {"@items": [[self.encode(k), self.encode(v)] for k, v in value.items()]}
        special = self._special(value)
        if special is not None:
            return special
        if isinstance(value, PersistentMapping):
            return {
                "@object": _dotted(value),
                "items": [[self.encode(k), self.encode(v)] for k, v in value.items()],
            }
        if isinstance(value, PersistentList):
            return {"@object": _dotted(value), "list": [self.encode(v) for v in value]}
        if _is_btree(value):
            if not hasattr(value, "keys"):  # BTrees.Length.Length: a conflict-free counter
                return {"@btree": _dotted(value), "value": value()}
            if hasattr(value, "items"):
                return {
                    "@btree": _dotted(value),
                    "items": [[self.encode(k), self.encode(v)] for k, v in value.items()],
                }
            return {"@btree": _dotted(value), "keys": [self.encode(k) for k in value]}
        if isinstance(value, Persistent) or hasattr(value, "__dict__"):
            state = value.__getstate__() if isinstance(value, Persistent) else dict(value.__dict__)
            if isinstance(state, tuple):  # (dict, slots) form
                state = state[0] or {}
            if not isinstance(state, dict):
                raise UnsupportedValue(f"cannot encode {_dotted(value)}: its state is not a mapping")
            state = {k: v for k, v in state.items() if not k.startswith(("_v_", "_p_"))}
            return {"@object": _dotted(value), "state": self.encode(state)}
        raise UnsupportedValue(f"cannot encode a value of type {_dotted(value)}")

    def _special(self, value):
        """Plone value types with a readable encoding of their own (files, rich text, relations, blobs)."""
        from plone.app.textfield.value import RichTextValue
        from plone.namedfile.interfaces import INamed
        from z3c.relationfield.interfaces import IRelationValue
        from ZODB.blob import Blob

        if isinstance(value, RichTextValue):
            return {
                "@richtext": value.raw,
                "mimeType": value.mimeType,
                "outputMimeType": value.outputMimeType,
                "encoding": value.encoding,
            }
        if INamed.providedBy(value):
            return {
                "@file": _dotted(value),
                "blob": self._blob(bytes(value.data)),
                "filename": value.filename,
                "contentType": value.contentType,
                "size": value.getSize(),
            }
        if IRelationValue.providedBy(value):
            target = value.to_object
            uid = target.UID() if target is not None else None
            # from_attribute/from_object are derived: z3c.relationfield sets them when the relation is stored.
            return {"@relation": uid}
        if isinstance(value, Blob):
            with value.open("r") as handle:
                return {"@blob": self._blob(handle.read())}
        return None


class Decoder:
    """Decode values; ``blob_source(sha256) -> bytes`` reads file bytes; ``intid_of(uid) -> int | None``."""

    def __init__(self, blob_source=None, intid_of=None):
        self.blob_source = blob_source
        self.intid_of = intid_of
        self.missing_relations: list[str] = []

    def decode(self, value):  # noqa: C901
        if value is None or isinstance(value, bool | int | float | str):
            return value
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if not isinstance(value, dict):
            raise UnsupportedValue(f"unexpected JSON value {value!r}")
        if not any(k.startswith("@") for k in value):
            return {k: self.decode(v) for k, v in value.items()}
        if "@float" in value:
            return float(value["@float"])
        if "@bytes" in value:
            return base64.b64decode(value["@bytes"])
        if "@DateTime" in value:
            return DateTime(value["micros"] / 1e6, value["tz"])
        if "@datetime" in value:
            return datetime.datetime.fromisoformat(value["@datetime"])
        if "@date" in value:
            return datetime.date.fromisoformat(value["@date"])
        if "@time" in value:
            return datetime.time.fromisoformat(value["@time"])
        if "@timedelta" in value:
            days, seconds, micros = value["@timedelta"]
            return datetime.timedelta(days=days, seconds=seconds, microseconds=micros)
        if "@decimal" in value:
            return decimal.Decimal(value["@decimal"])
        if "@tuple" in value:
            return tuple(self.decode(v) for v in value["@tuple"])
        if "@set" in value:
            items = [self._hashable(self.decode(v)) for v in value["@set"]]
            return frozenset(items) if value.get("frozen") else set(items)
        if "@items" in value:
            return {self._hashable(self.decode(k)): self.decode(v) for k, v in value["@items"]}
        if "@richtext" in value:
            from plone.app.textfield.value import RichTextValue

            return RichTextValue(
                value["@richtext"], value["mimeType"], value["outputMimeType"], value["encoding"]
            )
        if "@file" in value:
            cls = _resolve(value["@file"])
            return cls(
                data=self.blob_source(value["blob"]),
                contentType=value["contentType"],
                filename=value["filename"],
            )
        if "@relation" in value:
            from z3c.relationfield import RelationValue

            intid = self.intid_of(value["@relation"]) if value["@relation"] and self.intid_of else None
            if intid is None:
                self.missing_relations.append(value["@relation"])
                return None
            relation = RelationValue(intid)
            return relation
        if "@blob" in value:
            from ZODB.blob import Blob

            blob = Blob()
            with blob.open("w") as handle:
                handle.write(self.blob_source(value["@blob"]))
            return blob
        if "@btree" in value:
            if "value" in value:
                return _resolve(value["@btree"])(value["value"])
            tree = _resolve(value["@btree"])()
            if "items" in value:
                for k, v in value["items"]:
                    tree[self.decode(k)] = self.decode(v)
            else:
                for k in value["keys"]:
                    tree.add(self.decode(k))
            return tree
        if "@object" in value:
            cls = _resolve(value["@object"])
            if "items" in value:
                obj = cls()
                for k, v in value["items"]:
                    obj[self._hashable(self.decode(k))] = self.decode(v)
                return obj
            if "list" in value:
                return cls([self.decode(v) for v in value["list"]])
            obj = cls.__new__(cls)
            state = self.decode(value["state"])
            if hasattr(obj, "__setstate__"):
                obj.__setstate__(state)
            else:
                obj.__dict__.update(state)
            return obj
        raise UnsupportedValue(f"unknown encoded value with keys {sorted(value)}")

    @staticmethod
    def _hashable(value):
        if isinstance(value, list):
            return tuple(Decoder._hashable(v) for v in value)
        return value
