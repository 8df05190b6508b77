"""The hostile-archive corpus: an outgoing host that is careless, compromised or hostile (it holds its own
signing key, so its archives pass the signature and the fingerprint) or a file swapped on the way. Each
archive is refused with a message that names what is wrong, never a 500, and the target site is exactly as
it was afterwards."""

import json
import zipfile
import zlib

import pytest
import transaction
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from plone import api
from zope.annotation.interfaces import IAnnotations
from zope.component.hooks import setSite

from links.content.integrity import dumps
from links.content.integrity import sha256_hex
from links.policy.handover import api as handover
from links.policy.handover.archive import Limits
from links.policy.handover.exceptions import ArchiveRefused
from links.policy.handover.exceptions import FingerprintRequired
from links.policy.handover.exceptions import HandoverError
from links.policy.site import create_site


@pytest.fixture
def exported(source, tmp_path):
    path = tmp_path / "good.zip"
    fingerprint = handover.export_archive(source, path, include_report=False)["fingerprint"]
    return path, fingerprint


@pytest.fixture
def target(functional, source):
    site, created = create_site(functional["app"], site_id="hostile-target", demo=False, title="Successor")
    assert created
    transaction.begin()  # see what the audit chainer committed after the site was created
    setSite(site)
    return site


def files_of(path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def write(path, files: dict, extra: list | None = None) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
        for name, data in extra or []:
            zf.writestr(name, data)


def resign(files: dict, key, manifest: dict | None = None, relist: tuple = ()) -> None:
    """Sign (a changed) manifest as the outgoing host would: digests of ``relist`` members updated."""
    manifest = manifest if manifest is not None else json.loads(files["manifest.json"])
    for name in relist:
        manifest["files"][name] = sha256_hex(files[name])
        for item in manifest.get("items", []):
            if name == f"items/{item['uid']}.json":
                item["sha256"] = manifest["files"][name]
    files["manifest.json"] = dumps(manifest)
    files["manifest.sig"] = key.sign(files["manifest.json"]).hex().encode()
    files["public-key.pem"] = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_hostile_corpus_is_refused_and_changes_nothing(  # noqa: C901
    source, exported, target, tmp_path, snapshot, monkeypatch
):
    from links.content.keys.api import signing_key

    good, fingerprint = exported
    host_key = signing_key(source.getId())  # a compromised outgoing host signs what it likes
    # Imports keep their private copies here: the swapping case must find this test's copy only.
    monkeypatch.setenv("LINKS_HANDOVER_WORK_DIR", str(tmp_path / "work"))
    original = files_of(good)
    manifest = json.loads(original["manifest.json"])
    item = next(i for i in manifest["items"] if i["path"].count("/") >= 1)
    item_name = f"items/{item['uid']}.json"
    before = snapshot(target)
    cases = {}

    def case(name):
        def register(build):
            cases[name] = build
            return build

        return register

    def with_item(change):
        files = dict(original)
        data = json.loads(files[item_name])
        change(data)
        files[item_name] = dumps(data)
        resign(files, host_key, relist=(item_name,))
        return files

    @case("another key, no fingerprint")
    def _(path):
        files = dict(original)
        resign(files, Ed25519PrivateKey.generate(), {**manifest, "public_key_sha256": "0" * 64})
        write(path, files)
        return (
            {"fingerprint": None},
            FingerprintRequired,
            "handover fingerprint (SHA-256 of the DER public key",
        )

    @case("another key, with the fingerprint")
    def _(path):
        files = dict(original)
        key = Ed25519PrivateKey.generate()
        pem = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        from links.policy.handover.manifest import key_fingerprint

        resign(files, key, {**manifest, "public_key_sha256": key_fingerprint(pem)})
        write(path, files)
        return {}, ArchiveRefused, f"not by the outgoing host's key {fingerprint}"

    @case("resolver gadget")
    def _(path):
        files = with_item(
            lambda d: d["fields"].update(
                title={"@btree": "zope.dottedname.resolve.resolve", "value": "os.system"}
            )
        )
        write(path, files)
        return (
            {},
            ArchiveRefused,
            f"{item_name} ({item['path']}) at /fields/title/@btree: class 'zope.dottedname",
        )

    @case("function as a class")
    def _(path):
        files = with_item(
            lambda d: d["annotations"].update({"links.x": {"@object": "os.system", "state": {}}})
        )
        write(path, files)
        return (
            {},
            ArchiveRefused,
            "at /annotations/links.x/@object: class 'os.system' is not one the handover",
        )

    @case("ZCML string")
    def _(path):
        zcml = '<configure xmlns="http://namespaces.zope.org/zope"><include file="/etc/x.zcml"/></configure>'
        files = with_item(
            lambda d: d["fields"].update(
                description={"@object": "zope.configuration.xmlconfig.string", "list": [zcml]}
            )
        )
        write(path, files)
        return (
            {},
            ArchiveRefused,
            "class 'zope.configuration.xmlconfig.string' is not one the handover restores",
        )

    @case("deep nesting")
    def _(path):
        deep = "[" * 5000 + "]" * 5000
        files = dict(original)
        data = files[item_name].decode()
        files[item_name] = data.replace('"fields":{', f'"deep":{deep},"fields":{{', 1).encode()
        resign(files, host_key, relist=(item_name,))
        write(path, files)
        return {}, ArchiveRefused, f"{item_name} nests 5001 levels deep, more than the limit of 64"

    @case("zip bomb")
    def _(path):
        files = dict(original)
        zeros = b"\0" * (100 << 20)
        name = f"blobs/{sha256_hex(zeros)}"
        write(path, files, [(name, zeros)])
        return {}, ArchiveRefused, f"{name} is compressed"

    @case("manifest that would fill memory")
    def _(path):
        write(path, original)
        return {"limits": Limits(json_size=4096)}, ArchiveRefused, "manifest.json would unpack to"

    @case("duplicate member")
    def _(path):
        write(path, original, [(item_name, original[item_name])])
        return {}, ArchiveRefused, f"the member '{item_name}' appears 2 times"

    @case("traversal names")
    def _(path):
        write(path, original, [("../../etc/cron.d/x", b"x"), ("/etc/passwd", b"x")])
        return {}, ArchiveRefused, "the member name '../../etc/cron.d/x' points outside the archive"

    @case("malformed signed manifest")
    def _(path):
        files = dict(original)
        broken = json.loads(files["manifest.json"])
        del broken["items"][0]["uid"]
        broken["files"] = list(broken["files"])
        resign(files, host_key, broken)
        write(path, files)
        return {}, ArchiveRefused, "the manifest is malformed: files is not an object"

    @case("newer format version")
    def _(path):
        files = dict(original)
        resign(files, host_key, {**manifest, "format_version": 2})
        write(path, files)
        return {}, ArchiveRefused, "format version 2, which this software does not read"

    @case("unknown portal type")
    def _(path):
        files = dict(original)
        changed = json.loads(files["manifest.json"])
        changed["items"][-1]["type"] = "Plone Site"
        resign(files, host_key, changed)
        write(path, files)
        return {}, ArchiveRefused, "a type this site does not have"

    @case("swapped after verification")
    def _(path):
        write(path, original)
        return {"swap": True}, ArchiveRefused, f"{item_name}"

    failures = []
    for name, build in cases.items():
        path = tmp_path / f"{name.replace(' ', '-')}.zip"
        settings, error, message = build(path)
        kwargs = {"limits": settings.get("limits")}
        swap = settings.get("swap")
        if swap:
            kwargs["progress"] = _swapping_progress(target, item_name)
        try:
            handover.import_archive(target, path, settings.get("fingerprint", fingerprint), **kwargs)
            failures.append(f"{name}: imported")
        except HandoverError as raised:
            text = " | ".join(getattr(raised, "problems", [str(raised)]))
            if not isinstance(raised, error) or message not in text:
                failures.append(f"{name}: {type(raised).__name__}: {text[:300]}")
        transaction.begin()
        if snapshot(target) != before:
            failures.append(f"{name}: the target changed")
    assert failures == [], "\n".join(failures)


def _swapping_progress(site, item_name):
    """A progress reporter that, when the records phase starts (the archive verified and the import under
    way), rewrites one member inside the import's private copy, as another process could."""
    from links.policy.handover.archive import work_root
    from links.policy.handover.progress import Progress

    class Swap(Progress):
        def start_phase(self, phase, total):
            super().start_phase(phase, total)
            if phase == "records":
                [copy] = work_root().glob("import-*/archive.zip")
                with zipfile.ZipFile(copy) as zf:
                    info = zf.getinfo(item_name)
                with open(copy, "r+b") as handle:
                    handle.seek(info.header_offset + 30 + len(info.filename.encode()) + len(info.extra))
                    data = bytearray(handle.read(info.compress_size))
                    data[len(data) // 2] ^= 0xFF
                    handle.seek(-len(data), 1)
                    handle.write(bytes(data))

    return Swap(site.getId(), "import", stream=None)


def test_role_escalation_is_left_out_and_reported(source, exported, target, tmp_path):
    """A verified archive that tries to make a user Manager (site role, group, local roles), to set the
    quorum and to write a password hash: imported without any of it, each listed with the reason."""
    from links.content.keys.api import signing_key

    good, fingerprint = exported
    files = files_of(good)
    principals = json.loads(files["principals.json"])
    for user in principals["users"]:
        if user["id"] == "chair":
            user["roles"].append("Manager")
            user["password_hash"] = "{SSHA}forged"
    for group in principals["groups"]:
        if group["id"] == "Administrators":
            group["members"].append("member1")
    files["principals.json"] = dumps(principals)
    site_data = json.loads(files["site.json"])
    site_data["local_roles"]["member2"] = ["Site Administrator"]
    files["site.json"] = dumps(site_data)
    registry = json.loads(files["registry.json"])
    registry["links.content.signing.quorum"] = "1"
    files["registry.json"] = dumps(registry)
    resign(files, signing_key(source.getId()), relist=("principals.json", "site.json", "registry.json"))
    path = tmp_path / "escalation.zip"
    write(path, files)

    summary = handover.import_archive(target, path, fingerprint)
    assert summary["verification"]["identical"]
    assert "Manager" not in api.user.get_roles(username="chair", obj=target)
    assert "member1" not in [m.getId() for m in api.user.get_users(groupname="Administrators")]
    assert "Site Administrator" not in target.get_local_roles_for_userid("member2")
    assert api.portal.get_registry_record("links.content.signing.quorum") != "1"
    assert target.acl_users.source_users._user_passwords["chair"] != "{SSHA}forged"
    left_out = "\n".join(summary["left_out"])
    for expected in (
        "site role Manager of user chair: admin roles not allowed",
        "password hash of user chair",
        "membership of member1 in group Administrators: it holds an admin role",
        "local role Site Administrator of member2 on the site",
        "registry record links.content.signing.quorum: not on the allowlist",
    ):
        assert expected in left_out
    assert summary["verification"]["left_out"] == sorted(set(summary["left_out"]))


def test_insecure_import_is_recorded_and_trusts_no_key(source, exported, target):
    """--insecure-no-fingerprint imports, but says so in the report and the audit trail, and neither the
    archive's key nor the keys the outgoing host trusted become trusted."""
    from links.content.audit import api as audit_api
    from links.content.keys.api import PREDECESSORS_KEY
    from links.content.signing import api as signing_api

    good, _fingerprint = exported
    options = handover.ImportOptions(insecure_no_fingerprint=True)
    summary = handover.import_archive(target, good, options=options)
    assert summary["authenticity"]["authenticity"].startswith("NOT checked")
    assert summary["verification"]["authenticity"].startswith("NOT checked")
    assert (
        "the archive's signing key as a trusted key: it was not checked by fingerprint" in summary["left_out"]
    )
    assert not IAnnotations(target).get(PREDECESSORS_KEY)
    transaction.begin()
    total, entries = audit_api.entries({"action": "handover.imported"}, site=target)
    assert total == 1 and entries[0]["details"]["authenticity"].startswith("NOT checked")
    signed = signing_api.signatures(target["reports"]["visit-homecare-signed"])
    assert signed and not any(record["verification"]["seal_valid"] for record in signed)


def test_the_original_file_swapped_after_verification_changes_nothing(source, exported, target, monkeypatch):
    """The import reads its private copy: replacing the operator's file once verification has passed
    (a shared upload folder) does not reach the import."""
    from links.policy.handover import verify

    good, fingerprint = exported
    real = verify._verify

    def verify_then_swap(archive, expected):
        result = real(archive, expected)
        good.write_bytes(zlib.compress(b"swapped"))
        return result

    monkeypatch.setattr(verify, "_verify", verify_then_swap)
    summary = handover.import_archive(target, good, fingerprint)
    assert summary["verification"]["identical"] and summary["imported"] > 0
