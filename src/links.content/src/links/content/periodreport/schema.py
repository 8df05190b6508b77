"""IPeriodReport: what every report on a period of the network's work has (the transitional report of an
outgoing host, the annual report of each financial year).

A period, the money spent in it by heading, and the figures taken from the records when the report is
submitted for sign-off. Each report type locks its own text with its own workflow-managed permission (a
``directives.write_permission`` in its schema); the figures are written by the submission alone.

Adding a field here adds it to every period report's signed canonical document, which would change the
hash of every version already signed: new fields belong to the type that needs them.
"""

from __future__ import annotations

from plone.autoform import directives
from plone.supermodel import model
from zope import schema
from zope.interface import Invalid
from zope.interface import invariant

from links.content import _
from links.content.periodreport import expenditure as money_lines
from links.content.validators import not_in_future

#: Granted to no role (rolemap.xml): only the submission writes a period report's figures.
RECORD_FIGURES = "links.content.RecordPeriodReportFigures"
RECORD_FIGURES_TITLE = "links.content: Record period report figures"


class IPeriodReport(model.Schema):
    """A report on a period of the network's work (base of the transitional and annual reports)."""

    period_start = schema.Date(
        title=_("Period from"),
        description=_("The first day of the period the report covers."),
        required=True,
    )
    period_end = schema.Date(
        title=_("Period to"),
        description=_("The last day of the period the report covers."),
        required=True,
        constraint=not_in_future,
    )
    expenditure = schema.Text(
        title=_("Expenditure headings as recorded"),
        description=_(
            "One heading per line, a colon, then the amount in pounds, e.g. “Room hire: 1,250.00”."
        ),
        required=False,
        constraint=money_lines.valid,
    )

    activities = schema.Text(
        title=_("Activities of the period"),
        description=_("Figures taken from the records when the report was submitted for sign-off (JSON)."),
        required=False,
    )
    # Written only by the submission (periodreport.api.store_figures): no form shows it and no role holds
    # the write permission, so plone.restapi ignores it too. Not ``readonly``: a handover must restore it.
    directives.omitted("activities")
    directives.write_permission(activities=RECORD_FIGURES)

    @invariant
    def period_in_order(data):
        start, end = getattr(data, "period_start", None), getattr(data, "period_end", None)
        if start and end and end <= start:
            raise Invalid(_("The period must end after it starts."))
