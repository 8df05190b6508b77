"""@@clocks-dashboard: open clocks by due date for complaints officers, host staff and managers."""

from Products.Five.browser import BrowserView

from links.content import _
from links.content.dashboard import query as dq


class ClocksDashboardView(BrowserView):
    links_page_title = _("Statutory deadlines")

    def __call__(self):
        self.error = ""
        try:
            self.query = dq.DashboardQuery.from_request(self.request.form)
        except dq.DashboardInputError as error:
            self.error = str(error)
            self.request.response.setStatus(400)
            self.query = dq.DashboardQuery(within=dq.reminder_days())
        self.batch, self.rows, self.total = dq.search(self.query)
        self.types = dq.clock_types()
        self.owners = dq.clock_owners()
        return self.index()
