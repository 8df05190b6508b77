"""Where clocks live: an annotation on the record holding an OOBTree of Clock objects by name.

A clock keeps its rule snapshot, its pauses and extensions as small tuples of immutable records (a
clock has a handful at most), and its own short history. The due date is stored (so indexing and
listing never recount) and recomputed from start + pauses + extensions whenever the clock changes.

Fields added to the records after 1.0 have class-level defaults, so clocks pickled before read as
"not backdated", "an ordinary pause" and so on without a migration.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace
from datetime import date
from datetime import datetime

from BTrees.OOBTree import OOBTree
from persistent import Persistent

from links.content.annotations import annotated_tree
from links.content.clocks.rules import PAUSE
from links.content.clocks.rules import Computation
from links.content.clocks.rules import Rule
from links.content.clocks.rules import compute
from links.content.clocks.rules import working_days_between
from links.content.words import long_date
from links.content.words import plural
from links.content.words import today as london_today
from links.content.words import utcnow

ANNOTATION_KEY = "links.content.clocks"

RUNNING = "running"
PAUSED = "paused"
MET = "met"
ENDED = "ended"
OVERDUE = "overdue"
OPEN_STATES = (RUNNING, PAUSED)
STATUS_WORDS = {RUNNING: "Running", PAUSED: "Paused", MET: "Met", ENDED: "Ended", OVERDUE: "Overdue"}


#: What a reader who may not read the record's free text sees instead of a pause or extension reason.
REASON_WITHHELD = "reason withheld"


@dataclass(frozen=True)
class Pause:
    """A pause (or fees notice, or wait for clarification: ``kind``) from ``start`` until ``end``.

    ``backdated``/``end_backdated``: how many working days before the day it was recorded the start/end
    is dated, when that is more than the registry allows without a Manager (else 0).
    """

    start: date
    end: date | None
    reason: str
    actor: str | None
    recorded: datetime  # aware UTC
    kind: str = PAUSE
    backdated: int = 0
    end_actor: str | None = None
    end_recorded: datetime | None = None
    end_reason: str = ""
    end_backdated: int = 0


@dataclass(frozen=True)
class Extension:
    """An extension decided on ``on``: by an amount in the rule's unit, or to the date ``until``."""

    on: date
    working_days: int | None
    until: date | None
    reason: str
    actor: str | None
    recorded: datetime
    days: int | None = None
    months: int | None = None
    backdated: int = 0


@dataclass(frozen=True)
class HistoryEntry:
    action: str  # started, paused, resumed, extended, stopped, ended
    on: date
    actor: str | None
    recorded: datetime
    backdated: int = 0


class Clock(Persistent):
    """One statutory clock on one record."""

    def __init__(self, name: str, rule: Rule, started: date, extra_days=()):
        self.name = name
        self.rule = rule
        self.started = started
        # Snapshot of the network's extra non-working days, for the same reason as the rule snapshot.
        self.extra_days = frozenset(d for d in extra_days if d >= started)
        self.state = RUNNING
        self.met_on: date | None = None
        self.ended_on: date | None = None
        self.end_reason = ""
        self.pauses: tuple[Pause, ...] = ()
        self.extensions: tuple[Extension, ...] = ()
        self.history: tuple[HistoryEntry, ...] = ()
        self.reminders_sent: frozenset = frozenset()  # {(kind, due)}
        self.due: date = self.computation().due

    def computation(self) -> Computation:
        return compute(self.rule, self.started, self.pauses, self.extensions, self.extra_days)

    def recompute(self) -> None:
        self.due = self.computation().due

    # Clocks created before 1.1 have no such attributes.
    ended_on = None
    end_reason = ""

    @property
    def explanation(self) -> str:
        return self.explain()

    def explain(self, reasons: bool = True) -> str:
        """How the due date was worked out, in plain English.

        :param reasons: False for a reader who may not read the record's free text
            (``links.content.disclosure.may_read_free_text``): each pause, extension and end keeps its
            dates and "reason withheld" instead of its reason.
        """
        if reasons:
            text = self.computation().explanation
        else:
            pauses = tuple(replace(p, reason=REASON_WITHHELD) for p in self.pauses)
            extensions = tuple(replace(e, reason=REASON_WITHHELD) for e in self.extensions)
            text = compute(self.rule, self.started, pauses, extensions, self.extra_days).explanation
        if self.state == MET and self.met_on is not None:
            late = self.met_late_days
            text += f" Met on {long_date(self.met_on)}"
            text += f", {plural(late, self.late_unit)} late." if late else "."
            stopped = self.history[-1] if self.history and self.history[-1].action == "stopped" else None
            if stopped is not None and stopped.backdated:
                text = text[:-1] + f" (recorded {plural(stopped.backdated, 'working day')} later)."
        elif self.state == ENDED and self.ended_on is not None:
            text += (
                f" Ended on {long_date(self.ended_on)}: {self.end_reason if reasons else REASON_WITHHELD}."
            )
        return text

    @property
    def late_unit(self) -> str:
        """What lateness is counted in: working days for working-day rules, else days."""
        return "working day" if self.rule.kind == "working" else "day"

    @property
    def met_late_days(self) -> int | None:
        """How late the clock was met: working days after the due date up to and including the day it
        was met (calendar days for calendar rules); 0 when met on time, None while not met.

        This is the one measure of lateness: the record's page, the dashboard, REST and the reports'
        figures all read it.
        """
        if self.state != MET or self.met_on is None:
            return None
        if self.met_on <= self.due:
            return 0
        if self.rule.kind != "working":
            return (self.met_on - self.due).days
        return working_days_between(self.rule.calendar, self.extra_days, self.due, self.met_on)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def status(self, today: date | None = None) -> str:
        """running, paused, met, ended, or overdue (running and past its due date, today in Europe/London)."""
        if self.state == RUNNING and (today or london_today()) > self.due:
            return OVERDUE
        return self.state

    def status_text(self, today: date | None = None) -> str:
        """The status in words: "Running", "Overdue", "Met", "Met 25 working days late"..."""
        late = self.met_late_days
        if late:
            return f"Met {plural(late, self.late_unit)} late"
        return STATUS_WORDS[self.status(today)]

    def add_history(self, action: str, on: date, actor: str | None, backdated: int = 0) -> None:
        self.history = self.history + (HistoryEntry(action, on, actor, utcnow(), backdated),)

    def __repr__(self):
        return f"<Clock {self.name} {self.state} due {self.due.isoformat()}>"


def clock_map(obj, create: bool = False) -> OOBTree | None:
    """The record's clocks by name (None if it has none and create is False)."""
    return annotated_tree(obj, ANNOTATION_KEY, create)
