"""Domain events of FOI handling (the audit trail records them; no requester data in details)."""

from links.content.events import RecordEvent


class FOIRequestReceived(RecordEvent):
    action = "foi.received"


class RedactionMade(RecordEvent):
    action = "foi.redacted"


class DisclosureBundleBuilt(RecordEvent):
    action = "foi.disclosed"


class FOIRequestAnswered(RecordEvent):
    action = "foi.answered"
