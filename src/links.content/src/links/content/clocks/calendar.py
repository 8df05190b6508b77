"""Working-day calendars: weekends, bank holidays from the maintained `holidays` library, and the
network's own extra non-working days (registry record links.content.clocks.extra_non_working_days).

Two calendars exist because FOI counts bank holidays anywhere in the UK, while the other rules use
England and Wales only.
"""

from __future__ import annotations

from datetime import date
from datetime import timedelta

import holidays

#: calendar name -> subdivisions of holidays' "GB" whose bank holidays are non-working days.
CALENDARS = {
    "england-and-wales": ("ENG",),
    "uk": ("ENG", "NIR", "SCT", "WLS"),
}
CALENDAR_TITLES = {
    "england-and-wales": "England and Wales bank holidays",
    "uk": "bank holidays anywhere in the UK",
}

# (calendar, year) -> {date: name}. Bank holidays of a past year never change and a new proclamation
# needs a new library release (and so a restart), so caching for the process lifetime is safe.
_CACHE: dict[tuple[str, int], dict[date, str]] = {}


def bank_holidays(calendar: str, year: int) -> dict[date, str]:
    """Bank holidays of one year.

    :param calendar: a key of CALENDARS
    :param year: the year
    :returns: {date: holiday name}
    :raises KeyError: for an unknown calendar
    """
    key = (calendar, year)
    found = _CACHE.get(key)
    if found is None:
        found = {}
        for subdiv in CALENDARS[calendar]:
            for day, name in holidays.country_holidays("GB", subdiv=subdiv, years=year).items():
                found.setdefault(day, name)
        _CACHE[key] = found
    return found


def extra_non_working_days() -> frozenset[date]:
    """The network's extra non-working days from the registry (empty outside a site or if unset)."""
    from plone import api

    try:
        values = api.portal.get_registry_record("links.content.clocks.extra_non_working_days", default=())
    except Exception:  # no site (scripts, unit tests): no extra days
        return frozenset()
    days = set()
    for value in values or ():
        try:
            days.add(date.fromisoformat(str(value).strip()))
        except ValueError:
            continue  # a badly typed registry entry must not stop every clock
    return frozenset(days)


class WorkingCalendar:
    """Answers "is this a working day?" for one calendar and a fixed set of extra non-working days."""

    def __init__(self, calendar: str = "england-and-wales", extra_days=()):
        if calendar not in CALENDARS:
            raise KeyError(calendar)
        self.calendar = calendar
        self.extra_days = frozenset(extra_days)

    def why_not_working(self, day: date) -> str | None:
        """None for a working day, else why not: "weekend", "bank holiday" or "non-working day"."""
        if day.weekday() >= 5:
            return "weekend"
        if day in bank_holidays(self.calendar, day.year):
            return "bank holiday"
        if day in self.extra_days:
            return "non-working day"
        return None

    def is_working_day(self, day: date) -> bool:
        return self.why_not_working(day) is None

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day
