"""Classic UI view of the transitional report: the same body as its signed PDF, plus the reg 15 deadlines."""

from __future__ import annotations

from plone import api
from Products.Five import BrowserView

from links.content.periodreport.api import deadline_row
from links.content.periodreport.api import signed_on
from links.content.transitional import activities
from links.content.transitional import api as transitional_api
from links.content.transitional import document
from links.content.words import format_date
from links.content.words import state_title

MODIFY_CONTENT_TITLE = "links.content: Modify transitional report"


class TransitionalReportView(BrowserView):
    """transitional-report-view"""

    def state_title(self) -> str:
        return state_title(self.context) or api.content.get_state(self.context, default=None) or ""

    def body(self) -> str:
        return document.body_html(self.context)

    def can_preview(self) -> bool:
        """Drafters may count the figures before submitting (they are stored only on submission)."""
        return api.content.get_state(self.context, default=None) == "draft" and api.user.has_permission(
            MODIFY_CONTENT_TITLE, obj=self.context
        )

    def preview(self) -> str:
        """The figures as they would be taken now (only on request: it reads every record of the period)."""
        if not (self.request.form.get("preview") and self.can_preview()):
            return ""
        context = self.context
        data = activities.count(api.portal.get(), context.period_start, context.period_end)
        return document.activities_html(data, heading_level=3)

    def deadlines(self) -> list[dict]:
        """The two reg 15 deadlines: what, due when, and whether (and when) each was met."""
        due = transitional_api.due_dates(self.context)
        if due is None:
            return []
        signoff = self._signed_on()
        sent = transitional_api.copies_sent_on(self.context)
        return [
            deadline_row("Report prepared and signed off", due["report_due"], signoff),
            deadline_row(
                "Copies sent to the host, the local authority and the Secretary of State",
                due["copies_due"],
                sent,
            ),
        ]

    def _signed_on(self):
        if api.content.get_state(self.context, default=None) not in transitional_api.SIGNED_STATES:
            return None
        return signed_on(self.context)

    def ceased_on(self) -> str:
        return format_date(self.context.ceased_on) if self.context.ceased_on else ""
