"""TransitionalReport: the report a LINk's host prepares when it ceases (SI 2008/528 reg 15).

It covers the period's activities and the amounts spent and on what; it is prepared within two months of
ceasing and copies go to the host, the local authority and the Secretary of State within three. The
governing body signs it off like any external report.

The period, the expenditure and the figures taken on submission come from the period report base
(``links.content.periodreport``), shared with the annual report. The report's own text (period, expenditure,
narrative) is writable only in draft (permission "Modify transitional report", managed by
links_transitional_report_workflow); the dates the copies were sent stay writable after sign-off, because
sending happens after it.
"""

from __future__ import annotations

from plone.app.textfield import RichText
from plone.autoform import directives
from plone.supermodel import model
from zope import schema
from zope.interface import Invalid
from zope.interface import invariant

from links.content import _
from links.content.periodreport.schema import RECORD_FIGURES  # noqa: F401 (imported from here by tests)
from links.content.periodreport.schema import IPeriodReport
from links.content.validators import FutureDate  # noqa: F401 (imported from here by tests)
from links.content.validators import not_in_future

MODIFY_CONTENT = "links.content.ModifyTransitionalReport"
#: The report's own text, locked once submitted (the copy dates are not among them).
CONTENT_FIELDS = (
    "period_start",
    "period_end",
    "ceased_on",
    "host_name",
    "council_name",
    "expenditure",
    "narrative",
)
#: Who receives a copy: field name -> recipient, as the regulation names them.
RECIPIENT_FIELDS = (
    ("sent_to_host", _("The host")),
    ("sent_to_council", _("The local authority")),
    ("sent_to_secretary_of_state", _("The Secretary of State")),
)


class ITransitionalReport(IPeriodReport):
    """The transitional report of an outgoing host (marker of the type)."""

    model.fieldset(
        "copies",
        label=_("Copies sent"),
        description=_(
            "Copies go to the host, the local authority and the Secretary of State within three months "
            "of the host ceasing its activities."
        ),
        fields=[name for name, _title in RECIPIENT_FIELDS],
    )

    ceased_on = schema.Date(
        title=_("Host ceased its activities on"),
        description=_(
            "Starts the clocks: the report is due within two months of this date and copies within three."
        ),
        required=False,
        constraint=not_in_future,
    )
    host_name = schema.TextLine(title=_("Outgoing host"), required=False)
    council_name = schema.TextLine(title=_("Local authority"), required=False)
    narrative = RichText(
        title=_("Summary of the period's activities"),
        description=_("What the network did, what changed as a result, and what the successor should know."),
        required=False,
    )
    # The shared spending field is shown where it always was, after the local authority.
    directives.order_after(expenditure="council_name")
    for _name in CONTENT_FIELDS:
        directives.write_permission(**{_name: MODIFY_CONTENT})
    del _name

    sent_to_host = schema.Date(title=_("Copy sent to the host on"), required=False, constraint=not_in_future)
    sent_to_council = schema.Date(
        title=_("Copy sent to the local authority on"), required=False, constraint=not_in_future
    )
    sent_to_secretary_of_state = schema.Date(
        title=_("Copy sent to the Secretary of State on"), required=False, constraint=not_in_future
    )

    @invariant
    def ceased_within_period(data):
        start, ceased = getattr(data, "period_start", None), getattr(data, "ceased_on", None)
        if start and ceased and ceased < start:
            raise Invalid(_("The host cannot cease its activities before the period starts."))

    @invariant
    def copies_after_period(data):
        end = getattr(data, "period_end", None)
        if not end:
            return
        for name, _title in RECIPIENT_FIELDS:
            sent = getattr(data, name, None)
            if sent and sent < end:
                raise Invalid(_("A copy cannot be sent before the end of the period it reports on."))
