"""POST <record>/@sign — sign the record's current version.

Body: ``{"password": "...", "meaning": "approve" | "reject", "reason": "...",
"expected_version": 3 | "<sha256>"}``: ``reason`` is required to reject; ``expected_version`` is required,
the version id or SHA-256 the signer read (``GET @signatures`` → ``status.current``), so nobody signs
"whatever is current".

Answers: 201 ``{"signature": {...}, "status": {...}}`` (``status.state`` says whether this signature
completed the sign-off; ``status.signoff_error`` why a reached quorum could not be signed off yet); 400 bad
input or wrong password; 403 not a governing body member, or recused (the message names the declaration;
the recusal is recorded); 409 already signed, version superseded, or the record is not awaiting sign-off;
429 signing locked after too many wrong passwords (``locked_until``, ``Retry-After``); 503 a key file is
missing. Every error is ``{"type": "<error>", "message": "<what to fix>"}`` and, except the recorded
recusal and the counting of wrong passwords, changes nothing.
"""

import math

import transaction
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.exceptions import DeserializationError
from plone.restapi.services import Service
from zope.interface import alsoProvides

from links.content.keys.exceptions import KeyMissing
from links.content.signing import api as signing
from links.content.signing.exceptions import InvalidRequest
from links.content.signing.exceptions import Recused
from links.content.signing.exceptions import SigningError
from links.content.signing.exceptions import SigningLocked
from links.content.words import utcnow

#: Longest text accepted for any field of the body.
MAX_TEXT = 5000


def _text(data: dict, name: str, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise InvalidRequest(f"Give {name!r}.")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidRequest(f"{name!r} must be text.")
    value = str(value)
    if len(value) > MAX_TEXT:
        raise InvalidRequest(f"{name!r} is too long.")
    return value


def error_body(request, error: Exception) -> dict:
    """The JSON answer (and status) for a signing error."""
    status = getattr(error, "status", 503)
    request.response.setStatus(status)
    body = {"type": type(error).__name__, "message": str(error)}
    if isinstance(error, Recused) and error.declaration is not None:
        body["declaration"] = {"@id": error.declaration.absolute_url(), "title": error.declaration.Title()}
    if isinstance(error, SigningLocked) and error.until is not None:
        body["locked_until"] = error.until.isoformat()
        request.response.setHeader(
            "Retry-After", str(max(1, math.ceil((error.until - utcnow()).total_seconds())))
        )
    return body


class SignPost(Service):
    """Sign the context with the current user's signature."""

    def reply(self):
        # plone.protect off for API calls: a cookie-authenticated one was checked by restapi/csrf.py.
        alsoProvides(self.request, IDisableCSRFProtection)
        user = api.user.get_current()
        try:
            data = json_body(self.request)
            if not isinstance(data, dict):
                raise InvalidRequest("Send a JSON object: password, meaning, reason, expected_version.")
            expected = _text(data, "expected_version") or _text(data, "version")
            if expected is None:
                raise InvalidRequest(
                    "Give expected_version: the version id or SHA-256 of the version you read "
                    "(GET @signatures, status.current), so that you sign exactly that version."
                )
            record = signing.sign(
                self.context,
                user.getId(),
                _text(data, "password") or "",
                _text(data, "meaning") or "",
                reason=_text(data, "reason"),
                expected_version=expected,
                request=self.request,
            )
        except (SigningError, KeyMissing) as error:
            if not isinstance(error, Recused):
                # Nothing may change on error; a recusal, however, is recorded on purpose.
                transaction.doom()
            return error_body(self.request, error)
        except DeserializationError as error:  # json_body: not JSON
            transaction.doom()
            self.request.response.setStatus(400)
            return {"type": "InvalidRequest", "message": f"The body is not JSON: {error}"}
        self.request.response.setStatus(201)
        return {"signature": record, "status": signing.status(self.context)}
