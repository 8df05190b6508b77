"""Domain exceptions of the annual report (services answer them as 400 with their message)."""

from links.content.annual.years import DuplicateAnnualReport  # noqa: F401 (one place to import them from)


class AnnualReportError(Exception):
    """A request about an annual report that cannot be done; the message says why, in plain English."""


class CopiesError(AnnualReportError):
    """A copy cannot be recorded as sent (unknown recipient, bad date, wrong state, already recorded)."""


class FiguresNotTaken(AnnualReportError):
    """The report has no figures yet: they are taken when it is submitted for sign-off."""
