"""Field constraints shared by the record types, and "today" as people in England count it."""

from zope.schema import ValidationError

from links.content import _
from links.content.words import today


class FutureDate(ValidationError):
    # A ValidationError (not a bare Invalid) so forms and plone.restapi report it as a field error (400).
    __doc__ = _("The date cannot be in the future.")


def not_in_future(value) -> bool:
    """Field constraint: a date that has already happened in England (today counts)."""
    if value is not None and value > today():
        raise FutureDate(_("The date cannot be in the future."))
    return True
