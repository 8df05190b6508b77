"""<request>/@redactions: GET lists the request's redactions, POST adds one."""

from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zExceptions import BadRequest
from zope.interface import alsoProvides

from links.content.foi import api
from links.content.foi.exceptions import InvalidRedaction
from links.content.restapi.body import json_object

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
        # plone.protect off for API calls: a cookie-authenticated one was checked by restapi/csrf.py.
        alsoProvides(self.request, IDisableCSRFProtection)
        body = json_object(self.request, "a JSON object with " + ", ".join(REQUIRED))
        missing = [name for name in REQUIRED if body.get(name) in (None, "")]
        if missing:
            raise BadRequest("Missing: " + ", ".join(missing) + ".")
        wrong = [name for name in REQUIRED if name != "version" and not isinstance(body[name], str)]
        if wrong:
            raise BadRequest("These must be text: " + ", ".join(wrong) + ".")
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
