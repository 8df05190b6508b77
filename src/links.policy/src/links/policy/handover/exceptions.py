"""Domain exceptions of the handover."""


class HandoverError(Exception):
    """Base class: something about an export or an import went wrong."""


class ArchiveRefused(HandoverError):
    """The archive failed verification; nothing was imported.

    :ivar problems: every problem found, in plain English
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("The archive was refused: " + "; ".join(self.problems))


class TargetNotEmpty(HandoverError):
    """The target site holds content that does not come from the archive."""


class UnsupportedValue(HandoverError):
    """A stored value has a type the handover encoding cannot represent."""
