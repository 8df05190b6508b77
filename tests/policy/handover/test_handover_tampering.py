"""Every kind of damage is refused with a precise message, before anything is written to the target."""

import json
import shutil
import zipfile

import pytest
from AccessControl.SecurityManagement import newSecurityManager
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from zope.annotation.interfaces import IAnnotations

from links.content.integrity import dumps
from links.policy.handover import api as handover
from links.policy.handover.exceptions import ArchiveRefused
from links.policy.handover.exceptions import FingerprintRequired
from links.policy.handover.manifest import key_fingerprint

_cache = {}


@pytest.fixture
def portal(integration):
    app, portal = integration["app"], integration["portal"]
    newSecurityManager(None, app.acl_users.getUser(SITE_OWNER_NAME).__of__(app.acl_users))
    return portal


@pytest.fixture
def archive(portal, tmp_path):
    """A copy of one good export of the demo site (exported once per test session)."""
    if "path" not in _cache:
        directory = tmp_path.parent / "handover-original"
        directory.mkdir(exist_ok=True)
        _cache["path"] = directory / "good.zip"
        handover.export_archive(portal, _cache["path"], include_report=False)
    copy = tmp_path / "archive.zip"
    shutil.copy(_cache["path"], copy)
    return copy


def rewrite(path, change):
    """Rewrite the ZIP, passing {name: bytes} through ``change`` (which may edit, add or delete)."""
    with zipfile.ZipFile(path) as zf:
        files = {name: zf.read(name) for name in zf.namelist()}
    change(files)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)


def resign(files, key=None):
    key = key or Ed25519PrivateKey.generate()
    files["manifest.sig"] = key.sign(files["manifest.json"]).hex().encode()
    files["public-key.pem"] = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return files["public-key.pem"]


def first_item(files):
    return next(name for name in files if name.startswith("items/"))


def refused(path, **kwargs) -> str:
    with pytest.raises(ArchiveRefused) as info:
        handover.verify_archive(path, **kwargs)
    return " | ".join(info.value.problems)


def damage_good_archive_passes(archive):
    manifest = handover.verify_archive(archive)
    assert manifest["totals"]["items"] == len(manifest["items"]) > 0


def damage_truncated_archive(archive):
    data = archive.read_bytes()
    archive.write_bytes(data[: len(data) // 2])
    assert "truncated or is not a ZIP" in refused(archive)


def damage_changed_byte_in_a_record(archive):
    def change(files):
        name = first_item(files)
        data = bytearray(files[name])
        data[10] = ord("X") if data[10] != ord("X") else ord("Y")
        files[name] = bytes(data)
        change.name = name

    rewrite(archive, change)
    message = refused(archive)
    assert f"{change.name} has been changed" in message


def damage_changed_byte_in_the_zip_itself(archive):
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(next(n for n in zf.namelist() if n.startswith("items/")))
    data = bytearray(archive.read_bytes())
    at = info.header_offset + 30 + len(info.filename) + 5  # inside the compressed data
    data[at] ^= 0xFF
    archive.write_bytes(bytes(data))
    message = refused(archive)
    assert info.filename in message


def damage_missing_record(archive):
    def change(files):
        change.name = first_item(files)
        del files[change.name]

    rewrite(archive, change)
    assert f"{change.name} is listed in the manifest but missing" in refused(archive)


def damage_manifest_from_another_site(archive):
    def change(files):
        key = Ed25519PrivateKey.generate()
        manifest = json.loads(files["manifest.json"])
        manifest["source"]["site_id"] = "elsewhere"
        manifest["public_key_sha256"] = key_fingerprint(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        files["manifest.json"] = dumps(manifest)
        resign(files, key)

    original = handover.verify_archive(archive)["public_key_sha256"]
    rewrite(archive, change)
    assert "the manifest is from site 'elsewhere' but the records are from site 'plone'" in refused(archive)
    assert f"not by the outgoing host's key {original}" in refused(archive, expected_fingerprint=original)


def damage_manifest_naming_another_key(archive):
    def change(files):
        resign(files)  # consistent signature, but the manifest still names the outgoing host's key

    rewrite(archive, change)
    assert "public-key.pem holds key" in refused(archive)


def damage_manifest_signed_with_another_key(archive):
    def change(files):
        key_pem = files["public-key.pem"]
        resign(files)
        files["public-key.pem"] = key_pem  # the outgoing host's key, but a signature made by another

    rewrite(archive, change)
    assert "does not match manifest.json and public-key.pem" in refused(archive)


def damage_newer_format_version(archive):
    from links.content.keys.api import signing_key

    def change(files):
        manifest = json.loads(files["manifest.json"])
        manifest["format_version"] = 2
        files["manifest.json"] = dumps(manifest)
        resign(files, signing_key())  # the outgoing host runs a newer release

    fingerprint = handover.verify_archive(archive)["public_key_sha256"]
    rewrite(archive, change)
    assert "format version 2, which this software does not read" in refused(
        archive, expected_fingerprint=fingerprint
    )


# The demo layer is set up again for each test function (slow), so one test runs every kind of damage on
# its own copy of the archive and reports each kind that was not refused as it should be.
DAMAGE = [
    damage_truncated_archive,
    damage_changed_byte_in_a_record,
    damage_changed_byte_in_the_zip_itself,
    damage_missing_record,
    damage_manifest_from_another_site,
    damage_manifest_naming_another_key,
    damage_manifest_signed_with_another_key,
    damage_newer_format_version,
]


def test_every_kind_of_damage_is_refused(archive, tmp_path):
    damage_good_archive_passes(archive)
    failures = []
    for damage in DAMAGE:
        copy = tmp_path / f"{damage.__name__}.zip"
        shutil.copy(archive, copy)
        try:
            damage(copy)
        except (AssertionError, pytest.fail.Exception) as error:
            failures.append(f"{damage.__name__}: {error}")
    assert failures == []


def test_refused_import_changes_nothing(portal, archive):
    fingerprint = handover.verify_archive(archive)["public_key_sha256"]
    data = archive.read_bytes()
    archive.write_bytes(data[:-100])
    catalog = api.portal.get_tool("portal_catalog")
    before = len(catalog.unrestrictedSearchResults())
    with pytest.raises(FingerprintRequired):
        handover.import_archive(portal, archive)
    with pytest.raises(ArchiveRefused, match="truncated"):
        handover.import_archive(portal, archive, fingerprint)
    assert len(catalog.unrestrictedSearchResults()) == before
    assert "links.policy.handover" not in IAnnotations(portal)
    assert not portal._p_jar._registered_objects
