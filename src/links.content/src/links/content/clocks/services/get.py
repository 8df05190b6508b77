"""GET <record>/@clocks: every clock of the record with its rule, dates, status and explanation."""

from plone.restapi.services import Service

from links.content.clocks import api
from links.content.clocks.serialize import clock_to_json
from links.content.words import today as london_today


class ClocksGet(Service):
    def reply(self):
        today = london_today()
        items = [clock_to_json(clock, today) for clock in api.clocks(self.context)]
        return {"@id": f"{self.context.absolute_url()}/@clocks", "items": items}
