"""Domain errors of the complaints procedure. Each says what to fix; REST answers them with 400."""


class ComplaintError(ValueError):
    """Base class: a complaints rule refused the action, nothing was changed."""


class NotIndependent(ComplaintError):
    """The proposed independent reviewer may not review this complaint (the message says why)."""


class AppealOutOfTime(ComplaintError):
    """The appeal was requested after the allowed window."""


class WrongState(ComplaintError):
    """The complaint is not at the stage the action needs."""
