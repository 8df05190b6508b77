"""POST <record>/@clocks/<name>/pause|resume|extend.

Body (JSON): pause {"reason": str, "on": "YYYY-MM-DD"?}; resume {"on"?}; extend {"reason": str,
"working_days": int} or {"reason": str, "until": "YYYY-MM-DD"}. Bad input answers 400 with a message.
"""

from datetime import date

from plone import api as plone_api
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from zExceptions import BadRequest
from zExceptions import NotFound
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

from links.content.clocks import api
from links.content.clocks.exceptions import ClockError
from links.content.clocks.exceptions import ClockNotFound
from links.content.clocks.serialize import clock_to_json

ACTIONS = ("pause", "resume", "extend")


@implementer(IPublishTraverse)
class ClocksPost(Service):
    def __init__(self, context, request):
        super().__init__(context, request)
        self.params = []

    def publishTraverse(self, request, name):
        self.params.append(name)
        return self

    def reply(self):
        if len(self.params) != 2 or self.params[1] not in ACTIONS:
            raise BadRequest("Use POST @clocks/<clock name>/pause, /resume or /extend.")
        name, action = self.params
        try:
            body = json_body(self.request)
        except Exception as error:
            raise BadRequest(f"The request body must be JSON: {error}") from error
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object.")
        # plone.protect: this is an authenticated API call, not a browser form post.
        from plone.protect.interfaces import IDisableCSRFProtection

        alsoProvides(self.request, IDisableCSRFProtection)
        actor = plone_api.user.get_current().getId()
        on = _date(body, "on")
        try:
            if action == "pause":
                clock = api.pause(self.context, name, reason=body.get("reason", ""), actor=actor, on=on)
            elif action == "resume":
                clock = api.resume(self.context, name, on=on, actor=actor)
            else:
                clock = api.extend(
                    self.context,
                    name,
                    working_days=body.get("working_days"),
                    until=_date(body, "until"),
                    reason=body.get("reason", ""),
                    actor=actor,
                )
        except ClockNotFound as error:
            raise NotFound(str(error)) from error
        except ClockError as error:
            raise BadRequest(str(error)) from error
        return clock_to_json(clock)


def _date(body: dict, key: str) -> date | None:
    value = body.get(key)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise BadRequest(f"{key!r} must be a date written YYYY-MM-DD, not {value!r}.") from error
