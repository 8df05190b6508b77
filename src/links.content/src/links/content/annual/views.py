"""Classic UI of the annual report: its page (the signed PDF's body plus deadlines, links to the counted
records each reader may see, and the copies), the easy read summary, the CSV and ODS exports, recording a
copy as sent, and an edit form that says why a submitted report cannot be edited."""

from __future__ import annotations

from datetime import date

from plone import api
from plone.dexterity.browser.edit import DefaultEditForm
from plone.dexterity.interfaces import IDexterityEditForm
from plone.protect import CheckAuthenticator
from plone.z3cform import layout
from Products.Five import BrowserView
from zExceptions import NotFound
from zope.interface import classImplements

from links.content.annual import api as annual_api
from links.content.annual import document
from links.content.annual import exports
from links.content.annual import figures
from links.content.annual.exceptions import AnnualReportError
from links.content.annual.report import MODIFY_CONTENT_TITLE
from links.content.periodreport.api import deadline_row
from links.content.periodreport.api import visible_records
from links.content.periodreport.document import section_html
from links.content.periodreport.figures import published_on
from links.content.signing.api import signed_pdf
from links.content.words import format_date
from links.content.words import state_title
from links.content.words import today

RECORD_COPIES = "links.content: Record annual report copies"


class AnnualReportView(BrowserView):
    """annual-report-view"""

    def state(self) -> str:
        return api.content.get_state(self.context, default="") or ""

    def state_title(self) -> str:
        return state_title(self.context) or self.state()

    def is_public(self) -> bool:
        return self.state() in annual_api.PUBLIC_STATES

    def published(self) -> str:
        return format_date(published_on(self.context)) if self.is_public() else ""

    def body(self) -> str:
        return document.body_html(self.context, links=visible_records(self.context))

    def has_figures(self) -> bool:
        return document.snapshot_of(self.context) is not None

    def signed_pdf_url(self) -> str:
        return f"{self.context.absolute_url()}/@@signed-pdf" if signed_pdf(self.context) is not None else ""

    def deadlines(self) -> list[dict]:
        """The two 30 June deadlines: what, due when, and whether (and when) each was met."""
        due = annual_api.due_dates(self.context)
        if not due:
            return []
        rows = []
        if due["report_due"]:
            met = published_on(self.context) if self.is_public() else None
            rows.append(deadline_row("Report published", due["report_due"], met))
        if due["copies_due"]:
            rows.append(
                deadline_row(
                    "Copies sent to every listed body",
                    due["copies_due"],
                    annual_api.copies_sent_on(self.context),
                )
            )
        return rows

    def copies(self) -> list[dict]:
        can_see_who = api.user.has_permission("Modify portal content", obj=self.context)
        return [
            {
                "recipient": row["recipient"],
                "sent_on": format_date(row["sent_on"]) if row["sent_on"] else "",
                "recorded_by": row["recorded_by"] if can_see_who else "",
            }
            for row in annual_api.checklist(self.context)
        ]

    def can_record_copies(self) -> bool:
        return self.state() == "published" and api.user.has_permission(RECORD_COPIES, obj=self.context)

    def unsent(self) -> list[str]:
        return [row["recipient"] for row in annual_api.checklist(self.context) if not row["sent_on"]]

    def today(self) -> str:
        return today().isoformat()

    def can_preview(self) -> bool:
        """Drafters may count the figures before submitting (they are stored only on submission)."""
        return self.state() == "draft" and api.user.has_permission(MODIFY_CONTENT_TITLE, obj=self.context)

    def preview(self) -> str:
        """The figures as they would be taken now (only on request: it reads the year's records)."""
        if not (self.request.form.get("preview") and self.can_preview()):
            return ""
        context = self.context
        if not (context.period_start and context.period_end):
            return ""
        data, _records = figures.count(api.portal.get(), context.period_start, context.period_end, today())
        return "".join(
            section_html(section, level=3, chart=False, prefix="preview-") for section in data["sections"]
        )


class EasyReadView(BrowserView):
    """``@@easy-read``: the report in short sentences and big numbers."""

    def lines(self) -> str:
        return document.easy_read_html(self.context)

    def period(self) -> str:
        return document.period_words(self.context)


class FiguresCSV(BrowserView):
    """``@@figures.csv``: the stored figures and money lines for the council's returns."""

    content_type = "text/csv; charset=utf-8"
    extension = "csv"

    def data(self) -> bytes:
        return exports.csv_bytes(self.context)

    def __call__(self):
        try:
            data = self.data()
        except AnnualReportError as error:
            raise NotFound(str(error)) from None
        start = getattr(self.context, "period_start", None) or date.today()
        filename = f"annual-report-{start.year}-{start.year + 1}-figures.{self.extension}"
        response = self.request.response
        response.setHeader("Content-Type", self.content_type)
        response.setHeader("Content-Disposition", f'attachment; filename="{filename}"')
        response.setHeader("X-Content-Type-Options", "nosniff")
        return data


class FiguresODS(FiguresCSV):
    """``@@figures.ods``: the same as an OpenDocument spreadsheet."""

    content_type = "application/vnd.oasis.opendocument.spreadsheet"
    extension = "ods"

    def data(self) -> bytes:
        return exports.ods_bytes(self.context, title=self.context.Title())


class RecordCopy(BrowserView):
    """``@@record-copy`` (POST): record a copy as sent; a refusal is shown on the page, nothing changes."""

    def __call__(self):
        target = f"{self.context.absolute_url()}#copies"
        if self.request.method != "POST":
            self.request.response.redirect(target)
            return ""
        CheckAuthenticator(self.request)
        form = self.request.form
        try:
            sent_on = annual_api.parse_day(form.get("sent_on"))
            annual_api.record_copy(self.context, form.get("recipient", ""), sent_on)
        except AnnualReportError as error:
            api.portal.show_message(str(error), request=self.request, type="error")
        else:
            api.portal.show_message(
                f"The copy to {form.get('recipient')} is recorded as sent on {format_date(sent_on)}.",
                request=self.request,
            )
        self.request.response.redirect(target)
        return ""


class AnnualReportEditForm(DefaultEditForm):
    """The edit form; once the report is submitted it says why it cannot be edited instead of showing
    a form of read-only fields."""

    def update(self):
        if not api.user.has_permission(MODIFY_CONTENT_TITLE, obj=self.context):
            state = state_title(self.context) or api.content.get_state(self.context)
            api.portal.show_message(
                f"This annual report is “{state}”: "
                "its text and figures are locked as the governing body signs or signed them. To change it, a "
                "governing body member returns it for changes while it awaits sign-off; once signed off it "
                "stays as signed.",
                request=self.request,
                type="error",
            )
            self.request.response.redirect(self.context.absolute_url())
            return
        super().update()

    def render(self):
        if self.request.response.getStatus() in (301, 302, 303):
            return ""  # refused in update(): the page shows why
        return super().render()


AnnualReportEdit = layout.wrap_form(AnnualReportEditForm)
classImplements(AnnualReportEdit, IDexterityEditForm)
