"""Statutory clocks: the Python API every area calls (views, services, subscribers, scripts).

Names of clocks are configured rules (registry record ``links.content.clocks.rules``). Every change
announces a RecordEvent ("clock.started", "clock.paused", ...) and reindexes the clock indexes.

Every date of a change to a clock passes one gate (``_change_date``): a clock cannot be made compliant
after the fact by a pause dated back to before its due date, except by a Manager who gives a reason,
and then the explanation and the audit trail say it was backdated.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from datetime import datetime

from AccessControl import getSecurityManager
from plone import api
from zope.event import notify

from links.content.clocks import events
from links.content.clocks.calendar import extra_non_working_days
from links.content.clocks.exceptions import BackdatingRefused
from links.content.clocks.exceptions import ClockError
from links.content.clocks.exceptions import ClockNotFound
from links.content.clocks.exceptions import InvalidClockOperation
from links.content.clocks.exceptions import ReasonRequired
from links.content.clocks.exceptions import UnknownClockRule
from links.content.clocks.rules import EXTENSION_FIELDS
from links.content.clocks.rules import MAX_COUNT
from links.content.clocks.rules import PAUSE
from links.content.clocks.rules import Rule
from links.content.clocks.rules import compute
from links.content.clocks.rules import latest_due
from links.content.clocks.rules import working_days_between
from links.content.clocks.storage import ENDED
from links.content.clocks.storage import MET
from links.content.clocks.storage import PAUSED
from links.content.clocks.storage import RUNNING
from links.content.clocks.storage import Clock
from links.content.clocks.storage import Extension
from links.content.clocks.storage import Pause
from links.content.clocks.storage import clock_map
from links.content.interfaces import IConfidentialRecord
from links.content.words import format_date as short_date
from links.content.words import long_date
from links.content.words import plural
from links.content.words import today as london_today
from links.content.words import utcnow

RULES_RECORD = "links.content.clocks.rules"
REMINDER_DAYS_RECORD = "links.content.clocks.reminder_days"
BACKDATE_RECORD = "links.content.clocks.backdate_working_days"
#: Granted to Managers only (rolemap.xml).
BACKDATE_PERMISSION = "links.content: Backdate clock changes"
DEFAULT_BACKDATE = 5
#: No clock starts before 1900, and nothing happens to a clock before 2000 (earlier dates are typing errors).
EARLIEST_START = date(1900, 1, 1)
EARLIEST_CHANGE = date(2000, 1, 1)
#: Longest reason recorded with a pause, resumption, extension or end.
MAX_REASON = 2000
#: The behavior's marker, by name (behaviors imports this module).
CLOCKS_MARKER = "links.content.clocks.behaviors.IHasStatutoryClocks"
# Metadata (clock_summary) is refreshed with any reindex.
CLOCK_INDEXES = ["clock_next_due", "clock_names", "clock_status", "clock_owner"]

__all__ = [
    "Clock",
    "ClockError",
    "clocks",
    "configured_rules",
    "deadline_figures",
    "end",
    "extend",
    "get",
    "is_expired",
    "outcome",
    "pause",
    "resume",
    "start",
    "stop",
]


def configured_rules() -> dict[str, Rule]:
    """The clock rules configured in the registry, by name.

    :returns: {name: Rule}
    :raises ClockError: when the registry record is not valid JSON or holds an invalid rule
    """
    text = api.portal.get_registry_record(RULES_RECORD, default="") or "{}"
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ClockError(f"The registry record {RULES_RECORD} is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise ClockError(f"The registry record {RULES_RECORD} must be a JSON object of rules by name.")
    return {name: Rule.from_dict(values) for name, values in data.items()}


def reminder_days() -> int:
    """How many days before the due date a clock counts as "due soon" (registry, default 3)."""
    return int(api.portal.get_registry_record(REMINDER_DAYS_RECORD, default=3) or 3)


def backdate_limit() -> int:
    """How many working days back a clock change may be dated without a Manager (registry, default 5)."""
    value = api.portal.get_registry_record(BACKDATE_RECORD, default=DEFAULT_BACKDATE)
    return DEFAULT_BACKDATE if value is None else int(value)


def start(obj, name: str, started: date | None = None, actor: str | None = None) -> Clock:
    """Start the clock ``name`` on ``obj`` (a clock of that name already there is restarted).

    :param obj: a record with the links.content.clocks behavior (any annotatable object works)
    :param name: a configured rule name, e.g. "complaint-acknowledgement"
    :param started: date of receipt/start (default: today in Europe/London)
    :param actor: user id of who started it (default: the current user)
    :returns: the new Clock
    :raises UnknownClockRule: if no rule of that name is configured
    :raises InvalidClockOperation: if ``started`` is in the future or before 1900 (the record's own
        validation decides whether a start before 2000 is plausible: it needs a reason there)
    """
    rules = configured_rules()
    if name not in rules:
        raise UnknownClockRule(f"There is no clock rule called {name!r}. Known: {', '.join(sorted(rules))}.")
    started = _on(started, "start date")
    if started < EARLIEST_START:
        raise InvalidClockOperation(f"The start date cannot be before {long_date(EARLIEST_START)}.")
    actor = _actor(actor)
    store = clock_map(obj, create=True)
    restarted = name in store
    clock = Clock(name, rules[name], started, extra_non_working_days())
    clock.add_history("started", started, actor)
    store[name] = clock
    _changed(obj, events.ClockStarted, clock, actor, {"started": started.isoformat(), "restarted": restarted})
    return clock


def stop(obj, name: str, on: date | None = None, actor: str | None = None) -> Clock:
    """Stop the clock: its deadline was met on ``on``. Stopping a met clock changes nothing.

    The day it was met usually comes from a field of the record (the day the answer was sent), entered
    when it happened; a day further back than the registry allows is not refused (the transition that
    stops the clock must not fail) but marked: "Met on ... (recorded 12 working days later)", and
    ``backdated`` in the audit trail.

    :returns: the Clock
    :raises ClockNotFound: if the record has no such clock
    :raises InvalidClockOperation: if ``on`` is before the start or in the future, or the clock ended
    """
    clock = _get(obj, name)
    if clock.state == MET:
        return clock
    if clock.state == ENDED:
        raise InvalidClockOperation(f"The clock {name!r} ended on {short_date(clock.ended_on)}.")
    on = _on(on, "date the clock stopped")
    _not_before(on, clock.started, "The clock cannot stop before it started")
    backdated = _working_days_back(clock, on)
    actor = _actor(actor)
    clock.met_on = on
    _finish(clock, MET, on, actor, backdated)
    details = {"met_on": on.isoformat(), "met_late_days": clock.met_late_days, **_backdating(backdated)}
    _changed(obj, events.ClockStopped, clock, actor, details)
    return clock


def end(obj, name: str, reason: str, on: date | None = None, actor: str | None = None) -> Clock:
    """End an open clock without its deadline being met: the duty ended (a request lapsed unpaid).

    :param reason: why, in words people read ("The fee was not paid within three months")
    :returns: the Clock (state "ended"; never overdue, never "met" in the figures)
    :raises ReasonRequired: if the reason is empty
    :raises InvalidClockOperation: if the clock is not open or the date is impossible
    """
    reason = _reason(reason, "end of the clock")
    clock = _get(obj, name)
    if not clock.is_open:
        raise InvalidClockOperation(f"The clock {name!r} is {clock.state}; only an open clock can end.")
    on, backdated = _change_date(obj, clock, on, "date the clock ended", reason)
    actor = _actor(actor)
    clock.ended_on = on
    clock.end_reason = reason
    _finish(clock, ENDED, on, actor, backdated)
    details = {"on": on.isoformat(), "reason": reason, **_backdating(backdated)}
    _changed(obj, events.ClockEnded, clock, actor, details)
    return clock


def pause(obj, name: str, reason: str, actor: str, on: date | None = None, kind: str = PAUSE) -> Clock:
    """Pause a running clock: stop it (``pause``), give a fees notice (``fee``) or wait for a
    clarification that restarts the count when it arrives (``restart``), as the clock's rule allows.

    :param reason: why (required, recorded and shown in the explanation)
    :param actor: user id of who paused it
    :param on: the day it was paused (default today); further back than ``backdate_limit()`` working
        days needs the Manager role, and is marked as backdated in the explanation and audit trail
    :param kind: "pause", "fee" or "restart" (one of the rule's ``pause_kinds``)
    :returns: the Clock
    :raises ReasonRequired: if the reason is empty
    :raises ClockNotFound: if the record has no such clock
    :raises BackdatingRefused: dated too far back for the current user
    :raises InvalidClockOperation: if the clock is not running, the rule does not allow the kind, the
        date is impossible, or it is after the due date (a pause then could only make a late clock look
        on time)
    """
    reason = _reason(reason, "pause")
    clock = _get(obj, name)
    if kind not in clock.rule.pause_kinds:
        allowed = ", ".join(clock.rule.pause_kinds) or "none"
        raise InvalidClockOperation(
            f"The clock {name!r} cannot be paused as {kind!r}: its rule allows {allowed}."
        )
    if clock.state != RUNNING:
        raise InvalidClockOperation(
            f"The clock {name!r} is {clock.state}; only a running clock can be paused."
        )
    on, backdated = _change_date(obj, clock, on, "pause date", reason)
    if clock.pauses:
        _not_before(on, clock.pauses[-1].end, "A pause cannot begin before the previous one ended")
    if on > clock.due:
        # The deadline has passed: a clarification or fees notice now cannot restart or stop it.
        raise InvalidClockOperation(
            f"The clock was due on {short_date(clock.due)}: a pause dated after that, {short_date(on)}, "
            "cannot move it."
        )
    actor = _actor(actor)
    clock.pauses = clock.pauses + (Pause(on, None, reason, actor, utcnow(), kind, backdated),)
    clock.state = PAUSED
    clock.recompute()
    clock.add_history("paused", on, actor, backdated)
    details = {"on": on.isoformat(), "kind": kind, "reason": reason, **_backdating(backdated)}
    _changed(obj, events.ClockPaused, clock, actor, details)
    return clock


def resume(obj, name: str, on: date | None = None, actor: str | None = None, reason: str = "") -> Clock:
    """Resume a paused clock (the fee or the clarification arrived on ``on``); the due date moves.

    :param on: the day it resumed (default today); further back than ``backdate_limit()`` working days
        needs the Manager role and a ``reason``
    :param reason: why it resumed on that day (required only when backdated)
    :returns: the Clock
    :raises ClockNotFound: if the record has no such clock
    :raises BackdatingRefused: dated too far back for the current user
    :raises InvalidClockOperation: if the clock is not paused or ``on`` is before the pause began
    """
    clock = _get(obj, name)
    if clock.state != PAUSED:
        raise InvalidClockOperation(
            f"The clock {name!r} is {clock.state}; only a paused clock can be resumed."
        )
    reason = _reason(reason, "resumption") if reason else ""
    on, backdated = _change_date(obj, clock, on, "resume date", reason)
    _not_before(on, clock.pauses[-1].start, "A clock cannot resume before the day it was paused")
    actor = _actor(actor)
    _close_pause(clock, on, actor, reason, backdated)
    clock.state = RUNNING
    clock.recompute()
    clock.add_history("resumed", on, actor, backdated)
    details = {"on": on.isoformat(), "kind": clock.pauses[-1].kind, **_backdating(backdated)}
    if reason:
        details["reason"] = reason
    _changed(obj, events.ClockResumed, clock, actor, details)
    return clock


def extend(
    obj,
    name: str,
    working_days: int | None = None,
    until: date | None = None,
    reason: str = "",
    actor: str | None = None,
    days: int | None = None,
    months: int | None = None,
    on: date | None = None,
) -> Clock:
    """Extend an open clock by an amount in its rule's unit, or to a later date, with a recorded reason.

    Every extension, by an amount or by a date, is capped by the rule's ``max_extension`` (the latest
    due date the whole allowance reaches) and must be decided by the due date; a rule with
    ``extension_notice_within_period`` accepts an extension only if it was decided (the person told) by
    the original due date.

    :param working_days: working days to add (working-day rules)
    :param days: calendar days to add (calendar-day rules)
    :param months: calendar months to add (calendar-month rules, e.g. subject access: up to 2)
    :param until: the new due date (must be after the current one)
    :param reason: why (required)
    :param on: the day it was decided / the person was told (default today; the backdating rules apply)
    :returns: the Clock
    :raises ReasonRequired: if the reason is empty
    :raises BackdatingRefused: dated too far back for the current user
    :raises InvalidClockOperation: if not exactly one amount or date is given, the amount is not a whole
        number from 1 to the rule's sane maximum, the maximum extension is exceeded, the date is not
        later, the notice came too late, or the clock is no longer open
    """
    reason = _reason(reason, "extension")
    clock = _get(obj, name)
    if not clock.is_open:
        raise InvalidClockOperation(f"The clock {name!r} is {clock.state}; it cannot be extended.")
    rule = clock.rule
    amounts = {"working_days": working_days, "days": days, "months": months}
    given = {key: value for key, value in amounts.items() if value is not None}
    if len(given) + (until is not None) != 1:
        raise InvalidClockOperation("Give either an amount to extend by or a new due date, not both.")
    field = EXTENSION_FIELDS[rule.kind]
    if given:
        if field not in given:
            raise InvalidClockOperation(
                f"This clock counts in {rule.unit}s: extend it by {field} or to a date."
            )
        check_amount(given[field], rule.kind, field)
    elif not isinstance(until, date):
        raise InvalidClockOperation("The new due date must be a date.")
    elif until <= clock.due:
        raise InvalidClockOperation(
            f"The new due date must be after the current one, {short_date(clock.due)}."
        )
    on, backdated = _change_date(obj, clock, on, "date of the extension", reason)
    if rule.extension_notice_within_period:
        original = compute(rule, clock.started, clock.pauses, (), clock.extra_days).due
        if on > original:
            raise InvalidClockOperation(
                f"This clock can be extended only if the person is told by the original due date, "
                f"{short_date(original)}; the extension is dated {short_date(on)}."
            )
    if clock.state == RUNNING and on > clock.due:
        # An extension is agreed before the deadline, not after it (a paused clock has no due date yet).
        raise InvalidClockOperation(
            f"The clock was due on {short_date(clock.due)}: an extension decided after that, on "
            f"{short_date(on)}, cannot move it."
        )
    actor = _actor(actor)
    extension = Extension(
        on,
        given.get("working_days"),
        until,
        reason,
        actor,
        utcnow(),
        given.get("days"),
        given.get("months"),
        backdated,
    )
    extensions = clock.extensions + (extension,)
    new_due = compute(rule, clock.started, clock.pauses, extensions, clock.extra_days).due
    latest = latest_due(rule, clock.started, clock.pauses, clock.extra_days)
    if new_due > latest:
        raise InvalidClockOperation(
            f"This clock may be extended by at most {plural(rule.extension_limit, rule.unit)} in total, "
            f"to {short_date(latest)} at the latest."
        )
    clock.extensions = extensions
    clock.recompute()
    clock.add_history("extended", on, actor, backdated)
    details = {
        **given,
        "until": until.isoformat() if until else None,
        "on": on.isoformat(),
        "reason": reason,
        **_backdating(backdated),
    }
    _changed(obj, events.ClockExtended, clock, actor, details)
    return clock


def check_amount(value, kind: str, field: str) -> int:
    """An extension amount: a whole number from 1 to the sane maximum of the rule's kind.

    Called before anything is counted, so a huge number is refused at once.

    :raises InvalidClockOperation: naming the field and the limit
    """
    limit = MAX_COUNT[kind]
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= limit:
        raise InvalidClockOperation(f"{field} must be a whole number from 1 to {limit}.")
    return value


def get(obj, name: str) -> Clock | None:
    """The clock ``name`` on ``obj``, or None."""
    store = clock_map(obj)
    return store.get(name) if store is not None else None


def clocks(obj) -> list[Clock]:
    """All clocks on ``obj``, earliest started first."""
    store = clock_map(obj)
    return sorted(store.values(), key=lambda c: (c.started, c.name)) if store is not None else []


def is_expired(obj, name: str, today: date | None = None) -> bool:
    """True when the clock is running and its due date has passed (met or paused clocks are not expired).

    :param today: the date to judge against (default: today in Europe/London)
    """
    clock = get(obj, name)
    return clock is not None and clock.state == RUNNING and (today or london_today()) > clock.due


# -- Figures ---------------------------------------------------------------------------------------------
#: Outcome of a clock for the reports' figures, and its words.
OUTCOMES = {
    "met_on_time": "met on time",
    "met_late": "met late",
    "overdue": "overdue and still open",
    "open": "open, not yet due",
    "ended": "ended without an answer",
}


def outcome(clock: Clock, today: date | None = None) -> str:
    """A key of OUTCOMES: how the clock's deadline turned out, as at ``today``."""
    if clock.state == MET:
        return "met_late" if clock.met_late_days else "met_on_time"
    if clock.state == ENDED:
        return "ended"
    return "overdue" if (today or london_today()) > clock.due else "open"


def deadline_figures(site, start: date | None = None, end: date | None = None, today: date | None = None):
    """How the statutory deadlines falling due in a period turned out: the figures of the periodic
    (transitional and annual) reports.

    A clock counts in the period of its due date. Only rule titles and numbers come out, never records.

    :param site: the site (or a folder: only records below it count)
    :param start: first day of the period (None: from the beginning)
    :param end: last day of the period (None: no end)
    :param today: the day the figures are taken (an open clock past its due date then is overdue)
    :returns: {(rule title, outcome key): {"count": n, "late_days": days late in all, "unit": "working day"
        or "day"}}
    """
    today = today or london_today()
    catalog = api.portal.get_tool("portal_catalog")
    path = "/".join(site.getPhysicalPath())
    found: dict = {}
    for brain in catalog.unrestrictedSearchResults(object_provides=CLOCKS_MARKER, path=path):
        try:
            obj = brain._unrestrictedGetObject()
        except (AttributeError, KeyError):  # a stale catalog entry
            continue
        for clock in clocks(obj):
            if (start is not None and clock.due < start) or (end is not None and clock.due > end):
                continue
            key = (clock.rule.title or clock.name, outcome(clock, today))
            entry = found.setdefault(key, {"count": 0, "late_days": 0, "unit": clock.late_unit})
            entry["count"] += 1
            entry["late_days"] += clock.met_late_days or 0
    return found


# -- Helpers ---------------------------------------------------------------------------------------------
def _get(obj, name: str) -> Clock:
    clock = get(obj, name)
    if clock is None:
        raise ClockNotFound(f"This record has no clock called {name!r}.")
    return clock


def _reason(reason, what: str) -> str:
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise ReasonRequired(f"Give a reason for the {what}; it is recorded with the clock.")
    if len(reason) > MAX_REASON:
        raise InvalidClockOperation(f"The reason is too long: at most {MAX_REASON:,} characters.")
    return reason


def _on(on, label: str) -> date:
    if on is None:
        return london_today()
    if not isinstance(on, date) or isinstance(on, datetime):
        raise InvalidClockOperation(f"The {label} must be a date.")
    if on > london_today():
        raise InvalidClockOperation(f"The {label} cannot be in the future.")
    return on


def _change_date(obj, clock: Clock, on, label: str, reason: str) -> tuple[date, int]:
    """The one gate for the date of a change to a clock (pause, resume, extension, end).

    Not in the future, not before 2000, not before the clock started; dated more than
    ``backdate_limit()`` working days back only by a Manager, with a reason.

    :returns: (the date, how many working days back it is when beyond the limit, else 0)
    :raises InvalidClockOperation: for an impossible date
    :raises BackdatingRefused: when the current user may not date it that far back
    :raises ReasonRequired: when a backdated change has no reason
    """
    on = _on(on, label)
    if on < EARLIEST_CHANGE:
        raise InvalidClockOperation(f"The {label} cannot be before {long_date(EARLIEST_CHANGE)}.")
    _not_before(on, clock.started, f"The {label} cannot be before the clock started")
    back = _working_days_back(clock, on)
    if not back:
        return on, 0
    limit = backdate_limit()
    if not getSecurityManager().checkPermission(BACKDATE_PERMISSION, obj):
        raise BackdatingRefused(
            f"The {label}, {short_date(on)}, is {plural(back, 'working day')} ago: only a Manager may date "
            f"a change to a clock more than {plural(limit, 'working day')} back, with a reason."
        )
    if not reason:
        raise ReasonRequired(
            f"The {label} is {plural(back, 'working day')} ago: give the reason it is recorded late."
        )
    return on, back


def _working_days_back(clock: Clock, on: date) -> int:
    """Working days from ``on`` to today when more than the backdating limit allows, else 0."""
    back = working_days_between(clock.rule.calendar, clock.extra_days, on, london_today())
    return back if back > backdate_limit() else 0


def _backdating(backdated: int) -> dict:
    """Audit details of a backdated change: how far back, and the day it was really recorded."""
    if not backdated:
        return {}
    return {"backdated": True, "working_days_back": backdated, "recorded_on": london_today().isoformat()}


def _not_before(on: date, earliest: date | None, message: str) -> None:
    if earliest is not None and on < earliest:
        raise InvalidClockOperation(f"{message} ({short_date(earliest)}).")


def _finish(clock: Clock, state: str, on: date, actor, backdated: int) -> None:
    """Close the clock as met or ended on ``on``. A pause still open ends that day, and the due date it
    then reaches is the one the clock is judged by."""
    if clock.state == PAUSED:
        _close_pause(clock, max(on, clock.pauses[-1].start), actor, "", 0)
        clock.recompute()
    clock.state = state
    clock.add_history("stopped" if state == MET else "ended", on, actor, backdated)


def _close_pause(clock: Clock, end: date, actor, reason: str, backdated: int) -> None:
    last = clock.pauses[-1]
    closed = replace(
        last, end=end, end_actor=actor, end_recorded=utcnow(), end_reason=reason, end_backdated=backdated
    )
    clock.pauses = clock.pauses[:-1] + (closed,)


def _actor(actor: str | None) -> str | None:
    if actor:
        return actor
    user = api.user.get_current()
    return user.getId() if user is not None else None


def _changed(obj, event_class, clock: Clock, actor, details: dict) -> None:
    details = {"clock": clock.name, "due": clock.due.isoformat(), **details}
    if IConfidentialRecord.providedBy(obj):
        details.pop("reason", None)  # free text may hold personal data
    reindex = getattr(obj, "reindexObject", None)
    if reindex is not None:
        reindex(idxs=CLOCK_INDEXES)
    notify(event_class(obj, details=details, actor=actor))
