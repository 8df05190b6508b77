"""Clock events, announced through the domain's RecordEvent so the audit trail records them."""

from links.content.events import RecordEvent


class ClockStarted(RecordEvent):
    action = "clock.started"


class ClockPaused(RecordEvent):
    action = "clock.paused"


class ClockResumed(RecordEvent):
    action = "clock.resumed"


class ClockExtended(RecordEvent):
    action = "clock.extended"


class ClockStopped(RecordEvent):
    action = "clock.stopped"


class ClockEnded(RecordEvent):
    action = "clock.ended"
