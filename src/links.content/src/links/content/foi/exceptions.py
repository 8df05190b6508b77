"""Domain exceptions of FOI handling."""


class FOIError(Exception):
    """Base class: an FOI action that cannot be done as asked (the message says why)."""


class InvalidRedaction(FOIError):
    """The redaction does not match the record version it names."""


class InvalidSelection(FOIError):
    """A disclosure bundle item does not exist, is not readable, or names a missing version."""
