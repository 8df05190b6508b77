"""Domain exceptions of the statutory clocks. REST services turn ClockError into 400 (404 for unknown)."""


class ClockError(ValueError):
    """A clock operation cannot be done as asked; the message says what to fix."""


class ClockNotFound(ClockError, LookupError):
    """The record has no clock of that name."""


class UnknownClockRule(ClockError):
    """No rule of that name is configured in the registry (links.content.clocks.rules)."""


class ReasonRequired(ClockError):
    """Pausing or extending a clock needs a recorded reason."""


class InvalidClockOperation(ClockError):
    """The clock's state or the dates given do not allow this (e.g. resume a running clock)."""


class BackdatingRefused(ClockError):
    """A change dated further back than the registry allows, by someone who is not a Manager (403)."""
