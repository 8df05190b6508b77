"""GET <record>/@as-of?date=2026-05-01: the record as it stood at that moment."""

from plone.restapi.services import Service
from zExceptions import BadRequest

from links.content import disclosure
from links.content.history import api
from links.content.history.exceptions import NotVersioned
from links.content.history.exceptions import NotYetCreated


class AsOfGet(Service):
    """The version current at the end of a day (Europe/London), or at an exact moment."""

    def reply(self):
        raw = self.request.form.get("date")
        if not raw:
            raise BadRequest(
                "Give 'date' as 2026-05-01 (end of that day, UK time) or an ISO date-time with offset."
            )
        try:
            moment = api.parse_moment(raw)
        except ValueError as error:
            raise BadRequest(str(error)) from None
        try:
            result = disclosure.as_of(self.context, moment)
        except (NotYetCreated, NotVersioned) as error:
            self.request.response.setStatus(404)
            return {"type": "NotFound", "message": str(error)}
        return {
            "@id": f"{self.context.absolute_url()}/@as-of?date={raw}",
            "moment": moment.isoformat(),
            "version": api.to_json(result["version"]),
            "fields": result["fields"],
        }
