"""Field constraints shared by the record types: dates that can have happened, receipt dates that need a
reason, and the size limits of free text (documented in the README, "Limits of what people type").
"""

from datetime import date

from zope.schema import ValidationError

from links.content import _
from links.content.words import format_date
from links.content.words import today

#: Free text, in characters. A narrative is what someone told or wrote to the network (a complaint, a
#: request, findings, an answer); a note is a reason, an address or contact details; a line is a name,
#: a summary or a title.
NARRATIVE = 100_000
NOTE = 10_000
LINE = 300

#: No date anyone types is before this day (an earlier one is a typing error: "1026" for "2026").
EARLIEST_DATE = date(1900, 1, 1)
#: A receipt before this day is implausible for the network (LINks began in 2008): it needs a reason.
PLAUSIBLE_FROM = date(2000, 1, 1)


class FutureDate(ValidationError):
    # A ValidationError (not a bare Invalid) so forms and plone.restapi report it as a field error (400).
    __doc__ = _("The date cannot be in the future.")


class ImplausibleDate(ValidationError):
    __doc__ = _("The date cannot be before 1 January 1900.")


def not_in_future(value) -> bool:
    """Field constraint: a date that has already happened in England (today counts), and not before 1900."""
    if value is not None and value > today():
        raise FutureDate(_("The date cannot be in the future."))
    if value is not None and value < EARLIEST_DATE:
        raise ImplausibleDate(_("The date cannot be before 1 January 1900."))
    return True


def implausible_receipt(received: date | None, limit_ends: date | None, limit: str, reason_field: str):
    """Why a receipt date needs a recorded reason, or None when it is plausible.

    A receipt before 2000, or one whose statutory time limit had already run out by today (a record
    logged long after it arrived, or a typing error), is accepted only with a reason.

    :param received: the date received
    :param limit_ends: the last day of the statutory time limit counted from ``received``
    :param limit: the time limit in words ("12 months", "20 working days")
    :param reason_field: the label of the field where the reason goes
    :returns: a translatable message, or None
    """
    if received is None:
        return None
    if received < PLAUSIBLE_FROM:
        return _(
            "The date received, ${received}, is before 1 January 2000. Check it, or record the reason "
            "it is right in “${field}”.",
            mapping={"received": format_date(received), "field": reason_field},
        )
    if limit_ends is not None and limit_ends < today():
        return _(
            "The date received, ${received}, is more than ${limit} ago: the time limit ended on ${ends}. "
            "Check it, or record the reason it is logged so late in “${field}”.",
            mapping={
                "received": format_date(received),
                "limit": limit,
                "ends": format_date(limit_ends),
                "field": reason_field,
            },
        )
    return None
