"""AnnualReport: the network's report on each financial year (Local Government and Public Involvement in
Health Act 2007 s.227), made by 30 June, made public and sent to the listed bodies.

A period report (``links.content.periodreport``): the period, the expenditure and the figures taken from
the records on submission are the base's, shared with the transitional report. The text people write
(achievements, case studies, involvement, equality, plans, money) is writable only in draft: permission
"Modify annual report", managed by links_annual_report_workflow. Title and description are fields of this
schema (not the plone.basic behavior) so they lock with the rest: what members signed is what stays
published. The copies sent are a checklist kept beside the report (``annual.copies``), not a field.
"""

from __future__ import annotations

from datetime import timedelta

from plone.app.textfield import RichText
from plone.autoform import directives
from plone.supermodel import model
from zope import schema
from zope.interface import Invalid
from zope.interface import invariant
from zope.schema import ValidationError

from links.content import _
from links.content.annual import years
from links.content.periodreport import expenditure as money_lines
from links.content.periodreport.schema import RECORD_FIGURES
from links.content.periodreport.schema import IPeriodReport
from links.content.words import format_date
from links.content.words import today as london_today

MODIFY_CONTENT = "links.content.ModifyAnnualReport"
MODIFY_CONTENT_TITLE = "links.content: Modify annual report"
#: What people write, locked once the report is submitted for sign-off.
CONTENT_FIELDS = (
    "title",
    "description",
    "period_start",
    "period_end",
    "achievements",
    "case_studies",
    "involvement",
    "equality",
    "plans",
    "expenditure",
    "income",
    "year_end_position",
)


class YearNotEnded(ValidationError):
    # A ValidationError (not Invalid) so forms and plone.restapi report it on the field (400).
    __doc__ = _("The financial year has not ended yet.")

    def doc(self):
        return self.args[0] if self.args else self.__doc__


def year_has_ended(value) -> bool:
    """Field constraint of ``period_end``: the year is over (a report is written from 1 April on)."""
    if value is not None and value >= london_today():
        raise YearNotEnded(
            f"The year ending on {format_date(value)} has not ended yet: its annual report can be written "
            f"from {format_date(value + timedelta(days=1))}."
        )
    return True


def _rich(title, description):
    return RichText(title=title, description=description, required=False)


class IAnnualReport(IPeriodReport):
    """The annual report of one financial year (marker of the type)."""

    title = schema.TextLine(
        title=_("Title"),
        description=_("e.g. “Annual report 2025 to 2026”."),
        required=True,
        defaultFactory=years.default_title,
    )
    description = schema.Text(
        title=_("Summary"),
        description=_("Two or three sentences for the cover and for search results."),
        required=False,
    )
    period_start = schema.Date(
        title=_("Financial year from"),
        description=_("1 April of the financial year the report covers."),
        required=True,
        defaultFactory=years.default_start,
    )
    period_end = schema.Date(
        title=_("Financial year to"),
        description=_("31 March of the next year. The year must have ended."),
        required=True,
        defaultFactory=years.default_end,
        constraint=year_has_ended,
    )

    model.fieldset(
        "story",
        label=_("What we did"),
        fields=["achievements", "case_studies", "involvement", "equality", "plans"],
    )
    achievements = _rich(
        _("Achievements and impact"),
        _("What the network achieved in the year and what changed for people as a result."),
    )
    case_studies = _rich(
        _("Case studies"),
        _("One or more stories of a matter the network took up, from first concern to outcome."),
    )
    involvement = _rich(
        _("How people took part"),
        _("How participants and volunteers were involved in the network's work and decisions."),
    )
    equality = _rich(
        _("Working with every part of the community"),
        _(
            "How the network reached and worked with every sector of the community, including people who "
            "are seldom heard (the equality duty)."
        ),
    )
    plans = _rich(_("Plans for next year"), _("The priorities agreed for the coming year."))

    model.fieldset("money", label=_("Money"), fields=["expenditure", "income", "year_end_position"])
    income = schema.Text(
        title=_("Income by source"),
        description=_(
            "One source per line, a colon, then the amount in pounds, e.g. “Council grant: 150,000”."
        ),
        required=False,
        constraint=money_lines.valid,
    )
    year_end_position = schema.Text(
        title=_("Year-end position"),
        description=_(
            "The position at 31 March: reserves, any underspend or overspend and what happens to it. The "
            "report also shows income less expenditure."
        ),
        required=False,
    )

    counted_records = schema.Text(
        title=_("Records counted in the figures"),
        description=_(
            "Which records each figure counts (JSON); links are shown only to those who may see them."
        ),
        required=False,
    )
    # Written only by the submission with the figures; nobody reads it as a field (the page shows each
    # reader only the records they may see).
    directives.omitted("counted_records")
    directives.write_permission(counted_records=RECORD_FIGURES)
    directives.read_permission(counted_records=RECORD_FIGURES)

    for _name in CONTENT_FIELDS:
        directives.write_permission(**{_name: MODIFY_CONTENT})
    del _name

    @invariant
    def a_financial_year(data):
        start, end = getattr(data, "period_start", None), getattr(data, "period_end", None)
        if start and end and not years.is_financial_year(start, end):
            raise Invalid(
                _(
                    "An annual report covers one financial year, from 1 April to 31 March of the next year "
                    "(e.g. 1 April 2025 to 31 March 2026)."
                )
            )

    @invariant
    def one_per_year(data):
        # Forms hand over the container (adding) or the report (editing); plone.restapi the new object.
        context = getattr(data, "__context__", None)
        report = context if getattr(context, "portal_type", None) == years.PORTAL_TYPE else None
        try:
            years.check_unique(getattr(data, "period_start", None), report)
        except years.DuplicateAnnualReport as error:
            raise Invalid(str(error)) from None
