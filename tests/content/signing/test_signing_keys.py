"""The site's keys live outside the ZODB, owner-readable only, one set per site; they are made only at site
creation or by an audited rotation, never on a read path."""

import os
import shutil
import stat

import pytest
from plone import api

from links.content.integrity import key_fingerprint
from links.content.keys import api as keys
from links.content.keys.exceptions import KeyMissing


@pytest.fixture
def own_keys(portal, tmp_path, monkeypatch):
    """A copy of the site's keys folder, so a test may break or rotate the keys without touching others."""
    original = keys.keys_dir()
    base = tmp_path / "keys"
    shutil.copytree(original, base / original.name)
    monkeypatch.setenv("LINKS_KEYS_DIR", str(base))
    yield base / original.name
    keys._cache.clear()


def test_keys_generated_outside_zodb_with_0600(portal):
    directory = keys.ensure_keys()
    assert str(directory).startswith(os.environ["LINKS_KEYS_DIR"])
    assert directory.name == portal.getId()
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    names = sorted(name for name in os.listdir(directory) if name != keys.RETIRED)
    assert names == sorted([keys.SEAL_KEY, keys.SEAL_PUBLIC_KEY, keys.PDF_KEY, keys.PDF_CERT])
    for name in names:
        assert stat.S_IMODE(os.stat(directory / name).st_mode) == 0o600


def test_keys_not_in_zodb(portal):
    from zope.annotation.interfaces import IAnnotations

    pem = keys.signing_key().private_bytes_raw()
    assert not any(pem in repr(v).encode() for v in IAnnotations(portal).values())
    assert keys.public_key_pem().startswith(b"-----BEGIN PUBLIC KEY-----")


def test_two_sites_have_different_keys(portal):
    keys.ensure_keys("site-a", "Site A")
    keys.ensure_keys("site-b", "Site B")
    a = keys.public_key_pem("site-a")
    assert a != keys.public_key_pem("site-b")
    keys.ensure_keys("site-a")  # idempotent: never replaces a key
    assert keys.public_key_pem("site-a") == a


def test_certificate_matches_key(portal):
    cert, key = keys.certificate_and_key()
    assert cert.public_key().public_numbers() == key.public_key().public_numbers()


@pytest.mark.parametrize("name", [keys.SEAL_KEY, keys.PDF_CERT, keys.PDF_KEY])
def test_a_missing_key_is_an_error_naming_the_file_and_nothing_is_made(own_keys, name):
    (own_keys / name).unlink()
    keys._cache.clear()
    reader = keys.signing_key if name == keys.SEAL_KEY else keys.certificate_and_key
    with pytest.raises(KeyMissing) as missing:
        reader()
    assert str(own_keys / name) in str(missing.value)
    assert missing.value.path == own_keys / name
    assert not (own_keys / name).exists()


def test_a_site_without_keys_gets_none_by_reading(portal, tmp_path, monkeypatch):
    monkeypatch.setenv("LINKS_KEYS_DIR", str(tmp_path))
    with pytest.raises(KeyMissing, match="seal-ed25519"):
        keys.public_key_pem("never-created")
    assert not (tmp_path / "never-created").exists()
    keys._cache.clear()


def test_public_half_is_derived_without_writing(own_keys):
    expected = keys.public_key_pem()
    (own_keys / keys.SEAL_PUBLIC_KEY).unlink()
    keys._cache.clear()
    assert keys.public_key_pem() == expected
    assert not (own_keys / keys.SEAL_PUBLIC_KEY).exists()


def test_outside_a_site_the_site_must_be_named(portal):
    from zope.component.hooks import getSite
    from zope.component.hooks import setSite

    site = getSite()
    setSite(None)
    try:
        with pytest.raises(RuntimeError, match="site_id"):
            keys.keys_dir()
    finally:
        setSite(site)


def test_wide_permissions_are_tightened(portal, tmp_path, monkeypatch):
    monkeypatch.setenv("LINKS_KEYS_DIR", str(tmp_path))
    (tmp_path / "loose").mkdir(mode=0o755)
    stale = tmp_path / "loose" / (keys.SEAL_KEY + ".tmp")
    stale.write_bytes(b"left over")
    stale.chmod(0o644)
    directory = keys.ensure_keys("loose", "Loose")
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(directory / keys.SEAL_KEY).st_mode) == 0o600
    assert not stale.exists()
    keys._cache.clear()


def test_rotation_is_audited_and_old_seals_and_pdfs_still_check(portal, own_keys, record, signer):
    from links.content.audit import api as audit
    from links.content.pdf.verify import verify_pdf
    from links.content.signing import api as signing

    api.portal.set_registry_record(signing.QUORUM_RECORD, "1")
    old_signature = signer(record, "gbm1")
    old_pdf = bytes(signing.signed_pdf(record).data)
    old_cert = keys.certificate_pem()
    old_key = key_fingerprint(keys.public_key())

    details = keys.rotate_keys(reason="test rotation", actor="admin")

    assert details["old"]["seal_key"] == old_key != details["new"]["seal_key"]
    assert key_fingerprint(keys.public_key()) == details["new"]["seal_key"]
    assert keys.certificate_pem() != old_cert
    retired = sorted(os.listdir(own_keys / keys.RETIRED))
    assert len(retired) == 2 and all(name.endswith((keys.SEAL_PUBLIC_KEY, keys.PDF_CERT)) for name in retired)
    for name in retired:
        assert b"PRIVATE" not in (own_keys / keys.RETIRED / name).read_bytes()
    # The signature sealed with the retired key still checks; the PDF still checks against the site's
    # trusted certificates (the retired one among them).
    [item] = signing.signatures(record)
    assert item["seq"] == old_signature["seq"] and item["verification"]["seal_valid"]
    [result] = verify_pdf(old_pdf, keys.trusted_certificates_pem())
    assert result["trusted"], result
    audit.chain_now(portal)
    [entry] = list(audit.iter_entries(audit.parse_filters({"action": "keys.rotated"}), site=portal))
    assert entry["actor"] == "admin"
    assert entry["details"]["reason"] == "test rotation"
    assert entry["details"]["new"]["seal_key"] == details["new"]["seal_key"]
