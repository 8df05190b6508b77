"""links.content.timestamps: RFC 3161 timestamps of any SHA-256 digest from the TSA in the registry (the
audit log's checkpoints use it), and clear errors when the TSA is missing, unreachable or refuses."""

import hashlib

import pytest
from plone import api

from links.content.timestamps import api as timestamps
from links.content.timestamps.exceptions import TimestampError
from links.content.timestamps.exceptions import TimestampNotConfigured
from links.content.timestamps.exceptions import TimestampUnavailable
from links.content.timestamps.testing import LocalTSA

DIGEST = hashlib.sha256(b"checkpoint 42").hexdigest()


def test_a_digest_is_timestamped_and_the_token_checks(portal, tsa):
    before = tsa.requests
    stamp = timestamps.timestamp_sha256(DIGEST)
    assert tsa.requests == before + 1
    assert stamp["url"] == tsa.url and "LINk test TSA" in stamp["tsa"]
    result = timestamps.check_token(stamp["token"], DIGEST, tsa.ca_pem)
    assert result == {**result, "matches": True, "valid": True, "trusted": True, "ok": True}
    assert result["time"] == stamp["time"]
    # Another digest, another authority's root, or no root at all.
    assert not timestamps.check_token(stamp["token"], hashlib.sha256(b"other").hexdigest(), tsa.ca_pem)["ok"]
    with LocalTSA() as other:
        assert timestamps.check_token(stamp["token"], DIGEST, other.ca_pem)["trusted"] is False
    assert timestamps.check_token(stamp["token"], DIGEST)["trusted"] is None


def test_credentials_are_sent_and_refusal_is_explained(portal):
    with LocalTSA(username="links", password="s3cret") as guarded:
        config = timestamps.Settings(url=guarded.url, username="links", password="s3cret")
        assert timestamps.timestamp_sha256(DIGEST, config)["token"]
        wrong = timestamps.Settings(url=guarded.url, username="links", password="nope")
        with pytest.raises(TimestampUnavailable, match="refused our credentials .HTTP 401"):
            timestamps.timestamp_sha256(DIGEST, wrong)
        guarded.mode = "refuse"
        with pytest.raises(TimestampUnavailable, match="refused the request"):
            timestamps.timestamp_sha256(DIGEST, config)


@pytest.mark.parametrize(
    ("url", "error", "says"),
    [
        ("", TimestampNotConfigured, "No timestamp authority is configured"),
        ("ftp://127.0.0.1/tsa", TimestampNotConfigured, "not an http"),
        ("http://127.0.0.1:9/tsa", TimestampUnavailable, "could not be reached"),
    ],
)
def test_a_missing_or_unreachable_tsa_is_an_error_saying_what_to_fix(portal, url, error, says):
    api.portal.set_registry_record(timestamps.URL, url)
    with pytest.raises(error, match=says) as raised:
        timestamps.timestamp_sha256(DIGEST)
    assert "links.content.timestamps" in str(raised.value)


def test_bad_input_is_refused(portal, tsa):
    with pytest.raises(ValueError, match="32 bytes"):
        timestamps.timestamp_sha256("abcd")
    with pytest.raises(TimestampError, match="not an RFC 3161"):
        timestamps.check_token(b"junk", DIGEST)
    api.portal.set_registry_record(timestamps.TRUSTED, "not a certificate")
    with pytest.raises(TimestampError, match="not PEM"):
        timestamps.trusted_certificates()


def test_settings_are_bounded(portal):
    api.portal.set_registry_record(timestamps.TIMEOUT, 120)
    assert timestamps.settings().timeout == 120
    assert timestamps.settings().required is True
