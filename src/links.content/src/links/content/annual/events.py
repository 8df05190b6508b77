"""Domain events of the annual report (the audit trail receives them through IRecordEvent)."""

from links.content.events import RecordEvent


class AnnualReportSubmitted(RecordEvent):
    action = "annual_report.submitted"


class AnnualReportReturned(RecordEvent):
    action = "annual_report.returned_for_changes"


class AnnualReportSignedOff(RecordEvent):
    action = "annual_report.signed_off"


class AnnualReportPublished(RecordEvent):
    action = "annual_report.published"


class AnnualReportCopiesSent(RecordEvent):
    """Every listed body has been sent its copy."""

    action = "annual_report.copies_sent"


class FiguresCounted(RecordEvent):
    """The year's figures were taken from the records (details: totals per figure)."""

    action = "annual_report.figures_counted"


class CopyRecorded(RecordEvent):
    """A copy was recorded as sent (details: recipient, sent_on)."""

    action = "annual_report.copy_recorded"


#: transition id -> the domain event it announces.
TRANSITION_EVENTS = {
    "submit": AnnualReportSubmitted,
    "return_for_changes": AnnualReportReturned,
    "sign_off": AnnualReportSignedOff,
    "publish": AnnualReportPublished,
    "mark_copies_sent": AnnualReportCopiesSent,
}
