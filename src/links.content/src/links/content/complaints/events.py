"""Domain events of the complaints procedure (the audit trail records every RecordEvent)."""

from links.content.events import RecordEvent


class ComplaintReceived(RecordEvent):
    action = "complaint.received"


class ReviewerAssigned(RecordEvent):
    action = "complaint.reviewer_assigned"


class AppealRequested(RecordEvent):
    action = "complaint.appeal_requested"


class ComplaintClosed(RecordEvent):
    action = "complaint.closed"
