"""Viewlet (below the content body) and view @@clocks listing a record's clocks."""

from plone.app.layout.viewlets import ViewletBase
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

from links.content import _
from links.content import disclosure
from links.content.clocks import api
from links.content.words import format_date as short_date
from links.content.words import today as london_today

STATUS_LABELS = {
    "running": _("Running"),
    "paused": _("Paused"),
    "met": _("Met"),
    "ended": _("Ended"),
    "overdue": _("Overdue"),
}


def rows(context):
    today = london_today()
    reasons = disclosure.may_read_free_text(context)
    result = []
    for clock in api.clocks(context):
        status = clock.status(today)
        result.append(
            {
                "name": clock.name,
                "title": clock.rule.title or clock.name,
                "started": short_date(clock.started),
                "due": short_date(clock.due),
                "due_iso": clock.due.isoformat(),
                "status": status,
                # "Met 25 working days late" says more than a translated "Met".
                "status_label": clock.status_text(today) if clock.met_late_days else STATUS_LABELS[status],
                "met_on": short_date(clock.met_on) if clock.met_on else "",
                "met_late": bool(clock.met_late_days),
                "explanation": clock.explain(reasons),
            }
        )
    return result


class ClocksViewlet(ViewletBase):
    index = ViewPageTemplateFile("clocks_table.pt")

    def update(self):
        super().update()
        self.rows = rows(self.context)

    def render(self):
        return self.index() if self.rows else ""


class ClocksView(BrowserView):
    table = ViewPageTemplateFile("clocks_table.pt")

    def __call__(self):
        self.rows = rows(self.context)
        return self.index()
