"""Statutory clocks: the Python API every area calls (views, services, subscribers, scripts).

Names of clocks are configured rules (registry record ``links.content.clocks.rules``). Every change
announces a RecordEvent ("clock.started", "clock.paused", ...) and reindexes the clock indexes.
"""

from __future__ import annotations

import json
from datetime import date

from plone import api
from zope.event import notify

from links.content.clocks import events
from links.content.clocks.calendar import extra_non_working_days
from links.content.clocks.exceptions import ClockError
from links.content.clocks.exceptions import ClockNotFound
from links.content.clocks.exceptions import InvalidClockOperation
from links.content.clocks.exceptions import ReasonRequired
from links.content.clocks.exceptions import UnknownClockRule
from links.content.clocks.rules import Rule
from links.content.clocks.storage import MET
from links.content.clocks.storage import PAUSED
from links.content.clocks.storage import RUNNING
from links.content.clocks.storage import Clock
from links.content.clocks.storage import Extension
from links.content.clocks.storage import Pause
from links.content.clocks.storage import clock_map
from links.content.interfaces import IConfidentialRecord
from links.content.words import format_date as short_date
from links.content.words import today as london_today
from links.content.words import utcnow

RULES_RECORD = "links.content.clocks.rules"
REMINDER_DAYS_RECORD = "links.content.clocks.reminder_days"
# Metadata (clock_summary) is refreshed with any reindex.
CLOCK_INDEXES = ["clock_next_due", "clock_names", "clock_status", "clock_owner"]

__all__ = [
    "Clock",
    "ClockError",
    "clocks",
    "configured_rules",
    "extend",
    "get",
    "is_expired",
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
    return {name: Rule.from_dict(values) for name, values in data.items()}


def reminder_days() -> int:
    """How many days before the due date a clock counts as "due soon" (registry, default 3)."""
    return int(api.portal.get_registry_record(REMINDER_DAYS_RECORD, default=3) or 3)


def start(obj, name: str, started: date | None = None, actor: str | None = None) -> Clock:
    """Start the clock ``name`` on ``obj`` (a clock of that name already there is restarted).

    :param obj: a record with the links.content.clocks behavior (any annotatable object works)
    :param name: a configured rule name, e.g. "complaint-acknowledgement"
    :param started: date of receipt/start (default: today in Europe/London)
    :param actor: user id of who started it (default: the current user)
    :returns: the new Clock
    :raises UnknownClockRule: if no rule of that name is configured
    :raises InvalidClockOperation: if ``started`` is in the future
    """
    rules = configured_rules()
    if name not in rules:
        raise UnknownClockRule(f"There is no clock rule called {name!r}. Known: {', '.join(sorted(rules))}.")
    started = _on(started, "start date")
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

    :returns: the Clock
    :raises ClockNotFound: if the record has no such clock
    :raises InvalidClockOperation: if ``on`` is before the start or in the future
    """
    clock = _get(obj, name)
    if clock.state == MET:
        return clock
    on = _on(on, "date the clock stopped")
    _not_before(on, clock.started, "The clock cannot stop before it started")
    actor = _actor(actor)
    if clock.state == PAUSED:
        _close_pause(clock, max(on, clock.pauses[-1].start))
    clock.state = MET
    clock.met_on = on
    clock.add_history("stopped", on, actor)
    _changed(obj, events.ClockStopped, clock, actor, {"met_on": on.isoformat()})
    return clock


def pause(obj, name: str, reason: str, actor: str, on: date | None = None) -> Clock:
    """Pause a running clock, e.g. while waiting for clarification or a fee.

    :param reason: why (required, recorded and shown in the explanation)
    :param actor: user id of who paused it
    :returns: the Clock
    :raises ReasonRequired: if the reason is empty
    :raises ClockNotFound: if the record has no such clock
    :raises InvalidClockOperation: if the clock is not running or the date is impossible
    """
    reason = _reason(reason, "pause")
    clock = _get(obj, name)
    if clock.state != RUNNING:
        raise InvalidClockOperation(
            f"The clock {name!r} is {clock.state}; only a running clock can be paused."
        )
    on = _on(on, "pause date")
    _not_before(on, clock.started, "A clock cannot be paused before it started")
    if clock.pauses:
        _not_before(on, clock.pauses[-1].end, "A pause cannot begin before the previous one ended")
    actor = _actor(actor)
    clock.pauses = clock.pauses + (Pause(on, None, reason, actor, utcnow()),)
    clock.state = PAUSED
    clock.recompute()
    clock.add_history("paused", on, actor)
    _changed(obj, events.ClockPaused, clock, actor, {"on": on.isoformat(), "reason": reason})
    return clock


def resume(obj, name: str, on: date | None = None, actor: str | None = None) -> Clock:
    """Resume a paused clock; the due date moves by the days not counted.

    :returns: the Clock
    :raises ClockNotFound: if the record has no such clock
    :raises InvalidClockOperation: if the clock is not paused or ``on`` is before the pause began
    """
    clock = _get(obj, name)
    if clock.state != PAUSED:
        raise InvalidClockOperation(
            f"The clock {name!r} is {clock.state}; only a paused clock can be resumed."
        )
    on = _on(on, "resume date")
    _not_before(on, clock.pauses[-1].start, "A clock cannot resume before the day it was paused")
    actor = _actor(actor)
    _close_pause(clock, on)
    clock.state = RUNNING
    clock.recompute()
    clock.add_history("resumed", on, actor)
    _changed(obj, events.ClockResumed, clock, actor, {"on": on.isoformat()})
    return clock


def extend(
    obj,
    name: str,
    working_days: int | None = None,
    until: date | None = None,
    reason: str = "",
    actor: str | None = None,
) -> Clock:
    """Extend an open clock by a number of working days or to a later date, with a recorded reason.

    :param working_days: working days to add (working-day rules only)
    :param until: the new due date (must be after the current one)
    :param reason: why (required)
    :returns: the Clock
    :raises ReasonRequired: if the reason is empty
    :raises InvalidClockOperation: if neither or both of working_days/until are given, the number is not
        positive, the rule's maximum extension is exceeded, the date is not later, or the clock is met
    """
    reason = _reason(reason, "extension")
    clock = _get(obj, name)
    if clock.state == MET:
        raise InvalidClockOperation(f"The clock {name!r} was met; it cannot be extended.")
    if (working_days is None) == (until is None):
        raise InvalidClockOperation("Give either a number of working days or a new due date, not both.")
    if working_days is not None:
        if clock.rule.kind != "working":
            raise InvalidClockOperation("This clock counts calendar days; extend it to a date instead.")
        if not isinstance(working_days, int) or isinstance(working_days, bool) or working_days < 1:
            raise InvalidClockOperation("The extension must be a whole number of working days, at least 1.")
        already = sum(e.working_days or 0 for e in clock.extensions)
        limit = clock.rule.max_extension
        if limit is not None and already + working_days > limit:
            raise InvalidClockOperation(
                f"This clock may be extended by at most {limit} working days in total "
                f"({already} already used)."
            )
    elif until <= clock.due:
        raise InvalidClockOperation(
            f"The new due date must be after the current one, {short_date(clock.due)}."
        )
    actor = _actor(actor)
    today = london_today()
    clock.extensions = clock.extensions + (Extension(today, working_days, until, reason, actor, utcnow()),)
    clock.recompute()
    clock.add_history("extended", today, actor)
    details = {"working_days": working_days, "until": until.isoformat() if until else None, "reason": reason}
    _changed(obj, events.ClockExtended, clock, actor, details)
    return clock


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


# helpers


def _get(obj, name: str) -> Clock:
    clock = get(obj, name)
    if clock is None:
        raise ClockNotFound(f"This record has no clock called {name!r}.")
    return clock


def _reason(reason, what: str) -> str:
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise ReasonRequired(f"Give a reason for the {what}; it is recorded with the clock.")
    return reason


def _on(on, label: str) -> date:
    if on is None:
        return london_today()
    if not isinstance(on, date):
        raise InvalidClockOperation(f"The {label} must be a date.")
    if on > london_today():
        raise InvalidClockOperation(f"The {label} cannot be in the future.")
    return on


def _not_before(on: date, earliest: date | None, message: str) -> None:
    if earliest is not None and on < earliest:
        raise InvalidClockOperation(f"{message} ({short_date(earliest)}).")


def _close_pause(clock: Clock, end: date) -> None:
    last = clock.pauses[-1]
    clock.pauses = clock.pauses[:-1] + (Pause(last.start, end, last.reason, last.actor, last.recorded),)


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
