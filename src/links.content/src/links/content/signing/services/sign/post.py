"""POST <record>/@sign — sign the record's current version.

Body: ``{"password": "...", "meaning": "approve" | "reject", "reason": "...",
"expected_version": 3 | "<sha256>"}``
(``reason`` required to reject; ``expected_version`` (alias ``version``) optional: the version id or
SHA-256 the signer read).

Answers: 201 ``{"signature": {...}, "status": {...}}``; 400 bad input or wrong password; 403 not a
governing body member, or recused (the message names the declaration; the recusal is recorded);
409 already signed, version superseded, or the record is not awaiting sign-off. Every error is
``{"type": "<error>", "message": "<what to fix>"}`` and, except the recorded recusal, changes nothing.
"""

import transaction
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from zope.interface import alsoProvides

from links.content.signing import api as signing
from links.content.signing.exceptions import Recused
from links.content.signing.exceptions import SigningError


class SignPost(Service):
    """Sign the context with the current user's signature."""

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = json_body(self.request)
        if not isinstance(data, dict):
            data = {}
        user = api.user.get_current()
        try:
            record = signing.sign(
                self.context,
                user.getId(),
                str(data.get("password") or ""),
                str(data.get("meaning") or ""),
                reason=data.get("reason"),
                expected_version=data.get("expected_version", data.get("version")),
                request=self.request,
            )
        except SigningError as error:
            if not isinstance(error, Recused):
                # Nothing may change on error; a recusal, however, is recorded on purpose.
                transaction.doom()
            self.request.response.setStatus(error.status)
            body = {"type": type(error).__name__, "message": str(error)}
            if isinstance(error, Recused) and error.declaration is not None:
                body["declaration"] = {
                    "@id": error.declaration.absolute_url(),
                    "title": error.declaration.Title(),
                }
            return body
        self.request.response.setStatus(201)
        return {"signature": record, "status": signing.status(self.context)}
