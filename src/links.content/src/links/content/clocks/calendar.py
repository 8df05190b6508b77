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


EXTRA_DAYS_RECORD = "links.content.clocks.extra_non_working_days"


def extra_non_working_days() -> frozenset[date]:
    """The network's extra non-working days from the registry (empty outside a site).

    A value that is not a date written YYYY-MM-DD is an error, not a day to skip: skipping it would
    silently move every deadline counted from then on.

    :raises ClockError: when the registry holds something that is not a date
    """
    from plone import api
    from plone.api.exc import CannotGetPortalError

    from links.content.clocks.exceptions import ClockError

    try:
        api.portal.get()
    except CannotGetPortalError:  # scripts and unit tests without a site: no extra days
        return frozenset()
    values = api.portal.get_registry_record(EXTRA_DAYS_RECORD, default=None)
    days = set()
    for value in values or ():
        try:
            days.add(date.fromisoformat(str(value).strip()))
        except ValueError as error:
            raise ClockError(
                f"The network's extra non-working days (registry {EXTRA_DAYS_RECORD}) hold {value!r}, "
                "which is not a date written YYYY-MM-DD. Correct it in the site setup: until then no "
                "clock can be started, because its due date would be wrong."
            ) from error
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

    def holiday_name(self, day: date) -> str:
        """The bank holiday's name ("Christmas Day"), or "" when ``day`` is none."""
        return bank_holidays(self.calendar, day.year).get(day, "")

    def is_working_day(self, day: date) -> bool:
        return self.why_not_working(day) is None

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day
