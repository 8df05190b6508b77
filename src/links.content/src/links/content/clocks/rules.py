"""Clock rules and due-date computation, with a plain-English explanation of how each date was reached.

A rule is configured by name in the registry (links.content.clocks.rules, JSON) and copied into each
clock when it starts, so a later change to the registry never rewrites a running clock's history.

Pauses (working-day rules): the day a clock is paused still counts; the days after it up to and
including the day it resumes do not (the resumption day is treated like a new receipt, counting
carries on the day after). Calendar rules add the paused days to the due date. An open pause freezes
the due date until the clock resumes.
"""

from __future__ import annotations

from dataclasses import asdict
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from links.content.clocks.calendar import CALENDAR_TITLES
from links.content.clocks.calendar import CALENDARS
from links.content.clocks.calendar import WorkingCalendar
from links.content.clocks.exceptions import ClockError
from links.content.words import add_months
from links.content.words import and_join
from links.content.words import format_days
from links.content.words import long_date
from links.content.words import plural

KINDS = ("working", "calendar", "calendar_month")
COUNTINGS = ("beginning_with", "following")
NEXT_WORKING_DAY_IS_DAY_ONE = "next_working_day_is_day_one"  # ICO reading (default)
TREAT_NEXT_WORKING_DAY_AS_RECEIPT = "treat_next_working_day_as_receipt"
RECEIPTS = (NEXT_WORKING_DAY_IS_DAY_ONE, TREAT_NEXT_WORKING_DAY_AS_RECEIPT)


@dataclass(frozen=True)
class Rule:
    """How a deadline is counted.

    :param kind: "working" days, "calendar" days or "calendar_month" (same date n months later)
    :param count: how many days (or months)
    :param counting: "beginning_with" (start is day 1) or "following" (start is day 0)
    :param non_working_receipt: what a start on a non-working day means (working rules, "following")
    :param calendar: "england-and-wales" or "uk" (FOI: bank holidays anywhere in the UK)
    :param title: plain-English name shown to people
    :param max_extension: most working days an extension may add in total (None: no limit)
    """

    kind: str = "working"
    count: int = 20
    counting: str = "following"
    non_working_receipt: str = NEXT_WORKING_DAY_IS_DAY_ONE
    calendar: str = "england-and-wales"
    title: str = ""
    max_extension: int | None = None

    def __post_init__(self):
        checks = (
            (self.kind in KINDS, f"kind must be one of {', '.join(KINDS)}"),
            (isinstance(self.count, int) and self.count >= 1, "count must be a whole number of at least 1"),
            (self.counting in COUNTINGS, f"counting must be one of {', '.join(COUNTINGS)}"),
            (
                self.non_working_receipt in RECEIPTS,
                f"non_working_receipt must be one of {', '.join(RECEIPTS)}",
            ),
            (self.calendar in CALENDARS, f"calendar must be one of {', '.join(CALENDARS)}"),
        )
        for ok, message in checks:
            if not ok:
                raise ClockError(f"Invalid clock rule: {message}.")

    @classmethod
    def from_dict(cls, data: dict) -> Rule:
        known = {key: value for key, value in data.items() if key in cls.__dataclass_fields__}
        return cls(**known)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Computation:
    """The result of counting: the due date, day 1 (working rules) and the explanation."""

    due: date
    day_one: date | None
    explanation: str


def _open_pause(p) -> str:
    return f"Paused since {long_date(p.start)}: {p.reason}. The due date moves when the clock resumes."


def compute(rule: Rule, started: date, pauses=(), extensions=(), extra_days=()) -> Computation:
    """Count a deadline.

    :param rule: the clock's rule
    :param started: date of receipt / start
    :param pauses: objects with ``start``, ``end`` (None while paused) and ``reason``
    :param extensions: objects with ``working_days`` or ``until`` and ``reason``
    :param extra_days: the network's extra non-working days
    :returns: Computation(due, day_one, explanation)
    """
    cal = WorkingCalendar(rule.calendar, extra_days)
    if rule.kind == "working":
        due, day_one, lines = _count_working(rule, started, pauses, extensions, cal)
    else:
        due, lines = _count_calendar(rule, started, pauses)
        day_one = None
    for extension in extensions:
        if extension.until is not None:
            lines.append(f"Extended until {long_date(extension.until)}: {extension.reason}.")
            due = max(due, extension.until)
    lines.append(f"Due {long_date(due)}.")
    return Computation(due=due, day_one=day_one, explanation=" ".join(lines))


def _count_working(rule, started, pauses, extensions, cal):
    lines = []
    receipt = started
    verb = "Received" if rule.counting == "following" else "Started"
    if cal.is_working_day(started):
        lines.append(f"{verb} {long_date(started)}.")
    else:
        lines.append(f"{verb} {long_date(started)}, a non-working day.")
        if rule.counting == "following" and rule.non_working_receipt == TREAT_NEXT_WORKING_DAY_AS_RECEIPT:
            receipt = cal.next_working_day(started)
            lines.append(f"It is treated as received on the next working day, {long_date(receipt)}.")
    closed = [(p.start, p.end) for p in pauses if p.end is not None]
    added = sum(e.working_days or 0 for e in extensions)
    total = rule.count + added

    day = receipt if rule.counting == "beginning_with" else receipt + timedelta(days=1)
    counted, day_one, holidays_, paused = 0, None, [], {}
    while True:
        why = cal.why_not_working(day)
        pause = next(((s, e) for s, e in closed if s < day <= e), None) if why is None else None
        if why in ("bank holiday", "non-working day"):
            holidays_.append((day, why))
        elif pause is not None:
            paused[pause] = paused.get(pause, 0) + 1
        elif why is None:
            counted += 1
            day_one = day_one or day
            if counted == total:
                break
        day += timedelta(days=1)

    how = "following receipt" if rule.counting == "following" else "beginning with that day"
    amount = plural(rule.count, "working day")
    if added:
        amount += f" plus {plural(added, 'working day')} added by extension"
    skip = ["weekends"]
    bank = [d for d, why in holidays_ if why == "bank holiday"]
    extra = [d for d, why in holidays_ if why == "non-working day"]
    if bank:
        skip.append(f"the {'bank holiday' if len(bank) == 1 else 'bank holidays'} {format_days(bank)}")
    if extra:
        skip.append(f"the network's non-working {'day' if len(extra) == 1 else 'days'} {format_days(extra)}")
    lines.append(
        f"Counting {amount} {how} (using {CALENDAR_TITLES[rule.calendar]}), skipping {and_join(skip)}: "
        f"day 1 is {long_date(day_one)} and day {total} is {long_date(day)}."
    )
    for p in pauses:
        if p.end is None:
            lines.append(_open_pause(p))
        else:
            n = paused.get((p.start, p.end), 0)
            lines.append(
                f"Paused from {long_date(p.start)} to {long_date(p.end)}: {p.reason}; "
                f"{plural(n, 'working day')} not counted."
            )
    for e in extensions:
        if e.working_days:
            lines.append(f"Extended by {plural(e.working_days, 'working day')}: {e.reason}.")
    return day, day_one, lines


def _count_calendar(rule, started, pauses):
    lines = [f"Started {long_date(started)}."]
    if rule.kind == "calendar_month":
        due = add_months(started, rule.count)
        lines.append(f"Counting {plural(rule.count, 'calendar month')}: the same date")
        if due.day != started.day:
            lines[-1] += f" does not exist that month, so the last day of the month, {long_date(due)}."
        else:
            lines[-1] += f" is {long_date(due)}."
    else:
        offset = rule.count - 1 if rule.counting == "beginning_with" else rule.count
        due = started + timedelta(days=offset)
        how = "following that day" if rule.counting == "following" else "beginning with that day"
        lines.append(f"Counting {plural(rule.count, 'calendar day')} {how} reaches {long_date(due)}.")
    for p in pauses:
        if p.end is None:
            lines.append(_open_pause(p))
        else:
            n = (p.end - p.start).days
            due += timedelta(days=n)
            lines.append(
                f"Paused from {long_date(p.start)} to {long_date(p.end)}: {p.reason}; "
                f"{plural(n, 'day')} added."
            )
    return due, lines
