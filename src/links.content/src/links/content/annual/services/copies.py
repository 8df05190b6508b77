"""<annual report>/@copies: the checklist of copies sent to the listed bodies.

GET answers ``{"items": [{"recipient", "sent_on", "recorded_by"}], "complete": bool}``.
POST ``{"recipient": "<exactly as listed>", "sent_on": "YYYY-MM-DD"}`` records one copy as sent and answers
the checklist (the last copy moves the report to "Copies sent"). A recipient not on the list, a date that
is not a date, in the future or before publication, a copy already recorded or a report that is not
published is a 400 whose ``message`` says what to fix, and changes nothing.
"""

import json

import transaction
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides

from links.content.annual import api as annual_api
from links.content.annual.exceptions import AnnualReportError

#: Largest request body read (a recipient's name and a date are a few hundred bytes).
MAX_BODY = 4096


def _checklist(obj) -> dict:
    can_see_who = api.user.has_permission("Modify portal content", obj=obj)
    items = [
        {
            "recipient": row["recipient"],
            "sent_on": row["sent_on"].isoformat() if row["sent_on"] else None,
            "recorded_by": row["recorded_by"] if can_see_who else None,
        }
        for row in annual_api.checklist(obj)
    ]
    return {"items": items, "complete": all(item["sent_on"] for item in items)}


class CopiesGet(Service):
    def reply(self):
        return _checklist(self.context)


class CopiesPost(Service):
    def reply(self):
        # An API call (JSON only: a cross-site form cannot send application/json).
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            data = self._body()
            annual_api.record_copy(
                self.context, data.get("recipient"), annual_api.parse_day(data.get("sent_on"))
            )
        except AnnualReportError as error:
            transaction.doom()
            self.request.response.setStatus(400)
            return {"type": "BadRequest", "message": str(error)}
        return _checklist(self.context)

    def _body(self) -> dict:
        content_type = (self.request.getHeader("Content-Type") or "").split(";")[0].strip().lower()
        if content_type != "application/json":
            raise AnnualReportError("Send the copy as JSON (Content-Type: application/json).")
        body = self.request.get("BODY") or b""
        length = len(body)
        if length > MAX_BODY:
            raise AnnualReportError(f"The request is too large ({length} bytes; at most {MAX_BODY}).")
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            raise AnnualReportError("The body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise AnnualReportError('Send an object: {"recipient": "…", "sent_on": "YYYY-MM-DD"}.')
        return data
