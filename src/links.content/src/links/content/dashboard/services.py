"""GET /@clocks-dashboard: the dashboard as JSON (same query, same permission)."""

from plone.restapi.services import Service
from zExceptions import BadRequest

from links.content.dashboard import query as dq


class ClocksDashboardGet(Service):
    def reply(self):
        try:
            query = dq.DashboardQuery.from_request(self.request.form)
        except dq.DashboardInputError as error:
            raise BadRequest(str(error)) from error
        batch, rows, total = dq.search(query)
        result = {
            "@id": f"{self.context.absolute_url()}/@clocks-dashboard",
            "items_total": total,
            "b_start": query.b_start,
            "b_size": query.b_size,
            "within": query.within,
            "items": rows,
        }
        if batch.has_next:
            result["next_b_start"] = query.b_start + query.b_size
        return result
