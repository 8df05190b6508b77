"""Words for people: UK dates and times, month arithmetic, printed names, state, type and field titles.

Pages, PDFs, e-mails, REST answers meant for reading and the audit display all call this module, so a
date or a name is written the same way everywhere ("8 November 2026, 10:00"; "Margaret Okafor"; "Awaiting
sign-off"), and nobody sees an id or a message id such as ``label_creators``.
"""

from __future__ import annotations

import calendar
import itertools
from datetime import UTC
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

#: The network's time zone: dates are "today" and times are shown as people in England count them.
LONDON = ZoneInfo("Europe/London")


# -- Time -------------------------------------------------------------------------------------------
def today() -> date:
    """Today in England (a date typed at 00:30 BST is still "today", whatever the server's time zone)."""
    return datetime.now(LONDON).date()


def utcnow() -> datetime:
    """Now, as an aware UTC datetime (what records store)."""
    return datetime.now(UTC)


def as_datetime(value) -> datetime | None:
    """An aware datetime from what the product stores: a datetime, a Zope ``DateTime``, ISO 8601 text or
    seconds since 1970. Naive values are taken to be UTC (the product stores UTC)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    elif isinstance(value, int | float):
        value = datetime.fromtimestamp(value, tz=UTC)
    elif hasattr(value, "asdatetime"):  # Zope DateTime
        value = value.asdatetime()
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def add_months(day: date, months: int) -> date:
    """The same date ``months`` later; the last day of that month if it has no such date (31 January + 1
    month = 28 or 29 February).

    :param day: the start
    :param months: whole months (may be negative)
    """
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


# -- Dates and times as people write them -----------------------------------------------------------------
def format_date(value) -> str:
    """A date as the network writes it: "8 November 2026" (no leading zero; datetimes in London time).

    :param value: a date, datetime, Zope DateTime, ISO text or None
    :returns: the date, or "" for None
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str) and len(value) == 10:
        value = date.fromisoformat(value)
    if not isinstance(value, date) or isinstance(value, datetime):
        value = as_datetime(value).astimezone(LONDON).date()
    return f"{value.day} {value:%B %Y}"


def format_datetime(value, zone: bool = False) -> str:
    """A moment as "8 November 2026, 10:00" in London time ("… 10:00 GMT" with ``zone``).

    :param value: a datetime (naive = UTC), Zope DateTime, ISO text, epoch seconds or None
    :param zone: add the zone's abbreviation (GMT/BST), as signature pages do
    :returns: the moment, or "" for None
    """
    moment = as_datetime(value)
    if moment is None:
        return ""
    local = moment.astimezone(LONDON)
    text = f"{local.day} {local:%B %Y}, {local:%H:%M}"
    return f"{text} {local.tzname()}" if zone else text


def format_time(value) -> str:
    """A time of day as "10:00" (24-hour clock, no seconds).

    :param value: a ``datetime.time`` or None
    :returns: the time, or "" for None
    """
    return "" if value is None or value == "" else f"{value:%H:%M}"


def long_date(day: date) -> str:
    """'Monday 23 November 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def and_join(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    parts = list(parts)
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def format_days(days) -> str:
    """Several dates, grouped by month: '25 and 26 December 2024 and 1 January 2025'."""
    groups = []
    for _, group in itertools.groupby(sorted(days), key=lambda d: (d.year, d.month)):
        group = list(group)
        groups.append(f"{and_join([str(d.day) for d in group])} {group[0]:%B %Y}")
    return and_join(groups)


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 working day', '3 working days' ('1 reply', '2 replies' with ``words``)."""
    return f"{n} {word}" if n == 1 else f"{n} {words or word + 's'}"


# -- Names and titles ------------------------------------------------------------------------------------
def fullname(userid: str | None) -> str:
    """The person's full name as printed on records; their user id when they have none or are gone.

    :param userid: a user id (or login name)
    :returns: the name, or "" for no user
    """
    if not userid:
        return ""
    from plone import api

    user = api.user.get(userid=userid) or api.user.get(username=userid)
    return (user is not None and user.getProperty("fullname")) or userid


def translate(message) -> str:
    """A message id in words: its translation for the current request, else its default text."""
    from zope.globalrequest import getRequest
    from zope.i18n import translate as _translate

    return str(_translate(message, context=getRequest())) if message is not None else ""


def field_label(field) -> str:
    """A schema field's label as forms show it ("Creators", never ``label_creators``)."""
    return translate(field.title) or field.__name__


def state_title(obj, state: str | None = None) -> str | None:
    """The title ("Awaiting sign-off") of ``state`` in ``obj``'s workflow; None when no workflow has it.

    :param obj: a record (its workflow chain is looked up)
    :param state: a state id; default: the record's current state
    """
    from plone import api

    if state is None:
        state = api.content.get_state(obj, default=None)
    workflow = api.portal.get_tool("portal_workflow")
    for chain_id in workflow.getChainFor(obj):
        definition = workflow[chain_id].states.get(state)
        if definition is not None:
            return definition.title or state
    return None


def type_title(portal_type: str) -> str:
    """A content type's title ("Freedom of information request", never "FOIRequest")."""
    from plone import api

    fti = api.portal.get_tool("portal_types").getTypeInfo(portal_type)
    return translate(fti.Title()) if fti is not None else portal_type
