"""Counting a period's records through the catalog: the machinery every period report's figures use.

Each counted record type indexes the days it did something on (catalog index ``period_dates``, ISO dates): a
visit's date and the day its report was published, the day a request for information was sent or a
referral made, the day a complaint was received and the day an appeal was asked for, the day an FOI request
was received, the day a declaration was made and the day of the change it declares, the day a relevant
decision was taken. A period's records are therefore one catalog query on that index, never a walk of the
site; only the records it finds are read, to classify them (an outcome, a clock met or late). Dates are
days in England: a publication at 00:30 BST on 1 April belongs to the new financial year.

A ``Tally`` counts one figure: rows ("Upheld", "Answered late") with the records each row counts, so a report
can link every number to its records for the people who may see them.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Iterator
from datetime import date
from datetime import datetime

from plone import api

from links.content.words import LONDON

INDEX = "period_dates"

#: Clock results (``clock_result``).
MET = "met"
MET_LATE = "met-late"
OPEN = "open"
OVERDUE = "overdue"
PAUSED = "paused"
ENDED = "ended"


def as_date(value) -> date | None:
    """A day in England from a date, a datetime (aware ones in London time) or a Zope DateTime."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value.astimezone(LONDON) if value.tzinfo else value).date()
    if isinstance(value, date):
        return value
    if hasattr(value, "asdatetime"):  # Zope DateTime (creation dates, workflow history)
        return value.asdatetime().astimezone(LONDON).date()
    return None


def in_period(day: date | None, start: date | None, end: date | None) -> bool:
    """Whether ``day`` falls in the period (both ends included; None: open-ended)."""
    if day is None:
        return False
    return (start is None or day >= start) and (end is None or day <= end)


def published_on(obj) -> date | None:
    """A report's publication date, else the day (London) of its last "publish" transition."""
    if getattr(obj, "publication_date", None):
        return obj.publication_date
    for entries in (getattr(obj, "workflow_history", None) or {}).values():
        for entry in reversed(entries):
            if entry.get("action") == "publish":
                return as_date(entry.get("time"))
    return None


def _created(obj) -> date | None:
    created = getattr(obj, "created", None)
    return as_date(created()) if callable(created) else None


#: portal_type -> the days a record of that type counts on in a period report. A record without its own
#: date (a request never sent) counts on the day it was created, as the transitional report always did.
DATES = {
    "EnterAndViewReport": lambda o: [getattr(o, "visit_date", None), published_on(o)],
    "InformationRequest": lambda o: [getattr(o, "sent_on", None) or _created(o)],
    "OSCReferral": lambda o: [getattr(o, "referred_on", None) or _created(o)],
    "Complaint": lambda o: [
        getattr(o, "received", None) or _created(o),
        getattr(o, "appeal_requested_on", None),
    ],
    "FOIRequest": lambda o: [getattr(o, "received", None) or _created(o)],
    "DeclarationOfInterest": lambda o: [
        getattr(o, "declared_on", None),
        getattr(o, "date_of_change", None) or _created(o),
    ],
    "DecisionStatement": lambda o: [getattr(o, "decided_on", None) or _created(o)],
}
COUNTED_TYPES = tuple(DATES)


def record_dates(obj) -> list[str]:
    """The ``period_dates`` of a record: its activity days as sorted ISO dates (empty for other types)."""
    dates_of = DATES.get(getattr(obj, "portal_type", None))
    if dates_of is None:
        return []
    return sorted({day.isoformat() for day in map(as_date, dates_of(obj)) if day is not None})


def find(site, portal_types: Iterable[str], start: date | None = None, end: date | None = None) -> Iterator:
    """The records of the types with an activity day in the period, whoever is asking (counting is not
    disclosure: the figures hold numbers, and links are filtered per reader).

    :param site: the Plone site, or a folder: only records below it count
    :param portal_types: counted types (keys of ``DATES``)
    :param start: first day of the period (None: from the beginning)
    :param end: last day (None: no end)
    :returns: iterator of ``(object, review_state)``
    """
    catalog = api.portal.get_tool("portal_catalog")
    query = {"portal_type": list(portal_types), "path": "/".join(site.getPhysicalPath())}
    if start is not None or end is not None:
        bounds = [day.isoformat() for day in (start, end) if day is not None]
        usage = "min:max" if len(bounds) == 2 else ("min" if start is not None else "max")
        query[INDEX] = {"query": bounds if len(bounds) == 2 else bounds[0], "range": usage}
    for brain in catalog.unrestrictedSearchResults(**query):
        try:
            obj = brain._unrestrictedGetObject()
        except (AttributeError, KeyError):  # a stale catalog entry
            continue
        yield obj, brain.review_state


def clock_result(obj, name: str, today: date) -> str | None:
    """How a record's clock stood on ``today``, by the clocks' own measure (``clocks.api.outcome``): met,
    met late, ended without an answer, overdue or open, and paused for an open clock that is paused.

    :returns: one of ``MET``, ``MET_LATE``, ``ENDED``, ``PAUSED``, ``OVERDUE``, ``OPEN``; None when the
        record has no such clock
    """
    from links.content.clocks import api as clocks_api

    clock = clocks_api.get(obj, name)
    if clock is None:
        return None
    outcome = clocks_api.outcome(clock, today)
    if outcome in ("open", "overdue") and clock.state == "paused":
        return PAUSED
    return {"met_on_time": MET, "met_late": MET_LATE, "ended": ENDED, "overdue": OVERDUE}.get(outcome, OPEN)


def deadline_words(obj, name: str) -> str:
    """The time a record's clock allows, in words: "20 working days", "28 days", "3 months"."""
    from links.content.clocks import api as clocks_api
    from links.content.clocks.exceptions import ClockError

    clock = clocks_api.get(obj, name)
    try:
        rule = clock.rule if clock is not None else clocks_api.configured_rules().get(name)
    except ClockError:  # the rules record is broken: say nothing rather than guess
        rule = None
    if rule is None:
        return "the time allowed"
    unit = {"working": ("working day", "working days"), "calendar": ("day", "days")}.get(
        rule.kind, ("month", "months")
    )
    return f"{rule.count} {unit[0] if rule.count == 1 else unit[1]}"


class Tally:
    """One figure of a report: rows with the records each counts.

    :param key: stable key of the figure (e.g. "complaints")
    :param label: its heading, as people read it
    :param note: what is counted, in a sentence (optional)
    :param order: row labels in the order to show them (others follow alphabetically)
    """

    def __init__(self, key: str, label: str, note: str = "", order: Iterable[str] = ()):
        self.key, self.label, self.note = key, label, note
        self.order = list(order)
        self.counts: dict[str, int] = {}
        self.uids: dict[str, list[str]] = {}

    def add(self, row: str, obj=None, n: int = 1) -> None:
        """Count ``n`` under ``row`` (a record's n recommendations, say), remembering the record."""
        self.counts[row] = self.counts.get(row, 0) + n
        uids = self.uids.setdefault(row, [])
        uid = obj.UID() if obj is not None else None
        if uid and uid not in uids:
            uids.append(uid)

    def rows(self) -> list[str]:
        known = [row for row in self.order if row in self.counts]
        return known + sorted(row for row in self.counts if row not in self.order)

    def as_dict(self) -> dict:
        """JSON-ready: ``{"key", "label", "total", "breakdown": [[row, n], ...]}`` (and ``note``)."""
        data = {
            "key": self.key,
            "label": self.label,
            "total": sum(self.counts.values()),
            "breakdown": [[row, self.counts[row]] for row in self.rows()],
        }
        if self.note:
            data["note"] = self.note
        return data

    def records(self) -> dict[str, list[str]]:
        """Row -> the UIDs of the records it counts."""
        return {row: list(self.uids[row]) for row in self.rows() if self.uids.get(row)}


def document(start: date | None, end: date | None, today: date, tallies: list[Tally], **extra) -> dict:
    """The figures as stored on a report: period, the day they were taken, one section per tally.

    :returns: ``{"period": {"start", "end"}, "taken_on", "sections": [...], **extra}``
    """
    return {
        "period": {"start": start.isoformat() if start else None, "end": end.isoformat() if end else None},
        "taken_on": today.isoformat(),
        "sections": [tally.as_dict() for tally in tallies],
        **extra,
    }


def records_of(tallies: list[Tally]) -> dict[str, dict[str, list[str]]]:
    """Section key -> row -> UIDs: which records each number counts."""
    return {tally.key: tally.records() for tally in tallies if tally.records()}
