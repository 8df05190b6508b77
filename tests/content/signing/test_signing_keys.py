"""The site's keys live outside the ZODB, owner-readable only, one set per site."""

import os
import stat

from links.content.keys import api as keys


def test_keys_generated_outside_zodb_with_0600(portal):
    directory = keys.ensure_keys()
    assert str(directory).startswith(os.environ["LINKS_KEYS_DIR"])
    assert directory.name == portal.getId()
    names = sorted(os.listdir(directory))
    assert names == sorted([keys.SEAL_KEY, keys.SEAL_PUBLIC_KEY, keys.PDF_KEY, keys.PDF_CERT])
    for name in names:
        assert stat.S_IMODE(os.stat(directory / name).st_mode) == 0o600


def test_keys_not_in_zodb(portal):
    from zope.annotation.interfaces import IAnnotations

    pem = keys.signing_key().private_bytes_raw()
    assert not any(pem in repr(v).encode() for v in IAnnotations(portal).values())
    assert keys.public_key_pem().startswith(b"-----BEGIN PUBLIC KEY-----")


def test_two_sites_have_different_keys(portal):
    a = keys.public_key_pem("site-a")
    b = keys.public_key_pem("site-b")
    assert a != b
    assert keys.public_key_pem("site-a") == a


def test_certificate_matches_key(portal):
    cert, key = keys.certificate_and_key()
    assert cert.public_key().public_numbers() == key.public_key().public_numbers()
