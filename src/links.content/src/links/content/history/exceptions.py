"""Domain exceptions of the version history."""


class HistoryError(Exception):
    """Base class: a version history question that cannot be answered."""


class NotVersioned(HistoryError):
    """The object has no version history (its type is not versioned, or nothing was saved yet)."""


class NoSuchVersion(HistoryError):
    """The version asked for does not exist."""


class NotYetCreated(HistoryError):
    """The record did not exist at the moment asked about."""
