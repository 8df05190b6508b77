"""The decoder builds only what the format needs, and reading an archive refuses instead of failing.

No Plone site is needed: the decoder and the archive reader are plain Python. The property-based runs are
bounded (20 seconds each at most) and look for any input that raises anything but a refusal.
"""

import contextlib
import io
import json
import time
import zipfile

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from links.content.integrity import dumps
from links.content.integrity import sha256_hex
from links.policy.handover.encoding import ALLOWED_CLASSES
from links.policy.handover.encoding import HANDLERS
from links.policy.handover.encoding import Decoder
from links.policy.handover.encoding import Encoder
from links.policy.handover.exceptions import ArchiveRefused
from links.policy.handover.exceptions import UnsupportedValue
from links.policy.handover.exceptions import ValueRefused

GADGETS = {
    "resolver through a counter": {"@btree": "zope.dottedname.resolve.resolve", "value": "os.system"},
    "function as a tree": {"@btree": "os.system", "items": []},
    "function as an object": {"@object": "os.system", "state": {}},
    "function with a list": {"@object": "subprocess.getoutput", "list": ["id"]},
    "ZCML string": {"@object": "zope.configuration.xmlconfig.string", "list": ["<configure/>"]},
    "file made by a function": {
        "@file": "plone.api.user.delete",
        "blob": "0" * 64,
        "filename": "x",
        "contentType": "x",
        "size": 1,
    },
    "restapi function": {"@object": "plone.restapi.services.Service", "items": []},
    "allowed class in the wrong shape": {"@object": "BTrees.OOBTree.OOBTree", "state": {}},
    "mapping as a state class": {"@object": "persistent.mapping.PersistentMapping", "state": {"data": {}}},
    "dunder attribute": {
        "@object": "links.content.signing.storage.SignatureStore",
        "state": {"__class__": 1},
    },
    "unknown dataclass field": {"@object": "links.content.clocks.storage.Pause", "state": {"evil": 1}},
    "two tags": {"@tuple": [], "@set": [], "frozen": False},
    "extra key": {"@date": "2026-01-01", "call": "os.system"},
    "class name that is not text": {"@object": ["os", "system"], "items": []},
}


@pytest.mark.parametrize("name", sorted(GADGETS))
def test_gadget_is_refused_naming_item_path_and_class(name):
    with pytest.raises(ValueRefused) as info:
        Decoder(item="items/x.json").decode({"fields": {"title": GADGETS[name]}})
    error = info.value
    assert error.item == "items/x.json" and error.where.startswith("/fields/title")
    assert error.problems[0].startswith("items/x.json at /fields/title")
    named = GADGETS[name].get("@object") or GADGETS[name].get("@btree") or GADGETS[name].get("@file")
    if isinstance(named, str) and named not in ALLOWED_CLASSES:
        assert error.class_name == named and repr(named) in error.problems[0]


def test_deep_nesting_is_refused_not_a_recursion_error():
    value = "x"
    for _ in range(100_000):
        value = [value]
    with pytest.raises(ValueRefused, match="nested deeper than 64 levels"):
        Decoder(item="site.json").decode(value)


def test_allowlist_holds_only_classes_of_their_shape():
    from links.policy.handover.encoding import SHAPES

    for name, (cls, shape) in ALLOWED_CLASSES.items():
        assert isinstance(cls, type) and SHAPES[shape](cls), name
        assert f"{cls.__module__}.{cls.__qualname__}" == name


def test_export_refuses_a_class_the_import_would_refuse():
    class Stored:
        def __init__(self):
            self.x = 1

    with pytest.raises(UnsupportedValue, match="ALLOWED_CLASSES"):
        Encoder().encode(Stored())


def test_allowed_values_round_trip():
    import datetime

    from BTrees.Length import Length
    from BTrees.OOBTree import OOBTree
    from persistent.mapping import PersistentMapping

    from links.content.clocks.storage import Pause

    now = datetime.datetime(2026, 11, 8, 10, tzinfo=datetime.UTC)
    value = {
        "tree": OOBTree({"a": (1, 2)}),
        "mapping": PersistentMapping({1: {"x", "y"}}),
        "counter": Length(7),
        "pause": Pause(now.date(), None, "waiting", "staff", now),
    }
    encoded = Encoder().encode(value)
    assert Encoder().encode(Decoder().decode(json.loads(dumps(encoded)))) == encoded


# -- property-based: any JSON-shaped input gives a value or a refusal, never another exception ------------

TAG_NAMES = sorted(HANDLERS) + ["@other"]
CLASS_NAMES = sorted(ALLOWED_CLASSES) + [
    "BTrees.Length.Length",
    "os.system",
    "zope.dottedname.resolve.resolve",
]
KEYS = [
    "value",
    "items",
    "keys",
    "list",
    "state",
    "frozen",
    "micros",
    "tz",
    "blob",
    "filename",
    "contentType",
]
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
json_values = st.recursive(
    scalars | st.sampled_from(CLASS_NAMES) | st.sampled_from(["0" * 64, "2026-01-01", "1.5", "a" * 32]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(TAG_NAMES + KEYS) | st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=30,
)


def _blob(digest):
    return b"data"


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(json_values)
def test_decoder_raises_nothing_but_a_refusal(value):
    if time.monotonic() > _DEADLINE.setdefault("decoder", time.monotonic() + 20):
        return
    with contextlib.suppress(ValueRefused):
        Decoder(blob_source=_blob, intid_of=lambda uid: None, item="items/f.json", max_depth=20).decode(value)


# -- property-based: a damaged or hostile ZIP is refused, never an unexpected exception -------------------


def small_archive() -> bytes:
    key = Ed25519PrivateKey.generate()
    members = {"site.json": dumps({"id": "links"}), "principals.json": dumps({}), "registry.json": dumps({})}
    manifest = {
        "format": "links-handover",
        "format_version": 1,
        "public_key_sha256": "",
        "source": {"site_id": "links", "title": "", "url": ""},
        "totals": {"items": 0},
        "audit": {"available": False},
        "files": {name: sha256_hex(data) for name, data in members.items()},
        "items": [],
    }
    pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    from links.policy.handover.manifest import key_fingerprint

    manifest["public_key_sha256"] = key_fingerprint(pem)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", dumps(manifest))
        zf.writestr("manifest.sig", key.sign(dumps(manifest)).hex())
        zf.writestr("public-key.pem", pem)
    return out.getvalue()


GOOD = small_archive()
_DEADLINE = {}


@pytest.fixture(autouse=True)
def _work_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LINKS_HANDOVER_WORK_DIR", str(tmp_path / "work"))


def test_small_archive_is_good():
    from links.policy.handover.verify import check_archive

    assert check_archive(io.BytesIO(GOOD))["format"] == "links-handover"


@settings(max_examples=800, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(GOOD) - 1), st.integers(0, 255), st.sampled_from(["set", "insert", "cut"])
        ),
        min_size=1,
        max_size=4,
    )
)
def test_damaged_archive_raises_nothing_but_a_refusal(changes):
    from links.policy.handover.verify import check_archive

    if time.monotonic() > _DEADLINE.setdefault("zip", time.monotonic() + 20):
        return
    data = bytearray(GOOD)
    for at, byte, how in changes:
        at = min(at, len(data) - 1)
        if how == "set":
            data[at] = byte
        elif how == "insert":
            data.insert(at, byte)
        else:
            del data[at : at + byte]
    with contextlib.suppress(ArchiveRefused):
        check_archive(io.BytesIO(bytes(data)))


def test_encrypted_archive_needs_the_successors_identity(tmp_path):
    from links.policy.handover import encryption
    from links.policy.handover.verify import check_archive

    clear = tmp_path / "clear.zip"
    clear.write_bytes(GOOD)
    recipient = encryption.generate_identity(tmp_path / "keys" / "successor.txt")
    encryption.generate_identity(tmp_path / "keys" / "someone-else.txt")
    encrypted = tmp_path / "archive.zip.age"
    encryption.encrypt(clear, encrypted, recipient)
    assert (tmp_path / "keys" / "successor.txt").stat().st_mode & 0o777 == 0o600
    assert encrypted.stat().st_mode & 0o777 == 0o600
    assert encrypted.read_bytes().startswith(b"age-encryption.org/v1\n")
    with pytest.raises(ArchiveRefused, match="encrypted for the successor"):
        check_archive(encrypted)
    with pytest.raises(ArchiveRefused, match="cannot be decrypted with the identity given"):
        check_archive(encrypted, identity=tmp_path / "keys" / "someone-else.txt")
    assert (
        check_archive(encrypted, identity=tmp_path / "keys" / "successor.txt")["format"] == "links-handover"
    )
