"""The public verify page checks a handover archive with the handover's own verifier (plugged into
links.content.verify by links.policy), against the fingerprint the visitor types."""

import io
import shutil

import pytest
from AccessControl.SecurityManagement import newSecurityManager
from plone.app.testing import SITE_OWNER_NAME

from links.content.verify import api as verify
from links.content.verify.exceptions import InvalidInput
from links.policy.handover import api as handover

from .test_handover_tampering import resign
from .test_handover_tampering import rewrite

_cache = {}


@pytest.fixture
def portal(integration):
    app, portal = integration["app"], integration["portal"]
    newSecurityManager(None, app.acl_users.getUser(SITE_OWNER_NAME).__of__(app.acl_users))
    return portal


@pytest.fixture
def archive(portal, tmp_path):
    """One export of the demo site (made once per session) and its handover fingerprint."""
    if "path" not in _cache:
        directory = tmp_path.parent / "verify-page-original"
        directory.mkdir(exist_ok=True)
        _cache["path"] = directory / "good.zip"
        handover.export_archive(portal, _cache["path"], include_report=False)
        _cache["fingerprint"] = handover.verify_archive(_cache["path"])["public_key_sha256"]
    copy = tmp_path / "archive.zip"
    shutil.copy(_cache["path"], copy)
    return copy, _cache["fingerprint"]


def _check(path, fingerprint):
    return verify.check_archive(io.BytesIO(path.read_bytes()), fingerprint)


def test_archive_with_the_fingerprint_given_is_genuine(archive):
    path, fingerprint = archive
    answer = _check(path, fingerprint.upper())
    assert answer["ok"] is True and fingerprint in answer["headline"]
    assert "records from" in answer["notes"][0]


def test_archive_resigned_by_another_key_is_refused(archive):
    path, fingerprint = archive
    rewrite(path, resign)
    answer = _check(path, fingerprint)
    assert answer["ok"] is False and "not by the outgoing host's key" in " ".join(answer["notes"])


def test_changed_member_is_refused(archive):
    path, fingerprint = archive
    rewrite(path, lambda files: files.update({"site.json": files["site.json"] + b" "}))
    answer = _check(path, fingerprint)
    assert answer["ok"] is False and "site.json has been changed" in " ".join(answer["notes"])


@pytest.mark.parametrize("typed", ["", "   ", "not-a-fingerprint"])
def test_fingerprint_must_be_typed(archive, typed):
    path, _ = archive
    if typed.strip():
        answer = _check(path, typed)
        assert answer["ok"] is False and "64 hexadecimal" in answer["notes"][0]
    else:
        with pytest.raises(InvalidInput):
            _check(path, typed)


def test_not_an_archive_is_refused_not_an_error(portal):
    answer = verify.check_archive(io.BytesIO(b"%PDF-1.7 not a zip"), "a" * 64)
    assert answer["ok"] is False and answer["notes"]
