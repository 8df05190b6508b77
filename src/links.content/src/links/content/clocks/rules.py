"""Clock rules and due-date computation, with a plain-English explanation of how each date was reached.

A rule is configured by name in the registry (links.content.clocks.rules, JSON) and copied into each
clock when it starts, so a later change to the registry never rewrites a running clock's history.

A clock stops counting in one of three ways, each a "pause kind" the rule must allow:

- ``pause`` (stop the clock): the day it is paused still counts; the days after it up to and including
  the day it resumes do not (working-day rules); calendar rules add the days paused to the due date.
- ``fee`` (FOI Act s.10(2)): the working days *beginning with* the day the fees notice is given and
  *ending with* the day the fee is received are disregarded, both ends included.
- ``restart`` (FOI Act s.1(3) and s.10(6)): while clarification is awaited nothing counts; when it
  arrives the request counts as received that day and the whole period starts again from it.

An open pause freezes the due date until the clock resumes. Extensions add to the count in the rule's
unit (working days, calendar days or calendar months) or move the due date to a later day; either way
the total is capped by the rule's ``max_extension`` (``MAX_COUNT`` of the kind when it has none).
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
PAUSE, FEE, RESTART = "pause", "fee", "restart"
PAUSE_KINDS = (PAUSE, FEE, RESTART)
KEEP, NEXT_WORKING_DAY = "keep", "next_working_day"
DUE_ON_NON_WORKING_DAY = (KEEP, NEXT_WORKING_DAY)

#: The largest count, and the largest extension, a rule of each kind may have: a year of working days,
#: two years of calendar days, two years of months. Bigger numbers are typing errors (or attacks).
MAX_COUNT = {"working": 260, "calendar": 731, "calendar_month": 24}
#: The unit of each kind, singular (for messages: "at most 20 working days").
UNITS = {"working": "working day", "calendar": "day", "calendar_month": "calendar month"}
#: The extension field of each kind (``Extension.working_days``, ``.days`` or ``.months``).
EXTENSION_FIELDS = {"working": "working_days", "calendar": "days", "calendar_month": "months"}
#: No count walks further than this many calendar days (a guard: bounded counts never get near it).
_MAX_WALK = 366 * 60


def _whole(value, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


@dataclass(frozen=True)
class Rule:
    """How a deadline is counted.

    :param kind: "working" days, "calendar" days or "calendar_month" (same date n months later)
    :param count: how many days (or months)
    :param counting: "beginning_with" (start is day 1) or "following" (start is day 0)
    :param non_working_receipt: what a start on a non-working day means (working rules, "following")
    :param calendar: "england-and-wales" or "uk" (FOI: bank holidays anywhere in the UK)
    :param title: plain-English name shown to people
    :param max_extension: most an extension may add in total, in the rule's unit (None: MAX_COUNT)
    :param pause_kinds: how the clock may stop counting ("pause", "fee", "restart"); empty: never
    :param due_on_non_working_day: "keep", or "next_working_day" (subject access: a due date on a
        weekend or bank holiday moves to the next working day)
    :param extension_notice_within_period: an extension counts only if the person was told of it by
        the original due date (subject access: "within the first month")
    """

    kind: str = "working"
    count: int = 20
    counting: str = "following"
    non_working_receipt: str = NEXT_WORKING_DAY_IS_DAY_ONE
    calendar: str = "england-and-wales"
    title: str = ""
    max_extension: int | None = None
    pause_kinds: tuple[str, ...] = (PAUSE,)
    due_on_non_working_day: str = KEEP
    extension_notice_within_period: bool = False

    def __post_init__(self):
        limit = MAX_COUNT.get(self.kind, 0) if isinstance(self.kind, str) else 0
        kinds = self.pause_kinds
        checks = (
            (self.kind in KINDS, f"kind must be one of {', '.join(KINDS)}"),
            (_whole(self.count, 1, limit), f"count must be a whole number from 1 to {limit}"),
            (self.counting in COUNTINGS, f"counting must be one of {', '.join(COUNTINGS)}"),
            (
                self.non_working_receipt in RECEIPTS,
                f"non_working_receipt must be one of {', '.join(RECEIPTS)}",
            ),
            (
                isinstance(self.calendar, str) and self.calendar in CALENDARS,
                f"calendar must be one of {', '.join(CALENDARS)}",
            ),
            (
                self.max_extension is None or _whole(self.max_extension, 1, limit),
                f"max_extension must be empty or a whole number from 1 to {limit}",
            ),
            (
                isinstance(kinds, tuple) and all(k in PAUSE_KINDS for k in kinds),
                f"pause_kinds must be a list of {', '.join(PAUSE_KINDS)}",
            ),
            (
                self.due_on_non_working_day in DUE_ON_NON_WORKING_DAY,
                f"due_on_non_working_day must be one of {', '.join(DUE_ON_NON_WORKING_DAY)}",
            ),
            (isinstance(self.title, str), "title must be text"),
            (
                isinstance(self.extension_notice_within_period, bool),
                "extension_notice_within_period is true/false",
            ),
        )
        for ok, message in checks:
            if not ok:
                raise ClockError(f"Invalid clock rule: {message}.")

    @classmethod
    def from_dict(cls, data: dict) -> Rule:
        if not isinstance(data, dict):
            raise ClockError("Invalid clock rule: each rule must be a JSON object.")
        known = {key: value for key, value in data.items() if key in cls.__dataclass_fields__}
        if isinstance(known.get("pause_kinds"), list):
            known["pause_kinds"] = tuple(known["pause_kinds"])
        return cls(**known)

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def extension_limit(self) -> int:
        """The most an extension may add in total, in the rule's unit."""
        return self.max_extension or MAX_COUNT[self.kind]

    @property
    def unit(self) -> str:
        return UNITS[self.kind]


@dataclass(frozen=True)
class Computation:
    """The result of counting: the due date, day 1 (working rules) and the explanation."""

    due: date
    day_one: date | None
    explanation: str


def compute(rule: Rule, started: date, pauses=(), extensions=(), extra_days=()) -> Computation:
    """Count a deadline.

    :param rule: the clock's rule
    :param started: date of receipt / start
    :param pauses: objects with ``start``, ``end`` (None while paused), ``reason`` and ``kind``
    :param extensions: objects with ``working_days``, ``days``, ``months`` or ``until``, and ``reason``
    :param extra_days: the network's extra non-working days
    :returns: Computation(due, day_one, explanation)
    :raises ClockError: when the count cannot be done (a count walking past sixty years)
    """
    cal = WorkingCalendar(rule.calendar, extra_days)
    pauses = list(pauses)
    restart = _last_restart(pauses)
    verb = "Received" if rule.kind == "working" and rule.counting == "following" else "Started"
    lines = [f"{verb} {long_date(started)}."]
    for p in pauses:
        if _kind(p) == RESTART:
            if p.end is None:
                lines.append(_open_restart_line(rule, p))
            elif p is restart:
                lines.append(_restart_line(rule, p))
            else:
                lines.append(_earlier_restart_line(p))
    receipt = restart.end if restart is not None else started
    if rule.kind == "working":
        due, day_one = _count_working(rule, receipt, restart is not None, pauses, extensions, cal, lines)
    else:
        due = _count_calendar(rule, receipt, restart is not None, pauses, extensions, lines)
        day_one = None
    for extension in extensions:
        if extension.until is not None:
            lines.append(
                f"Extended until {long_date(extension.until)}{_decided(extension)}: {extension.reason}."
            )
            due = max(due, extension.until)
    if rule.due_on_non_working_day == NEXT_WORKING_DAY and not cal.is_working_day(due):
        moved = cal.next_working_day(due)
        lines.append(
            f"{long_date(due)} is not a working day ({_why(cal, due)}), so the deadline moves to the next "
            f"working day, {long_date(moved)}."
        )
        due = moved
    lines.append(f"Due {long_date(due)}.")
    return Computation(due=due, day_one=day_one, explanation=" ".join(lines))


def latest_due(rule: Rule, started: date, pauses=(), extra_days=()) -> date:
    """The latest due date extensions may reach: the due date extended by the rule's whole limit."""
    extension = _Amount(**{EXTENSION_FIELDS[rule.kind]: rule.extension_limit})
    return compute(rule, started, pauses, [extension], extra_days).due


@dataclass(frozen=True)
class _Amount:
    """An extension by an amount only (to work out the latest allowed due date)."""

    working_days: int | None = None
    days: int | None = None
    months: int | None = None
    until: date | None = None
    reason: str = ""


def working_days_between(calendar: str, extra_days, after: date, until: date) -> int:
    """How many working days fall after ``after`` up to and including ``until`` (0 if none)."""
    cal = WorkingCalendar(calendar, extra_days)
    if until <= after:
        return 0
    if (until - after).days > _MAX_WALK:
        raise ClockError("The dates are too far apart to count working days between them.")
    day, count = after + timedelta(days=1), 0
    while day <= until:
        count += cal.is_working_day(day)
        day += timedelta(days=1)
    return count


# -- Working days ---------------------------------------------------------------------------------------
def _count_working(rule, receipt, restarted, pauses, extensions, cal, lines):
    if not cal.is_working_day(receipt):
        if restarted:
            lines.append(f"{long_date(receipt)} is a non-working day.")
        else:
            lines[0] = lines[0][:-1] + ", a non-working day."
        if rule.counting == "following" and rule.non_working_receipt == TREAT_NEXT_WORKING_DAY_AS_RECEIPT:
            receipt = cal.next_working_day(receipt)
            lines.append(f"It is treated as received on the next working day, {long_date(receipt)}.")
    first = receipt if rule.counting == "beginning_with" else receipt + timedelta(days=1)
    closed = [p for p in pauses if p.end is not None and _kind(p) in (PAUSE, FEE)]
    added = sum(e.working_days or 0 for e in extensions)
    total = rule.count + added

    day, counted, day_one, holidays_, skipped = first, 0, None, [], {}
    while True:
        if (day - first).days > _MAX_WALK:
            raise ClockError("The clock cannot be counted: its pauses never end.")
        why = cal.why_not_working(day)
        pause = next((p for p in closed if _skips(p, day)), None) if why is None else None
        if why in ("bank holiday", "non-working day"):
            holidays_.append((day, why))
        elif pause is not None:
            skipped[id(pause)] = skipped.get(id(pause), 0) + 1
        elif why is None:
            counted += 1
            day_one = day_one or day
            if counted == total:
                break
        day += timedelta(days=1)

    if restarted:
        how = "following the day the clarification arrived"
    else:
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
        if _kind(p) == RESTART:
            continue
        if p.end is None:
            lines.append(_open_pause_line(p))
        elif restarted and p.end < first:
            lines.append(f"{_closed_pause_head(p)}; this was before the count started again.")
        else:
            n = skipped.get(id(p), 0)
            lines.append(f"{_closed_pause_head(p)}; {plural(n, 'working day')} not counted.")
    for e in extensions:
        if e.working_days:
            lines.append(f"Extended by {plural(e.working_days, 'working day')}{_decided(e)}: {e.reason}.")
    return day, day_one


def _kind(pause) -> str:
    return getattr(pause, "kind", PAUSE)


def _skips(pause, day: date) -> bool:
    """Whether a closed pause disregards ``day`` (a fees notice includes the day it was given)."""
    if _kind(pause) == FEE:
        return pause.start <= day <= pause.end
    return pause.start < day <= pause.end


# -- Calendar days and months ---------------------------------------------------------------------------
def _count_calendar(rule, receipt, restarted, pauses, extensions, lines):
    months = sum(getattr(e, "months", None) or 0 for e in extensions)
    days = sum(getattr(e, "days", None) or 0 for e in extensions)
    if rule.kind == "calendar_month":
        amount = plural(rule.count, "calendar month")
        if months:
            amount += f" plus {plural(months, 'month')} added by extension"
        target = add_months(receipt, rule.count + months)
        if rule.counting == "beginning_with":
            # A period of months beginning with a day ends the day before the same date, or on the last
            # day of the month when that month has no such date.
            due = target - timedelta(days=1) if target.day == receipt.day else target
            lines.append(
                f"Counting {amount} beginning with {long_date(receipt)}: the period ends on {long_date(due)}."
            )
        else:
            due = target
            head = f"Counting {amount}: the same date"
            if due.day != receipt.day:
                lines.append(
                    f"{head} does not exist that month, so the last day of the month, {long_date(due)}."
                )
            else:
                lines.append(f"{head} is {long_date(due)}.")
    else:
        amount = plural(rule.count, "calendar day")
        if days:
            amount += f" plus {plural(days, 'day')} added by extension"
        offset = rule.count + days - (1 if rule.counting == "beginning_with" else 0)
        due = receipt + timedelta(days=offset)
        how = "following that day" if rule.counting == "following" else "beginning with that day"
        lines.append(f"Counting {amount} {how} reaches {long_date(due)}.")
    for p in pauses:
        if _kind(p) == RESTART:
            continue
        if p.end is None:
            lines.append(_open_pause_line(p))
        elif restarted and p.end <= receipt:
            lines.append(f"{_closed_pause_head(p)}; this was before the count started again.")
        elif p.start >= due:
            lines.append(f"{_closed_pause_head(p)}; this was after the due date, so it does not move it.")
        else:
            n = (p.end - p.start).days + (1 if _kind(p) == FEE else 0)
            due += timedelta(days=n)
            lines.append(f"{_closed_pause_head(p)}; {plural(n, 'day')} added.")
    for e in extensions:
        amount = getattr(e, "months", None) or getattr(e, "days", None)
        if amount:
            unit = "calendar month" if getattr(e, "months", None) else "day"
            lines.append(f"Extended by {plural(amount, unit)}{_decided(e)}: {e.reason}.")
    return due


# -- Explanations ---------------------------------------------------------------------------------------
def _last_restart(pauses):
    closed = [p for p in pauses if _kind(p) == RESTART and p.end is not None]
    return closed[-1] if closed else None


def _noted(backdated: int) -> str:
    """' (recorded 12 working days later)' for a change dated further back than the rules allow."""
    return f" (recorded {plural(backdated, 'working day')} later)" if backdated else ""


def _decided(extension) -> str:
    backdated = getattr(extension, "backdated", 0)
    return f", decided on {long_date(extension.on)}{_noted(backdated)}" if backdated else ""


def _closed_pause_head(p) -> str:
    start = f"{long_date(p.start)}{_noted(getattr(p, 'backdated', 0))}"
    end = f"{long_date(p.end)}{_noted(getattr(p, 'end_backdated', 0))}"
    if _kind(p) == FEE:
        return (
            f"Fees notice given on {start} ({p.reason}) and the fee received on {end}: the working days "
            f"beginning with the day the notice was given and ending with the day the fee was received "
            f"are disregarded"
        )
    return f"Paused from {start} to {end}: {p.reason}"


def _open_pause_line(p) -> str:
    start = f"{long_date(p.start)}{_noted(getattr(p, 'backdated', 0))}"
    if _kind(p) == FEE:
        return (
            f"Fees notice given on {start} ({p.reason}): the days from that day until the fee is received "
            f"are disregarded, so the due date moves when the fee arrives."
        )
    return f"Paused since {start}: {p.reason}. The due date moves when the clock resumes."


def _restart_line(rule: Rule, p) -> str:
    return (
        f"Clarification asked on {long_date(p.start)}{_noted(getattr(p, 'backdated', 0))} ({p.reason}). "
        f"It arrived on {long_date(p.end)}{_noted(getattr(p, 'end_backdated', 0))}, so the request counts "
        f"as received that day and the {plural(rule.count, rule.unit)} start again from then."
    )


def _open_restart_line(rule: Rule, p) -> str:
    return (
        f"Waiting since {long_date(p.start)}{_noted(getattr(p, 'backdated', 0))} for clarification "
        f"({p.reason}). When it arrives, the request counts as received that day and the "
        f"{plural(rule.count, rule.unit)} start again from then."
    )


def _earlier_restart_line(p) -> str:
    return f"An earlier clarification was asked on {long_date(p.start)} and arrived on {long_date(p.end)}."


def _why(cal: WorkingCalendar, day: date) -> str:
    why = cal.why_not_working(day)
    if why == "bank holiday":
        return f"a bank holiday, {cal.holiday_name(day)}"
    if why == "non-working day":
        return "one of the network's non-working days"
    return "a weekend"
