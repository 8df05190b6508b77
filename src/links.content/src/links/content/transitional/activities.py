"""The period's activities, counted from the records: the one place the transitional report's figures come
from (the record snapshots them on submission; the handover archive uses them when no report is signed).

Each record counts in the period by the date it carries for the activity: a visit by its visit date, a
published report by its publication date (or the day it was published), a request for information by the
day it was sent, an OSC referral by the day it was referred, a complaint by the day it was received and a
declaration by its date of change, a statutory deadline by its due date (met on time, met late, overdue...).
Drafts that never left the network (unsent requests, undeclared declarations, visits still to come) do not
count. Complaints count by outcome only, never by person.

This is not a hot path: it runs when a report is submitted or an archive is written, and reads the
objects of the five record types once (the dates are not catalog indexes).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from datetime import datetime

from plone import api

from links.content.clocks import api as clocks_api
from links.content.words import LONDON
from links.content.words import plural
from links.content.words import state_title

#: (key, heading) in the order the report lists them.
SECTIONS = (
    ("reports_published", "Enter and view reports published"),
    ("visits", "Enter and view visits made"),
    ("information_requests", "Requests for information, by outcome"),
    ("osc_referrals", "Referrals to overview and scrutiny committees, by outcome"),
    ("complaints", "Complaints, by outcome"),
    ("declarations", "Declarations of interest"),
    ("deadlines", "Statutory deadlines falling due, by outcome"),
)


def _in(day: date | None, start: date | None, end: date | None) -> bool:
    if day is None:
        return False
    return (start is None or day >= start) and (end is None or day <= end)


def _as_date(value) -> date | None:
    """A date from a date, a datetime (in London) or a Zope DateTime."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return (value.astimezone(LONDON) if value.tzinfo else value).date()
    if isinstance(value, date):
        return value
    if hasattr(value, "asdatetime"):  # Zope DateTime (creation dates, workflow history)
        return value.asdatetime().astimezone(LONDON).date()
    return None


class _States:
    """Workflow state titles ("Awaiting sign-off"), looked up once per type and state."""

    def __init__(self):
        self.cache: dict = {}

    def title(self, obj, state: str | None) -> str:
        key = (obj.portal_type, state)
        if key not in self.cache:
            title = state_title(obj, state) if state is not None else None
            self.cache[key] = title or (state or "no state").replace("_", " ").capitalize()
        return self.cache[key]


def _records(site, portal_type: str):
    """(object, review_state) of every record of the type below ``site``, whoever is asking."""
    catalog = api.portal.get_tool("portal_catalog")
    path = "/".join(site.getPhysicalPath())
    for brain in catalog.unrestrictedSearchResults(portal_type=portal_type, path=path):
        try:
            obj = brain._unrestrictedGetObject()
        except (AttributeError, KeyError):  # a stale catalog entry
            continue
        yield obj, brain.review_state


def _published_on(obj) -> date | None:
    """The report's publication date, else the day its last "publish" transition happened."""
    if getattr(obj, "publication_date", None):
        return obj.publication_date
    for entries in (getattr(obj, "workflow_history", None) or {}).values():
        for entry in reversed(entries):
            if entry.get("action") == "publish":
                return _as_date(entry.get("time"))
    return None


def _section(counter: Counter) -> dict:
    return {"total": sum(counter.values()), "breakdown": sorted(([k, n] for k, n in counter.items()))}


def count(site, start: date | None = None, end: date | None = None, today: date | None = None) -> dict:
    """Count the activities of the period.

    :param site: the Plone site (or a folder: only records below it count)
    :param start: first day of the period (None: from the beginning)
    :param end: last day of the period (None: up to today)
    :param today: the day the figures are taken (default: today); visits after it are not "made"
    :returns: JSON-ready ``{"period": {"start", "end"}, "taken_on", "sections": [{"key", "label", "total",
        "breakdown": [[label, count], ...]}, ...]}``
    """
    today = today or date.today()
    states = _States()
    counters = {key: Counter() for key, _label in SECTIONS}

    for obj, state in _records(site, "EnterAndViewReport"):
        visited = getattr(obj, "visit_date", None)
        if _in(visited, start, end) and visited <= today:
            counters["visits"][f"Report: {states.title(obj, state).lower()}"] += 1
        if state == "published" and _in(_published_on(obj), start, end):
            answered = bool(getattr(obj, "provider_response_date", None))
            counters["reports_published"][
                "With the provider's response" if answered else "Without a response from the provider"
            ] += 1

    for obj, state in _records(site, "InformationRequest"):
        if state == "draft":
            continue
        if not _in(getattr(obj, "sent_on", None) or _as_date(obj.created()), start, end):
            continue
        if getattr(obj, "response_received_on", None):
            outcome = "Answered"
        elif state == "closed":
            outcome = "Closed without an answer"
        else:
            outcome = "Awaiting an answer"
        counters["information_requests"][outcome] += 1

    for obj, state in _records(site, "OSCReferral"):
        if state == "draft":
            continue
        if not _in(getattr(obj, "referred_on", None) or _as_date(obj.created()), start, end):
            continue
        counters["osc_referrals"][states.title(obj, state)] += 1

    outcomes = _complaint_outcomes()
    for obj, state in _records(site, "Complaint"):
        if not _in(getattr(obj, "received", None) or _as_date(obj.created()), start, end):
            continue
        outcome = getattr(obj, "outcome", None)
        label = outcomes.get(outcome) if outcome else None
        counters["complaints"][label or f"No outcome yet ({states.title(obj, state).lower()})"] += 1

    for obj, state in _records(site, "DeclarationOfInterest"):
        if state == "draft":
            continue
        if not _in(getattr(obj, "date_of_change", None) or _as_date(obj.created()), start, end):
            continue
        counters["declarations"][states.title(obj, state)] += 1

    # One measure of lateness for every report: the clocks' own (Clock.met_late_days).
    for (title, outcome), entry in clocks_api.deadline_figures(site, start, end, today).items():
        label = f"{title}: {clocks_api.OUTCOMES[outcome]}"
        if entry["late_days"]:
            label += f" ({plural(entry['late_days'], entry['unit'])} late in all)"
        counters["deadlines"][label] += entry["count"]

    return {
        "period": {"start": start.isoformat() if start else None, "end": end.isoformat() if end else None},
        "taken_on": today.isoformat(),
        "sections": [{"key": key, "label": label, **_section(counters[key])} for key, label in SECTIONS],
    }


def _complaint_outcomes() -> dict[str, str]:
    try:
        from links.content.complaints.vocabularies import OUTCOMES
    except ImportError:
        return {}
    return {term.value: str(term.title) for term in OUTCOMES}
