"""<request>/@redactions: GET lists the request's redactions, POST adds one."""

from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from zExceptions import BadRequest
from zope.interface import alsoProvides

from links.content.foi import api
from links.content.foi.exceptions import InvalidRedaction

REQUIRED = ("target", "version", "field", "text", "exemption", "reason")


class RedactionsGet(Service):
    def reply(self):
        items = [api.redaction_json(r) for r in api.redactions(self.context)]
        return {
            "@id": f"{self.context.absolute_url()}/@redactions",
            "items": items,
            "items_total": len(items),
        }


class RedactionsPost(Service):
    def reply(self):
        # A JSON API call with explicit credentials, as the other areas' POST services.
        alsoProvides(self.request, IDisableCSRFProtection)
        body = json_body(self.request)
        if not isinstance(body, dict):
            raise BadRequest("Send a JSON object with " + ", ".join(REQUIRED) + ".")
        missing = [name for name in REQUIRED if body.get(name) in (None, "")]
        if missing:
            raise BadRequest("Missing: " + ", ".join(missing) + ".")
        try:
            redaction = api.redact(
                self.context,
                target=body["target"],
                version=body["version"],
                field=body["field"],
                text=body["text"],
                exemption=body["exemption"],
                reason=body["reason"],
            )
        except InvalidRedaction as error:
            raise BadRequest(str(error)) from None
        self.request.response.setStatus(201)
        return api.redaction_json(redaction)
