"""The period's activities, counted from the records: the one place the transitional report's figures come
from (the record snapshots them on submission; the handover archive uses them when no report is signed).

Each record counts in the period by the date it carries for the activity: a visit by its visit date, a
published report by its publication date (or the day it was published), a request for information by the
day it was sent, an OSC referral by the day it was referred, a complaint by the day it was received and a
declaration by its date of change, a statutory deadline by its due date (met on time, met late, overdue...).
Drafts that never left the network (unsent requests, undeclared declarations, visits still to come) do not
count. Complaints count by outcome only, never by person.

The records are found through the catalog (``periodreport.figures``), so only the period's are read; the
deadlines come from the clocks area (``clocks.api.deadline_figures``, by due date).
"""

from __future__ import annotations

from datetime import date

from links.content.clocks import api as clocks_api
from links.content.periodreport import figures
from links.content.periodreport.figures import Tally
from links.content.periodreport.figures import as_date
from links.content.periodreport.figures import in_period
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
COUNTED_TYPES = (
    "EnterAndViewReport",
    "InformationRequest",
    "OSCReferral",
    "Complaint",
    "DeclarationOfInterest",
)


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
    tallies = {key: Tally(key, label) for key, label in SECTIONS}

    for obj, state in figures.find(site, COUNTED_TYPES, start, end):
        kind = obj.portal_type
        if kind == "EnterAndViewReport":
            visited = getattr(obj, "visit_date", None)
            if in_period(visited, start, end) and visited <= today:
                tallies["visits"].add(f"Report: {states.title(obj, state).lower()}")
            if state == "published" and in_period(figures.published_on(obj), start, end):
                answered = bool(getattr(obj, "provider_response_date", None))
                tallies["reports_published"].add(
                    "With the provider's response" if answered else "Without a response from the provider"
                )
        elif kind == "InformationRequest" and state != "draft" and in_period(_on(obj, "sent_on"), start, end):
            if getattr(obj, "response_received_on", None):
                outcome = "Answered"
            elif state == "closed":
                outcome = "Closed without an answer"
            else:
                outcome = "Awaiting an answer"
            tallies["information_requests"].add(outcome)
        elif kind == "OSCReferral" and state != "draft" and in_period(_on(obj, "referred_on"), start, end):
            tallies["osc_referrals"].add(states.title(obj, state))
        elif kind == "Complaint" and in_period(_on(obj, "received"), start, end):
            outcome = getattr(obj, "outcome", None)
            label = _complaint_outcomes().get(outcome) if outcome else None
            tallies["complaints"].add(label or f"No outcome yet ({states.title(obj, state).lower()})")
        elif (
            kind == "DeclarationOfInterest"
            and state != "draft"
            and in_period(_on(obj, "date_of_change"), start, end)
        ):
            tallies["declarations"].add(states.title(obj, state))

    # One measure of lateness for every report: the clocks' own (Clock.met_late_days).
    for (title, outcome), entry in clocks_api.deadline_figures(site, start, end, today).items():
        label = f"{title}: {clocks_api.OUTCOMES[outcome]}"
        if entry["late_days"]:
            label += f" ({plural(entry['late_days'], entry['unit'])} late in all)"
        tallies["deadlines"].add(label, n=entry["count"])

    return figures.document(start, end, today, [tallies[key] for key, _label in SECTIONS])


def _on(obj, name: str) -> date | None:
    """The record's date for the activity, else the day it was created."""
    return getattr(obj, name, None) or as_date(obj.created())


def _complaint_outcomes() -> dict[str, str]:
    from links.content.complaints.vocabularies import OUTCOMES

    return {term.value: str(term.title) for term in OUTCOMES}
