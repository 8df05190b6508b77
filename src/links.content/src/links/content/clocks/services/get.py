"""GET <record>/@clocks: every clock of the record with its rule, dates, status and explanation."""

from plone.restapi.services import Service

from links.content import disclosure
from links.content.clocks import api
from links.content.clocks.serialize import clock_to_json
from links.content.words import today as london_today


class ClocksGet(Service):
    def reply(self):
        today = london_today()
        reasons = disclosure.may_read_free_text(self.context)
        items = [clock_to_json(clock, today, reasons) for clock in api.clocks(self.context)]
        return {"@id": f"{self.context.absolute_url()}/@clocks", "items": items}
