"""The public verify page checks a handover archive with the handover's own verifier (plugged into
links.content.verify by links.policy), against the fingerprint the visitor types."""

import io

import pytest

from links.content.verify import api as verify
from links.content.verify.exceptions import InvalidInput
from links.policy.handover import api as handover

from .test_handover_tampering import archive  # noqa: F401 (one export of the demo site per session)
from .test_handover_tampering import portal  # noqa: F401
from .test_handover_tampering import resign
from .test_handover_tampering import rewrite


@pytest.fixture
def fingerprint(archive):  # noqa: F811
    """The handover fingerprint of the exported archive (as the outgoing host prints it)."""
    return handover.verify_archive(archive)["public_key_sha256"]


def _check(path, fingerprint):
    return verify.check_archive(io.BytesIO(path.read_bytes()), fingerprint)


def test_archive_with_the_fingerprint_given_is_genuine(archive, fingerprint):  # noqa: F811
    answer = _check(archive, fingerprint.upper())
    assert answer["ok"] is True and fingerprint in answer["headline"]
    assert "records from" in answer["notes"][0]


def test_archive_resigned_by_another_key_is_refused(archive, fingerprint):  # noqa: F811
    rewrite(archive, resign)
    answer = _check(archive, fingerprint)
    assert answer["ok"] is False and "not by the outgoing host's key" in " ".join(answer["notes"])


def test_changed_member_is_refused(archive, fingerprint):  # noqa: F811
    rewrite(archive, lambda files: files.update({"site.json": files["site.json"] + b" "}))
    answer = _check(archive, fingerprint)
    assert answer["ok"] is False and "site.json has been changed" in " ".join(answer["notes"])


@pytest.mark.parametrize("typed", ["", "   ", "not-a-fingerprint"])
def test_fingerprint_must_be_typed(archive, typed):  # noqa: F811
    if typed.strip():
        answer = _check(archive, typed)
        assert answer["ok"] is False and "64 hexadecimal" in answer["notes"][0]
    else:
        with pytest.raises(InvalidInput):
            _check(archive, typed)


def test_not_an_archive_is_refused_not_an_error(portal):  # noqa: F811
    answer = verify.check_archive(io.BytesIO(b"%PDF-1.7 not a zip"), "a" * 64)
    assert answer["ok"] is False and answer["notes"]
