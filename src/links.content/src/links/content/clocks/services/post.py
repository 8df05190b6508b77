"""POST <record>/@clocks/<name>/pause|resume|extend.

Body (JSON), every date written YYYY-MM-DD:

- pause  {"reason": str, "on"?: date, "kind"?: "pause" | "fee" | "restart"} (the kinds the rule allows)
- resume {"on"?: date, "reason"?: str} (a reason is needed when the date is backdated)
- extend {"reason": str, "working_days" | "days" | "months": int, "on"?: date} or {"reason", "until": date}

Bad input answers 400 with a message naming what to fix, before anything is counted; a change dated
further back than the registry allows answers 403 unless the user is a Manager.
"""

from datetime import date

from plone import api as plone_api
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from zExceptions import BadRequest
from zExceptions import Forbidden
from zExceptions import NotFound
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

from links.content import disclosure
from links.content.clocks import api
from links.content.clocks.exceptions import BackdatingRefused
from links.content.clocks.exceptions import ClockError
from links.content.clocks.exceptions import ClockNotFound
from links.content.clocks.rules import MAX_COUNT
from links.content.clocks.rules import PAUSE_KINDS
from links.content.clocks.serialize import clock_to_json

ACTIONS = ("pause", "resume", "extend")
#: Keys each action reads; anything else is a typing error the client should hear about.
KEYS = {
    "pause": {"reason", "on", "kind"},
    "resume": {"on", "reason"},
    "extend": {"reason", "on", "until", "working_days", "days", "months"},
}
#: Extension amounts and the kind of rule whose unit each is in (bounded by MAX_COUNT of that kind).
AMOUNTS = {"working_days": "working", "days": "calendar", "months": "calendar_month"}


@implementer(IPublishTraverse)
class ClocksPost(Service):
    def __init__(self, context, request):
        super().__init__(context, request)
        self.params = []

    def publishTraverse(self, request, name):
        self.params.append(name)
        return self

    def reply(self):
        # "Manage clocks" is granted per state by the record's workflow; View is asked as well, so a
        # role that may not see the record never changes (or learns the dates of) its clocks.
        disclosure.require_view(self.context)
        if len(self.params) != 2 or self.params[1] not in ACTIONS:
            raise BadRequest("Use POST @clocks/<clock name>/pause, /resume or /extend.")
        name, action = self.params
        try:
            body = json_body(self.request)
        except Exception as error:
            raise BadRequest(f"The request body must be JSON: {error}") from error
        if not isinstance(body, dict):
            raise BadRequest("The request body must be a JSON object.")
        unknown = sorted(str(key)[:40] for key in set(body) - KEYS[action])
        if unknown:
            raise BadRequest(f"Unknown field(s) for {action}: {', '.join(unknown)}.")
        # plone.protect: this is an authenticated API call, not a browser form post.
        from plone.protect.interfaces import IDisableCSRFProtection

        alsoProvides(self.request, IDisableCSRFProtection)
        actor = plone_api.user.get_current().getId()
        on = _date(body, "on")
        reason = _text(body, "reason")
        try:
            if action == "pause":
                kind = body.get("kind", "pause")
                if kind not in PAUSE_KINDS:
                    raise BadRequest(f"'kind' must be one of {', '.join(PAUSE_KINDS)}.")
                clock = api.pause(self.context, name, reason=reason, actor=actor, on=on, kind=kind)
            elif action == "resume":
                clock = api.resume(self.context, name, on=on, actor=actor, reason=reason)
            else:
                amounts = {key: _amount(body, key) for key in AMOUNTS if body.get(key) is not None}
                clock = api.extend(
                    self.context,
                    name,
                    until=_date(body, "until"),
                    reason=reason,
                    actor=actor,
                    on=on,
                    **amounts,
                )
        except ClockNotFound as error:
            raise NotFound(str(error)) from error
        except BackdatingRefused as error:
            raise Forbidden(str(error)) from error
        except ClockError as error:
            raise BadRequest(str(error)) from error
        return clock_to_json(clock, reasons=disclosure.may_read_free_text(self.context))


def _date(body: dict, key: str) -> date | None:
    value = body.get(key)
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) != 10:
        raise BadRequest(f"{key!r} must be a date written YYYY-MM-DD.")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise BadRequest(f"{key!r} must be a date written YYYY-MM-DD, not {value!r}.") from error


def _amount(body: dict, key: str) -> int:
    """A whole number within the largest any rule allows, checked before anything is counted."""
    value, limit = body.get(key), MAX_COUNT[AMOUNTS[key]]
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= limit:
        raise BadRequest(
            f"{key!r} must be a whole number from 1 to {limit} (the clock's rule may allow less)."
        )
    return value


def _text(body: dict, key: str) -> str:
    value = body.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadRequest(f"{key!r} must be text.")
    if len(value) > api.MAX_REASON:
        raise BadRequest(f"{key!r} is too long: at most {api.MAX_REASON:,} characters.")
    return value
