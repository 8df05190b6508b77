"""Domain events of the transitional report (the audit trail receives them through IRecordEvent)."""

from zope.interface import Interface
from zope.interface import implementer

from links.content.events import RecordEvent


class ITransitionalReportSignedOff(Interface):
    """Marker: the governing body signed the transitional report off."""


class TransitionalReportSubmitted(RecordEvent):
    action = "transitional_report.submitted"


class TransitionalReportReturned(RecordEvent):
    action = "transitional_report.returned_for_changes"


@implementer(ITransitionalReportSignedOff)
class TransitionalReportSignedOff(RecordEvent):
    action = "transitional_report.signed_off"


class TransitionalReportPublished(RecordEvent):
    action = "transitional_report.published"


class ActivitiesCounted(RecordEvent):
    """The period's figures were taken from the records (details: totals per activity)."""

    action = "transitional_report.activities_counted"


#: transition id -> the domain event it announces.
TRANSITION_EVENTS = {
    "submit": TransitionalReportSubmitted,
    "return_for_changes": TransitionalReportReturned,
    "sign_off": TransitionalReportSignedOff,
    "publish": TransitionalReportPublished,
}
