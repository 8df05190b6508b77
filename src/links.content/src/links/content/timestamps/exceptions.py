"""Why a timestamp could not be obtained; the message says what to fix."""


class TimestampError(Exception):
    """No RFC 3161 timestamp could be obtained (or a token does not check)."""


class TimestampNotConfigured(TimestampError):
    """Timestamps are required but no timestamp authority is configured."""


class TimestampUnavailable(TimestampError):
    """The timestamp authority could not be reached, refused the request or answered nonsense."""
