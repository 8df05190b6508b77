"""The complaints procedure's configurable time rules (registry records; SI 2009/309 and practice).

Both are [practice] defaults, so they live in the registry (profiles/default/registry/complaints.xml):

- ``links.content.complaints.time_limit_months`` (12): a complaint is made in time within 12 months of
  the event or of the complainant becoming aware of it; a late complaint needs a recorded reason.
- ``links.content.complaints.appeal_window_working_days`` (20): an appeal may be requested up to the
  20th working day following the day the response was sent. Local Healthwatch policies give 15-28 days;
  20 working days matches the network's other clocks and is about one calendar month.
"""

from __future__ import annotations

from datetime import date

from plone import api
from plone.api.exc import CannotGetPortalError

from links.content.words import add_months
from links.content.words import today  # noqa: F401 (the procedure's "today": in England)

TIME_LIMIT_RECORD = "links.content.complaints.time_limit_months"
APPEAL_WINDOW_RECORD = "links.content.complaints.appeal_window_working_days"
ESCALATION_BODY_RECORD = "links.content.complaints.escalation_body"
OMBUDSMAN_RECORD = "links.content.complaints.ombudsman"

DEFAULT_TIME_LIMIT_MONTHS = 12
DEFAULT_APPEAL_WINDOW = 20


def _record(name: str, default):
    try:
        value = api.portal.get_registry_record(name, default=default)
    except CannotGetPortalError:  # outside a site (unit tests of the rules) the defaults apply
        value = default
    return default if value is None else value


def time_limit_months() -> int:
    """Months after the event (or becoming aware of it) within which a complaint is made in time."""
    return int(_record(TIME_LIMIT_RECORD, DEFAULT_TIME_LIMIT_MONTHS))


def time_limit_ends(event_date: date | None, aware_date: date | None) -> date | None:
    """The last day a complaint about the event is in time, or None when neither date is known.

    The later of the event and the day the complainant became aware counts (SI 2009/309 reg 12).
    """
    known = [d for d in (event_date, aware_date) if d]
    if not known:
        return None
    return add_months(max(known), time_limit_months())


def appeal_deadline(response_sent_on: date) -> date:
    """The last day an appeal may be requested: the Nth working day following the response.

    Counted by the clocks' one working-day counter (weekends, England and Wales bank holidays and the
    registry's extra non-working days).
    """
    from links.content.clocks.calendar import extra_non_working_days
    from links.content.clocks.rules import Rule
    from links.content.clocks.rules import compute

    window = Rule(kind="working", count=int(_record(APPEAL_WINDOW_RECORD, DEFAULT_APPEAL_WINDOW)))
    return compute(window, response_sent_on, extra_days=extra_non_working_days()).due
