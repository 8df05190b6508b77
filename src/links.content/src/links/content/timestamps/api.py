"""RFC 3161 timestamps from the timestamp authority (TSA) named in the registry.

A timestamp is a third party's signed statement that a digest existed at a time; a PAdES B-T signature
carries one, so the signing time no longer rests on the server's clock and the signature can be checked
after the site's own certificate has expired. Signed PDFs get theirs through ``timestamper()``
(pyHanko's ``RequestsHTTPTimeStamper``: its aiohttp client builds a new session and TLS context for
every request, about 0.1 s more each); anything else (the audit log's signed checkpoints) can timestamp a
SHA-256 digest with ``timestamp_sha256`` and check the token later with ``check_token``.

Registry (``profiles/default/registry/timestamps.xml``):

- ``links.content.timestamps.url`` — the TSA's address (HTTP POST of ``application/timestamp-query``);
- ``links.content.timestamps.username`` / ``.password`` — HTTP Basic credentials, if the TSA needs them;
- ``links.content.timestamps.required`` — when on (the default), a sign-off without a timestamp fails
  and says why; when off, a PDF is signed without one if no TSA is configured or it cannot be reached;
- ``links.content.timestamps.timeout`` — seconds to wait for the TSA;
- ``links.content.timestamps.trusted_certificates`` — PEM certificate(s) of the TSA's root, used to
  check tokens and to embed the TSA's chain as long-term validation data.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass

from links.content.timestamps.exceptions import TimestampError
from links.content.timestamps.exceptions import TimestampNotConfigured
from links.content.timestamps.exceptions import TimestampUnavailable

logger = logging.getLogger(__name__)

URL = "links.content.timestamps.url"
USERNAME = "links.content.timestamps.username"
PASSWORD = "links.content.timestamps.password"
REQUIRED = "links.content.timestamps.required"
TIMEOUT = "links.content.timestamps.timeout"
TRUSTED = "links.content.timestamps.trusted_certificates"

#: What an administrator changes to fix a missing or broken TSA, named in every error.
WHERE = "Site Setup → Configuration Registry → links.content.timestamps"


@dataclass(frozen=True)
class Settings:
    """The timestamp settings of a site."""

    url: str = ""
    username: str = ""
    password: str = ""
    required: bool = True
    timeout: int = 10
    trusted_pem: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.url)


def settings() -> Settings:
    """The current site's timestamp settings, from the registry."""
    from plone import api

    def record(name, default):
        value = api.portal.get_registry_record(name, default=None)
        return default if value is None else value

    return Settings(
        url=str(record(URL, "")).strip(),
        username=str(record(USERNAME, "")).strip(),
        password=str(record(PASSWORD, "")),
        required=bool(record(REQUIRED, True)),
        timeout=max(1, min(int(record(TIMEOUT, 10) or 10), 120)),
        trusted_pem=str(record(TRUSTED, "") or ""),
    )


def trusted_certificates(config: Settings | None = None) -> list:
    """The TSA root certificates the site trusts (asn1crypto certificates; empty when none is configured).

    :raises TimestampError: the registry holds text that is not PEM certificates
    """
    from pyhanko.keys import load_certs_from_pemder_data

    text = (config or settings()).trusted_pem.strip()
    if not text:
        return []
    try:
        return list(load_certs_from_pemder_data(text.encode("ascii")))
    except (ValueError, UnicodeEncodeError) as error:
        raise TimestampError(
            f"The trusted timestamp certificates are not PEM certificates ({error}). "
            f"Fix {TRUSTED} in {WHERE}."
        ) from None


def timestamper(config: Settings | None = None):
    """A pyHanko timestamp client for the configured TSA.

    :param config: settings (default: the current site's)
    :returns: a pyHanko ``TimeStamper``, or None when no TSA is configured and timestamps are optional
    :raises TimestampNotConfigured: no TSA is configured and timestamps are required
    """
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

    config = config or settings()
    if not config.configured:
        if config.required:
            raise TimestampNotConfigured(
                "No timestamp authority is configured, and signed PDFs must carry a timestamp. Set the "
                f"address of your RFC 3161 timestamp authority in {WHERE}.url (or, for a test site only, "
                "switch off .required)."
            )
        return None
    if not config.url.startswith(("http://", "https://")):
        raise TimestampNotConfigured(
            f"The timestamp authority's address {config.url!r} is not an http:// or https:// URL. Fix {URL}."
        )
    auth = (config.username, config.password) if config.username else None
    return RequestsHTTPTimeStamper(config.url, timeout=config.timeout, auth=auth)


def explain(error: BaseException, config: Settings | None = None) -> str:
    """What went wrong with the TSA, in words an administrator can act on."""
    import requests
    from pyhanko.sign.timestamps import TimestampRequestError

    config = config or settings()
    url = config.url
    cause = error.__cause__ or error
    response = error.args[1] if isinstance(error, TimestampRequestError) and len(error.args) > 1 else None
    if isinstance(response, requests.Response):
        if response.status_code in (401, 403):
            return (
                f"The timestamp authority at {url} refused our credentials (HTTP {response.status_code}). "
                f"Check {USERNAME} and {PASSWORD} in {WHERE}."
            )
        if response.status_code != 200:
            return (
                f"The timestamp authority at {url} answered HTTP {response.status_code} ({response.reason}). "
                f"Try again later or check {URL}."
            )
    if isinstance(cause, requests.Timeout | TimeoutError):
        return f"The timestamp authority at {url} did not answer within {config.timeout} seconds."
    if isinstance(cause, requests.ConnectionError | ConnectionError):
        return (
            f"The timestamp authority at {url} could not be reached ({cause.__class__.__name__}). "
            f"Check {URL} in {WHERE} and the server's network access to it."
        )
    if isinstance(error, TimestampRequestError) and error.__cause__ is None and response is None:
        # pyHanko's own finding: a refusal (PKIStatus) or a token for another request (nonce)
        return f"The timestamp authority at {url} did not give a usable timestamp: {error.args[0]}."
    return (
        f"The timestamp authority at {url} refused the request or answered something that is not an RFC 3161 "
        f"timestamp ({cause}). Check {URL}."
    )


@dataclass
class Stamping:
    """A timestamp client checked just now, ready for a signature (``prepare``).

    :ivar client: pyHanko ``TimeStamper``, or None when the signature goes without a timestamp
    :ivar notes: why there is no timestamp (when timestamps are optional)
    :ivar roots: self-signed certificates the TSA sent (to complete its chain for long-term validation)
    """

    client: object | None
    config: Settings
    notes: list
    roots: list


def prepare(config: Settings | None = None) -> Stamping:
    """Check the TSA with one request, before anything is signed or rendered.

    :raises TimestampNotConfigured: required and no TSA configured
    :raises TimestampUnavailable: required and the TSA failed (the message says what to fix)
    :returns: the client (None when timestamps are optional and there is no working TSA, with a note)
    """
    from pyhanko.sign.timestamps import TimestampRequestError

    config = config or settings()
    client = timestamper(config)
    if client is None:
        return Stamping(None, config, ["No timestamp authority is configured; timestamps are optional."], [])
    try:
        _run(lambda: client.async_dummy_response("sha256"))
    except (TimestampRequestError, OSError, ValueError) as error:
        message = explain(error, config)
        if config.required:
            raise TimestampUnavailable(message) from error
        logger.warning("Signing without a timestamp: %s", message)
        return Stamping(None, config, [f"Signed without a timestamp: {message}"], [])
    return Stamping(client, config, [], [c for c in client.cert_registry if c.self_signed != "no"])


def _run(coro_factory):
    from links.content.pdf.api import outside_event_loop

    return outside_event_loop(lambda: __import__("asyncio").run(coro_factory()))


def _describe(token) -> dict:
    """Time and TSA of a token (an asn1crypto ``ContentInfo``)."""
    info = token["content"]["encap_content_info"]["content"].parsed
    tsa = info["tsa"]
    return {
        "time": info["gen_time"].native.isoformat(),
        "serial": str(info["serial_number"].native),
        "tsa": tsa.chosen.human_friendly if tsa.native is not None else None,
    }


def timestamp_sha256(digest: bytes | str, config: Settings | None = None) -> dict:
    """Timestamp a SHA-256 digest at the configured TSA (RFC 3161).

    :param digest: the 32-byte digest, or its 64-character hex form
    :param config: settings (default: the current site's)
    :returns: ``{"token": base64 DER of the TimeStampToken, "time": ISO 8601 UTC, "tsa": name, "serial",
        "url"}``
    :raises TimestampNotConfigured: no TSA is configured (whether or not timestamps are required:
        the caller asked for one)
    :raises TimestampUnavailable: the TSA could not be reached or refused; the message says what to fix
    """
    from pyhanko.sign.timestamps import TimestampRequestError

    raw = bytes.fromhex(digest) if isinstance(digest, str) else bytes(digest)
    if len(raw) != 32:
        raise ValueError("A SHA-256 digest is 32 bytes (64 hexadecimal characters).")
    config = config or settings()
    client = timestamper(Settings(**{**config.__dict__, "required": True}))
    try:
        token = _run(lambda: client.async_timestamp(raw, "sha256"))
    except (TimestampRequestError, OSError, ValueError) as error:
        raise TimestampUnavailable(explain(error, config)) from error
    return {"token": base64.b64encode(token.dump()).decode("ascii"), "url": config.url, **_describe(token)}


def check_token(token: bytes | str, digest: bytes | str, trusted_pem: bytes | str | None = None) -> dict:
    """Check an RFC 3161 token against a SHA-256 digest, without any site (offline verifiers use it).

    :param token: the TimeStampToken (DER bytes, or base64 text as ``timestamp_sha256`` gives it)
    :param digest: the digest it should cover (bytes or hex)
    :param trusted_pem: PEM of the TSA root(s) to trust; without it ``trusted`` is None
    :returns: ``{"time", "tsa", "serial", "matches" (the token covers this digest), "valid" (its
        signature checks), "trusted" (chains to a given root), "ok"}``
    :raises TimestampError: the token cannot be parsed
    """
    from asn1crypto import cms
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
    from pyhanko_certvalidator import ValidationContext

    raw = base64.b64decode(token) if isinstance(token, str) else bytes(token)
    expected = bytes.fromhex(digest) if isinstance(digest, str) else bytes(digest)
    try:
        parsed = cms.ContentInfo.load(raw)
        facts = _describe(parsed)
        signed_data = parsed["content"]
    except (ValueError, KeyError, TypeError) as error:
        raise TimestampError(f"This is not an RFC 3161 timestamp token ({error}).") from None
    pem = trusted_pem.encode("ascii") if isinstance(trusted_pem, str) else trusted_pem
    roots = list(load_certs_from_pemder_data(pem)) if pem else []
    context = ValidationContext(trust_roots=roots, allow_fetching=False) if roots else None
    status = _run(lambda: validate_tst_signed_data(signed_data, context, lambda algorithm: expected))
    matches = bool(status.get("intact"))
    valid = bool(status.get("valid"))
    trusted = status.get("trust_problem_indic") is None if roots else None
    return {
        **facts,
        "matches": matches,
        "valid": valid,
        "trusted": trusted,
        "ok": matches and valid and trusted is not False,
    }


__all__ = [
    "Settings",
    "Stamping",
    "TimestampError",
    "TimestampNotConfigured",
    "TimestampUnavailable",
    "check_token",
    "prepare",
    "settings",
    "timestamp_sha256",
    "timestamper",
    "trusted_certificates",
]
