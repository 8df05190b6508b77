"""Where clocks live: an annotation on the record holding an OOBTree of Clock objects by name.

A clock keeps its rule snapshot, its pauses and extensions as small tuples of immutable records (a
clock has a handful at most), and its own short history. The due date is stored (so indexing and
listing never recount) and recomputed from start + pauses + extensions whenever the clock changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime

from BTrees.OOBTree import OOBTree
from persistent import Persistent

from links.content.annotations import annotated_tree
from links.content.clocks.rules import Computation
from links.content.clocks.rules import Rule
from links.content.clocks.rules import compute
from links.content.words import today as london_today
from links.content.words import utcnow

ANNOTATION_KEY = "links.content.clocks"

RUNNING = "running"
PAUSED = "paused"
MET = "met"
OVERDUE = "overdue"
OPEN_STATES = (RUNNING, PAUSED)


@dataclass(frozen=True)
class Pause:
    start: date
    end: date | None
    reason: str
    actor: str | None
    recorded: datetime  # aware UTC


@dataclass(frozen=True)
class Extension:
    on: date
    working_days: int | None
    until: date | None
    reason: str
    actor: str | None
    recorded: datetime


@dataclass(frozen=True)
class HistoryEntry:
    action: str  # started, paused, resumed, extended, stopped
    on: date
    actor: str | None
    recorded: datetime


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
        self.pauses: tuple[Pause, ...] = ()
        self.extensions: tuple[Extension, ...] = ()
        self.history: tuple[HistoryEntry, ...] = ()
        self.reminders_sent: frozenset = frozenset()  # {(kind, due)}
        self.due: date = self.computation().due

    def computation(self) -> Computation:
        return compute(self.rule, self.started, self.pauses, self.extensions, self.extra_days)

    def recompute(self) -> None:
        self.due = self.computation().due

    @property
    def explanation(self) -> str:
        text = self.computation().explanation
        if self.state == MET and self.met_on is not None:
            text += f" Met on {self.met_on:%A} {self.met_on.day} {self.met_on:%B %Y}."
        return text

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def status(self, today: date | None = None) -> str:
        """running, paused, met, or overdue (running and past its due date, today in Europe/London)."""
        if self.state == RUNNING and (today or london_today()) > self.due:
            return OVERDUE
        return self.state

    def add_history(self, action: str, on: date, actor: str | None) -> None:
        self.history = self.history + (HistoryEntry(action, on, actor, utcnow()),)

    def __repr__(self):
        return f"<Clock {self.name} {self.state} due {self.due.isoformat()}>"


def clock_map(obj, create: bool = False) -> OOBTree | None:
    """The record's clocks by name (None if it has none and create is False)."""
    return annotated_tree(obj, ANNOTATION_KEY, create)
