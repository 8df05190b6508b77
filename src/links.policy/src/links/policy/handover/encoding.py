"""Lossless JSON encoding of stored values (field values, annotations, workflow history).

Plain JSON types stay as they are; everything else becomes an object with one ``@``-key naming what it is,
so a reader that does not run Plone can still interpret it (see FORMAT.md). Files and blobs are not inlined:
their bytes go into the archive under ``blobs/<sha256>`` and the value names the digest.

The encoding is canonical (sorted keys, sets sorted): encoding the same stored state always gives the same
bytes, which is what lets ``verify`` compare a target site with the source by SHA-256.

An archive is data from outside. The decoder is a table of handlers, one per ``@`` tag, each checking the
exact shape it accepts; classes come only from ``ALLOWED_CLASSES`` (imported here, never looked up by a
name from the archive), each checked to be a class of the expected kind. No archive value is ever called.
The encoder refuses the same classes, so an export never writes what a successor would refuse.
"""

import base64
import dataclasses
import datetime
import decimal
import re

from BTrees.Interfaces import IBTree
from BTrees.Interfaces import ISet
from BTrees.Interfaces import ITreeSet
from BTrees.IOBTree import IOBTree
from BTrees.IOBTree import IOTreeSet
from BTrees.LLBTree import LLBTree
from BTrees.LLBTree import LLTreeSet
from BTrees.LOBTree import LOBTree
from BTrees.OIBTree import OIBTree
from BTrees.OLBTree import OLBTree
from BTrees.OOBTree import OOBTree
from BTrees.OOBTree import OOSet
from BTrees.OOBTree import OOTreeSet
from DateTime import DateTime
from persistent import Persistent
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone.namedfile.file import NamedBlobFile
from plone.namedfile.file import NamedBlobImage
from plone.namedfile.file import NamedFile
from plone.namedfile.file import NamedImage
from plone.namedfile.interfaces import INamed

from links.content.clocks.rules import Rule
from links.content.clocks.storage import Clock
from links.content.clocks.storage import Extension
from links.content.clocks.storage import HistoryEntry
from links.content.clocks.storage import Pause
from links.content.integrity import dumps
from links.content.integrity import sha256_hex as sha256
from links.content.signing.storage import SignatureStore
from links.content.verify.issued import IssueIndex
from links.policy.handover.exceptions import UnsupportedValue
from links.policy.handover.exceptions import ValueRefused

#: Nesting deeper than this is refused (the demo site's deepest value is 13 levels; see limits.py).
MAX_DEPTH = 64
DIGEST = re.compile(r"[0-9a-f]{64}\Z")
UID = re.compile(r"[0-9a-f]{32}\Z")
#: Longest text the scalar tags accept (ISO dates, decimals, time zones, MIME types).
SHORT = 200


def _dotted(obj) -> str:
    cls = type(obj)
    return f"{cls.__module__}.{cls.__qualname__}"


# -- the class allowlist: dotted name -> (class, shape) ------------------------------------------------------

#: Which base (or interface) each shape requires, checked again on every lookup.
SHAPES = {
    "mapping": lambda cls: issubclass(cls, PersistentMapping),  # @object with "items"
    "list": lambda cls: issubclass(cls, PersistentList),  # @object with "list"
    "tree": lambda cls: IBTree.implementedBy(cls),  # @btree with "items"
    "set": lambda cls: ITreeSet.implementedBy(cls) or ISet.implementedBy(cls),  # @btree with "keys"
    "file": lambda cls: INamed.implementedBy(cls),  # @file
    # @object with "state": a product class whose state is its attributes (no custom __setstate__ or
    # __reduce__ beyond Persistent's).
    "state": lambda cls: (
        cls.__module__.startswith("links.content.")
        and (issubclass(cls, Persistent) or dataclasses.is_dataclass(cls))
    ),
}
ALLOWED_CLASSES: dict[str, tuple[type, str]] = {}


def _allow(shape: str, *classes: type) -> None:
    for cls in classes:
        assert isinstance(cls, type) and SHAPES[shape](cls), (cls, shape)
        ALLOWED_CLASSES[f"{cls.__module__}.{cls.__qualname__}"] = (cls, shape)


_allow("mapping", PersistentMapping)
_allow("list", PersistentList)
_allow("tree", OOBTree, IOBTree, OIBTree, LOBTree, OLBTree, LLBTree)
_allow("set", OOTreeSet, OOSet, IOTreeSet, LLTreeSet)
_allow("file", NamedBlobFile, NamedBlobImage, NamedFile, NamedImage)
_allow("state", Rule, Clock, Pause, Extension, HistoryEntry, SignatureStore, IssueIndex)
#: The one class built from a plain value: a conflict-free counter, recognised by its name.
LENGTH = "BTrees.Length.Length"


def allowed_class(name, shape: str, item: str = "", where: str = "") -> type:
    """The allowed class called ``name`` for a value of ``shape``.

    :raises ValueRefused: the name is not on the allowlist, or names a class of another kind
    """
    if not isinstance(name, str) or len(name) > SHORT:
        raise ValueRefused(item, where, "the class name is not text", None)
    entry = ALLOWED_CLASSES.get(name)
    if entry is None:
        raise ValueRefused(item, where, f"class {name!r} is not one the handover restores", name)
    cls, allowed_shape = entry
    if allowed_shape != shape or not isinstance(cls, type) or not SHAPES[shape](cls):
        raise ValueRefused(item, where, f"class {name!r} cannot be restored as a {shape}", name)
    return cls


def _encodable_class(value, shape: str) -> str:
    name = _dotted(value)
    entry = ALLOWED_CLASSES.get(name)
    if entry is None or entry[0] is not type(value) or entry[1] != shape:
        raise UnsupportedValue(
            f"cannot export a {name}: the handover restores only the classes in "
            "links.policy.handover.encoding.ALLOWED_CLASSES (add it there if the product stores it)"
        )
    return name


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
                "@object": _encodable_class(value, "mapping"),
                "items": [[self.encode(k), self.encode(v)] for k, v in value.items()],
            }
        if isinstance(value, PersistentList):
            return {"@object": _encodable_class(value, "list"), "list": [self.encode(v) for v in value]}
        if _dotted(value) == LENGTH:  # BTrees.Length.Length: a conflict-free counter
            return {"@btree": LENGTH, "value": value()}
        if type(value).__module__.startswith("BTrees."):
            if hasattr(value, "items"):
                return {
                    "@btree": _encodable_class(value, "tree"),
                    "items": [[self.encode(k), self.encode(v)] for k, v in value.items()],
                }
            return {"@btree": _encodable_class(value, "set"), "keys": [self.encode(k) for k in value]}
        if isinstance(value, Persistent) or hasattr(value, "__dict__"):
            name = _encodable_class(value, "state")
            state = value.__getstate__() if isinstance(value, Persistent) else dict(value.__dict__)
            if isinstance(state, tuple):  # (dict, slots) form
                state = state[0] or {}
            if not isinstance(state, dict):
                raise UnsupportedValue(f"cannot encode {name}: its state is not a mapping")
            state = {k: v for k, v in state.items() if not k.startswith(("_v_", "_p_"))}
            return {"@object": name, "state": self.encode(state)}
        raise UnsupportedValue(f"cannot encode a value of type {_dotted(value)}")

    def _special(self, value):
        """Plone value types with a readable encoding of their own (files, rich text, relations, blobs)."""
        from plone.app.textfield.value import RichTextValue
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
                "@file": _encodable_class(value, "file"),
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


# -- decoding: one handler per tag, each checking its exact shape -------------------------------------------

#: For each tag, the other keys its object must have (exactly these; "@btree"/"@object" take one of several).
TAG_KEYS = {
    "@float": set(),
    "@bytes": set(),
    "@DateTime": {"micros", "tz"},
    "@datetime": set(),
    "@date": set(),
    "@time": set(),
    "@timedelta": set(),
    "@decimal": set(),
    "@tuple": set(),
    "@set": {"frozen"},
    "@items": set(),
    "@richtext": {"mimeType", "outputMimeType", "encoding"},
    "@file": {"blob", "filename", "contentType", "size"},
    "@relation": set(),
    "@blob": set(),
}
BODIES = {"@btree": ("items", "keys", "value"), "@object": ("items", "list", "state")}


class Decoder:
    """Decode values; ``blob_source(sha256) -> bytes`` reads file bytes; ``intid_of(uid) -> int | None``.

    :param item: the archive member being decoded, named in refusals
    :param max_depth: deepest nesting accepted
    :raises ValueRefused: (from ``decode``) for anything the format does not allow, and nothing else
    """

    def __init__(self, blob_source=None, intid_of=None, item: str = "", max_depth: int = MAX_DEPTH):
        self.blob_source = blob_source
        self.intid_of = intid_of
        self.item = item
        self.max_depth = max_depth
        self.missing_relations: list[str] = []

    def decode(self, value, where: str = "", depth: int = 0):
        if depth > self.max_depth:
            raise ValueRefused(self.item, where, f"values are nested deeper than {self.max_depth} levels")
        if value is None or isinstance(value, bool | int | float | str):
            return value
        if isinstance(value, list):
            return self._sequence(value, where, depth)
        if not isinstance(value, dict):
            raise ValueRefused(self.item, where, f"{type(value).__name__} is not a JSON value")
        tags = [k for k in value if isinstance(k, str) and k.startswith("@")]
        if not tags:
            return {self._key(k, where): self.decode(v, f"{where}/{k}", depth + 1) for k, v in value.items()}
        tag = tags[0]
        handler = HANDLERS.get(tag) if len(tags) == 1 else None
        if handler is None:
            raise ValueRefused(self.item, where, f"unknown encoded value with keys {sorted(value)[:5]}")
        if tag in BODIES:
            bodies = [key for key in BODIES[tag] if key in value]
            if len(bodies) != 1 or set(value) != {tag, bodies[0]}:
                raise ValueRefused(self.item, where, f"a {tag} value needs exactly one of {BODIES[tag]}")
        elif set(value) != {tag} | TAG_KEYS[tag]:
            raise ValueRefused(self.item, where, f"a {tag} value has keys {sorted(TAG_KEYS[tag] | {tag})}")
        return handler(self, value, f"{where}/{tag}", depth + 1)

    def _key(self, key, where):
        if not isinstance(key, str):
            raise ValueRefused(self.item, where, "a mapping key is not text")
        return key

    def _refuse(self, where: str, message: str, class_name: str | None = None):
        raise ValueRefused(self.item, where, message, class_name)

    def _text(self, value, where: str, limit: int | None = SHORT) -> str:
        if not isinstance(value, str) or (limit is not None and len(value) > limit):
            self._refuse(where, "expected a short text" if limit else "expected text")
        return value

    def _list(self, value, where: str) -> list:
        if not isinstance(value, list):
            self._refuse(where, "expected a list")
        return value

    def _sequence(self, value, where: str, depth: int) -> list:
        return [self.decode(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(self._list(value, where))]

    def _digest(self, value, where: str) -> str:
        if not isinstance(value, str) or not DIGEST.match(value):
            self._refuse(where, "expected a SHA-256 digest (64 hexadecimal digits)")
        return value

    def _pairs(self, value, where: str, depth: int):
        for index, pair in enumerate(self._list(value, where)):
            if not isinstance(pair, list) or len(pair) != 2:
                self._refuse(f"{where}[{index}]", "expected a [key, value] pair")
            key = self._hashable(self.decode(pair[0], f"{where}[{index}][0]", depth + 1), f"{where}[{index}]")
            yield key, self.decode(pair[1], f"{where}[{index}][1]", depth + 1)

    def _hashable(self, value, where: str):
        if isinstance(value, list):
            value = tuple(self._hashable(v, where) for v in value)
        try:
            hash(value)
        except TypeError:
            self._refuse(where, f"a {type(value).__name__} cannot be a key or a set member")
        return value

    def _build(self, where: str, make, *args, **kwargs):
        """Call one of the fixed constructors below; whatever it raises on bad input becomes a refusal."""
        try:
            return make(*args, **kwargs)
        except ValueRefused:
            raise
        except Exception as error:  # a constructor's own complaint about archive data
            self._refuse(where, f"cannot be restored ({type(error).__name__}: {str(error)[:100]})")

    # -- the handlers (HANDLERS below maps each tag to one) --

    def _float(self, value, where, depth):
        text = self._text(value["@float"], where)
        return self._build(where, float, text)

    def _bytes(self, value, where, depth):
        text = self._text(value["@bytes"], where, limit=None)
        return self._build(where, base64.b64decode, text, validate=True)

    def _zope_datetime(self, value, where, depth):
        self._text(value["@DateTime"], where)
        micros, zone = value["micros"], self._text(value["tz"], where)
        if not isinstance(micros, int) or isinstance(micros, bool) or abs(micros) > 10**17:
            self._refuse(where, "micros must be a whole number of microseconds")
        return self._build(where, DateTime, micros / 1e6, zone)

    def _timedelta(self, value, where, depth):
        parts = self._list(value["@timedelta"], where)
        if len(parts) != 3 or not all(isinstance(p, int) and not isinstance(p, bool) for p in parts):
            self._refuse(where, "expected [days, seconds, microseconds]")
        if any(abs(p) > 10**12 for p in parts):
            self._refuse(where, "the time span is out of range")
        return self._build(where, datetime.timedelta, days=parts[0], seconds=parts[1], microseconds=parts[2])

    def _decimal(self, value, where, depth):
        return self._build(where, decimal.Decimal, self._text(value["@decimal"], where))

    def _tuple(self, value, where, depth):
        return tuple(self._sequence(value["@tuple"], where, depth))

    def _set(self, value, where, depth):
        if not isinstance(value["frozen"], bool):
            self._refuse(where, "frozen must be true or false")
        items = [self._hashable(v, where) for v in self._sequence(value["@set"], where, depth)]
        return frozenset(items) if value["frozen"] else set(items)

    def _items(self, value, where, depth):
        return dict(self._pairs(value["@items"], where, depth))

    def _richtext(self, value, where, depth):
        from plone.app.textfield.value import RichTextValue

        raw = self._text(value["@richtext"], where, limit=None)
        mime, output, encoding = (
            self._text(value[k], where) for k in ("mimeType", "outputMimeType", "encoding")
        )
        return self._build(where, RichTextValue, raw, mime, output, encoding)

    def _file(self, value, where, depth):
        cls = allowed_class(value["@file"], "file", self.item, where)
        digest = self._digest(value["blob"], where)
        filename, content_type = value["filename"], self._text(value["contentType"], where)
        if filename is not None:
            self._text(filename, where, limit=1000)
        data = self._blob_bytes(digest, where)
        return self._build(where, cls, data=data, contentType=content_type, filename=filename)

    def _relation(self, value, where, depth):
        uid = value["@relation"]
        if uid is not None and (not isinstance(uid, str) or not UID.match(uid)):
            self._refuse(where, "a relation names its target by UID (32 hexadecimal digits)")
        intid = self.intid_of(uid) if uid and self.intid_of else None
        if intid is None:
            self.missing_relations.append(uid)
            return None
        from z3c.relationfield import RelationValue

        return RelationValue(intid)

    def _blob(self, value, where, depth):
        from ZODB.blob import Blob

        data = self._blob_bytes(self._digest(value["@blob"], where), where)
        blob = Blob()
        with blob.open("w") as handle:
            handle.write(data)
        return blob

    def _blob_bytes(self, digest: str, where: str) -> bytes:
        if self.blob_source is None:
            self._refuse(where, "file contents are not available here")
        return self.blob_source(digest)

    def _btree(self, value, where, depth):
        name = value["@btree"]
        if "value" in value:
            if name != LENGTH:
                self._refuse(
                    where, f"class {str(name)[:SHORT]!r} is not built from a plain value", str(name)[:SHORT]
                )
            count = value["value"]
            if not isinstance(count, int) or isinstance(count, bool) or abs(count) >= 2**63:
                self._refuse(where, "a counter's value must be a whole number")
            from BTrees.Length import Length

            return Length(count)
        if "items" in value:
            tree = allowed_class(name, "tree", self.item, where)()
            for key, item in self._pairs(value["items"], where, depth):
                self._build(where, tree.__setitem__, key, item)
            return tree
        tree = allowed_class(name, "set", self.item, where)()
        for index, key in enumerate(self._list(value["keys"], where)):
            self._build(
                where, tree.add, self._hashable(self.decode(key, f"{where}[{index}]", depth + 1), where)
            )
        return tree

    def _object(self, value, where, depth):
        name = value["@object"]
        if "items" in value:
            obj = allowed_class(name, "mapping", self.item, where)()
            for key, item in self._pairs(value["items"], where, depth):
                obj[key] = item
            return obj
        if "list" in value:
            cls = allowed_class(name, "list", self.item, where)
            return cls(
                [
                    self.decode(v, f"{where}[{i}]", depth + 1)
                    for i, v in enumerate(self._list(value["list"], where))
                ]
            )
        cls = allowed_class(name, "state", self.item, where)
        state = self.decode(value["state"], f"{where}/state", depth + 1)
        if not isinstance(state, dict):
            self._refuse(where, "an object's state must be a mapping", name)
        fields = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else None
        for key in state:
            if key.startswith(("_p_", "_v_", "__")) or (fields is not None and key not in fields):
                self._refuse(where, f"{name} has no attribute {key[:SHORT]!r} to restore", name)
        obj = cls.__new__(cls)
        if isinstance(obj, Persistent):
            obj.__setstate__(state)
        else:
            obj.__dict__.update(state)
        return obj


def _iso(parse):
    """A handler for an ISO 8601 text tag (``@datetime``, ``@date``, ``@time``)."""

    def handler(self, value, where, depth):
        return self._build(where, parse, self._text(next(iter(value.values())), where))

    return handler


HANDLERS = {
    "@float": Decoder._float,
    "@bytes": Decoder._bytes,
    "@DateTime": Decoder._zope_datetime,
    "@datetime": _iso(datetime.datetime.fromisoformat),
    "@date": _iso(datetime.date.fromisoformat),
    "@time": _iso(datetime.time.fromisoformat),
    "@timedelta": Decoder._timedelta,
    "@decimal": Decoder._decimal,
    "@tuple": Decoder._tuple,
    "@set": Decoder._set,
    "@items": Decoder._items,
    "@richtext": Decoder._richtext,
    "@file": Decoder._file,
    "@relation": Decoder._relation,
    "@blob": Decoder._blob,
    "@btree": Decoder._btree,
    "@object": Decoder._object,
}
assert set(HANDLERS) == set(TAG_KEYS) | set(BODIES)
