"""The annual report's figures, counted from the records of one financial year through the catalog.

Which records count, and on which day (England), is said in each figure's note, so a reader can check it:
a visit counts in the year of its visit date, a published report in the year it was published, a request
for information or a referral in the year it was sent, a complaint or an FOI request in the year it was
received, an appeal in the year it was asked for, a declaration in the year it was made, a decision in the
year it was taken. Outcomes and deadlines are as they stood on the day the figures were taken (the report's
submission), which is printed with them. Complaints and FOI requests are counted by outcome and deadline,
never by person: no figure names anyone.

Deadlines are the records' statutory clocks, judged by the clocks' own measure (``clocks.api.outcome``):
"in time" means met by the due date, "late" after it, "overdue" still open after it.
"""

from __future__ import annotations

import re
from datetime import date
from datetime import datetime

from plone import api

from links.content.periodreport import figures
from links.content.periodreport.figures import Tally
from links.content.periodreport.figures import clock_result
from links.content.periodreport.figures import deadline_words
from links.content.periodreport.figures import in_period
from links.content.words import LONDON
from links.content.words import fullname
from links.content.words import translate

COUNTED_TYPES = figures.COUNTED_TYPES

#: (key, heading) in the order the report prints them.
SECTIONS = (
    ("visits_by_service", "Enter and view visits, by type of service"),
    ("visits_by_announcement", "Enter and view visits, announced or not"),
    ("reports_published", "Enter and view reports published"),
    ("recommendations", "Recommendations made to providers"),
    ("provider_responses", "Providers' responses to our recommendations"),
    ("information_requests", "Requests for information we sent"),
    ("osc_referrals", "Referrals to overview and scrutiny committees"),
    ("complaints", "Complaints received, by outcome"),
    ("complaint_deadlines", "Complaint deadlines met"),
    ("appeals", "Appeals, by decision"),
    ("foi_outcomes", "Freedom of information requests, by outcome"),
    ("foi_deadlines", "Freedom of information requests answered in time"),
    ("declarations", "Declarations of interest made"),
    ("decisions", "Relevant decisions published"),
)
LABELS = dict(SECTIONS)

NOTES = {
    "visits_by_service": "Visits whose date fell in the year, by the type of service of the provider "
    "visited.",
    "visits_by_announcement": "The same visits, by whether the provider was told of the visit in advance.",
    "reports_published": "Reports published in the year, and whether the provider's response was "
    "published with them.",
    "recommendations": "Recommendations in the reports of the year's visits that were sent to the "
    "provider, by the type of service (each numbered or bulleted recommendation counts once).",
    "provider_responses": "Reports of the year's visits with recommendations, by whether the provider "
    "responded in the time allowed.",
    "information_requests": "Requests sent in the year, by whether they were answered in the time allowed.",
    "osc_referrals": "Referrals made in the year, by whether the committee acknowledged them in the time "
    "allowed.",
    "complaints": "Complaints received in the year, by outcome.",
    "complaint_deadlines": "Each deadline of the complaints received in the year (acknowledgement, "
    "response, appeal decision): met in time, met late, or still open.",
    "appeals": "Appeals asked for in the year, by the independent reviewer's decision.",
    "foi_outcomes": "Freedom of information requests received in the year, by outcome.",
    "foi_deadlines": "The same requests, by whether they were answered in the time allowed.",
    "declarations": "Declarations of interest made in the year, by whether they were made within the time "
    "allowed after the change they declare.",
    "decisions": "Statements of relevant decisions taken in the year, by kind of decision.",
}

PROVIDER_RESPONSE = "provider-response"
INFORMATION_RESPONSE = "information-request-response"
OSC_ACKNOWLEDGEMENT = "osc-acknowledgement"
FOI_RESPONSE = "foi-response"
#: Complaint clocks and the deadline each is, in words.
COMPLAINT_CLOCKS = (
    ("complaint-acknowledgement", "Acknowledged"),
    ("complaint-response", "Responded to"),
    ("appeal-decision", "Appeal decided"),
)
#: Reports sent to the provider (its response clock runs from then).
SENT_STATES = ("sent_to_provider", "published")


def _title(vocabulary, value) -> str | None:
    try:
        return translate(vocabulary.getTerm(value).title)
    except LookupError:
        return None


def _order(done: str, waiting: str, within: str) -> list[str]:
    return [
        f"{done} within {within}",
        f"{done} late (after {within})",
        f"{waiting}: still in time",
        f"{waiting}: clock paused",
        f"{waiting}: overdue",
        "Ended without an answer",
    ]


def _add_timeliness(tally: Tally, obj, clock: str, done: str, waiting: str, today: date) -> None:
    """Count a record by how its clock stands: "<done> within 20 working days", "<done> late", waiting..."""
    within = deadline_words(obj, clock)
    rows = _order(done, waiting, within)
    tally.order += [row for row in rows if row not in tally.order]
    index = {
        figures.MET: 0,
        figures.MET_LATE: 1,
        figures.OPEN: 2,
        figures.PAUSED: 3,
        figures.OVERDUE: 4,
        figures.ENDED: 5,
    }
    result = clock_result(obj, clock, today)
    tally.add(rows[index[result]] if result in index else "No deadline recorded", obj)


def recommendations_in(obj) -> int:
    """How many recommendations a report makes: its list items, else its paragraphs (0 when empty)."""
    value = getattr(obj, "recommendations", None)
    html = (getattr(value, "raw", None) or "") if value is not None else ""
    items = len(re.findall(r"<li[\s>]", html, flags=re.IGNORECASE))
    if items:
        return items
    text = re.sub(r"<[^>]+>", " ", html)
    if not text.strip():
        return 0
    return max(1, len(re.findall(r"<p[\s>]", html, flags=re.IGNORECASE)))


def _service_type(obj) -> str:
    from links.content.records.vocabularies import SERVICE_TYPES

    provider = getattr(getattr(obj, "provider", None), "to_object", None)
    return _title(SERVICE_TYPES, getattr(provider, "service_type", None)) or "Provider not recorded"


def count(site, start: date, end: date, today: date) -> tuple[dict, dict]:
    """Count the figures of the financial year.

    :param site: the Plone site (or a folder: only records below it count)
    :param start: 1 April of the year
    :param end: 31 March of the next year
    :param today: the day the figures are taken (outcomes and deadlines as they stand that day)
    :returns: ``(figures, counted_records)``: the JSON-ready figures (``periodreport.figures.document`` plus
        ``people``) and, per figure and row, the UIDs of the records counted
    """
    year = _Year(start, end, today)
    for obj, state in figures.find(site, COUNTED_TYPES, start, end):
        getattr(year, obj.portal_type)(obj, state)
    _set_orders(year.tallies)
    ordered = [year.tallies[key] for key, _label in SECTIONS]
    people = {
        "representatives": representatives(site, start, end),
        "decision_makers": decision_makers(year.decisions, start, end),
    }
    return figures.document(start, end, today, ordered, people=people), figures.records_of(ordered)


class _Year:
    """The tallies of one year, and one method per counted type (named after it) that counts a record."""

    def __init__(self, start: date, end: date, today: date):
        from links.content.declarations.api import policy

        self.start, self.end, self.today = start, end, today
        self.tallies = {key: Tally(key, label, NOTES[key]) for key, label in SECTIONS}
        self.window = policy()["update_window_days"]
        self.decisions: list = []

    def during(self, day) -> bool:
        return in_period(day, self.start, self.end)

    def EnterAndViewReport(self, obj, state):  # noqa: N802 (named after the type)
        from links.content.records.vocabularies import VISIT_ANNOUNCEMENTS

        visited = getattr(obj, "visit_date", None)
        if self.during(visited) and visited <= self.today:
            service = _service_type(obj)
            self.tallies["visits_by_service"].add(service, obj)
            announced = _title(VISIT_ANNOUNCEMENTS, getattr(obj, "announcement", None))
            self.tallies["visits_by_announcement"].add(announced or "Not recorded", obj)
            made = recommendations_in(obj)
            if made and state in SENT_STATES:
                self.tallies["recommendations"].add(service, obj, n=made)
                _add_timeliness(
                    self.tallies["provider_responses"],
                    obj,
                    PROVIDER_RESPONSE,
                    "Responded",
                    "No response yet",
                    self.today,
                )
        if state == "published" and self.during(figures.published_on(obj)):
            answered = bool(getattr(obj, "provider_response_date", None))
            self.tallies["reports_published"].add(
                "With the provider's response" if answered else "Without a response from the provider", obj
            )

    def InformationRequest(self, obj, state):  # noqa: N802
        if state == "draft" or not self.during(getattr(obj, "sent_on", None)):
            return
        tally = self.tallies["information_requests"]
        if state == "closed" and not getattr(obj, "response_received_on", None):
            tally.add("Closed without an answer", obj)
        else:
            _add_timeliness(tally, obj, INFORMATION_RESPONSE, "Answered", "No answer yet", self.today)

    def OSCReferral(self, obj, state):  # noqa: N802
        if state == "draft" or not self.during(getattr(obj, "referred_on", None)):
            return
        tally = self.tallies["osc_referrals"]
        _add_timeliness(tally, obj, OSC_ACKNOWLEDGEMENT, "Acknowledged", "Not acknowledged yet", self.today)

    def Complaint(self, obj, state):  # noqa: N802
        from links.content.complaints.vocabularies import APPEAL_DECISIONS
        from links.content.complaints.vocabularies import OUTCOMES

        if self.during(getattr(obj, "received", None)):
            outcome = _title(OUTCOMES, getattr(obj, "outcome", None))
            self.tallies["complaints"].add(outcome or "No outcome yet", obj)
            for clock, done in COMPLAINT_CLOCKS:
                if clock_result(obj, clock, self.today) is not None:
                    tally = self.tallies["complaint_deadlines"]
                    _add_timeliness(tally, obj, clock, done, f"{done} not yet", self.today)
        if self.during(getattr(obj, "appeal_requested_on", None)):
            decision = _title(APPEAL_DECISIONS, getattr(obj, "appeal_decision", None))
            self.tallies["appeals"].add(decision or "Not decided yet", obj)

    def FOIRequest(self, obj, state):  # noqa: N802
        from links.content.foi.vocabularies import OUTCOMES

        if not self.during(getattr(obj, "received", None)):
            return
        answered = state not in ("received", "in_progress", "awaiting_clarification")
        outcome = _title(OUTCOMES, getattr(obj, "outcome", None)) if answered else None
        self.tallies["foi_outcomes"].add(outcome or "Not answered yet", obj)
        tally = self.tallies["foi_deadlines"]
        _add_timeliness(tally, obj, FOI_RESPONSE, "Answered", "Not answered yet", self.today)

    def DeclarationOfInterest(self, obj, state):  # noqa: N802
        from links.content.declarations.api import declared_on

        made = declared_on(obj)
        if state == "draft" or not self.during(made):
            return
        changed = getattr(obj, "date_of_change", None)
        if changed is None:
            row = "No date of change given"
        elif (made - changed).days <= self.window:
            row = f"Within {self.window} days of the change"
        else:
            row = f"More than {self.window} days after the change"
        self.tallies["declarations"].add(row, obj)

    def DecisionStatement(self, obj, state):  # noqa: N802
        from links.content.records.vocabularies import DECISION_CATEGORIES

        if self.during(getattr(obj, "decided_on", None)):
            category = _title(DECISION_CATEGORIES, getattr(obj, "category", None))
            self.tallies["decisions"].add(category or "Other decisions", obj)
            self.decisions.append(obj)


def _set_orders(tallies: dict) -> None:
    """Outcome rows in the order of their vocabulary, "not yet" last (timeliness rows order themselves)."""
    from links.content.complaints.vocabularies import APPEAL_DECISIONS
    from links.content.complaints.vocabularies import OUTCOMES as COMPLAINT_OUTCOMES
    from links.content.foi.vocabularies import OUTCOMES as FOI_OUTCOMES

    tallies["complaints"].order = [translate(t.title) for t in COMPLAINT_OUTCOMES] + ["No outcome yet"]
    tallies["appeals"].order = [translate(t.title) for t in APPEAL_DECISIONS] + ["Not decided yet"]
    tallies["foi_outcomes"].order = [translate(t.title) for t in FOI_OUTCOMES] + ["Not answered yet"]
    tallies["reports_published"].order = [
        "With the provider's response",
        "Without a response from the provider",
    ]
    tallies["information_requests"].order.append("Closed without an answer")


def representatives(site, start: date, end: date) -> list[str]:
    """Printed names of the authorised representatives whose authorisation was in force on some day of the
    year (by the same rule visits are checked against: authorised, DBS check clear and considered by
    someone else, not expired)."""
    from links.content.records.api import AUTHORISATION_TYPE
    from links.content.records.api import _problem_with as authorisation_problem_with

    catalog = api.portal.get_tool("portal_catalog")
    names = set()
    for brain in catalog.unrestrictedSearchResults(
        portal_type=AUTHORISATION_TYPE, path="/".join(site.getPhysicalPath())
    ):
        authorisation = brain._unrestrictedGetObject()
        userid = (getattr(authorisation, "representative", None) or "").strip()
        # The first day of the year it could have been in force.
        first = max(d for d in (start, authorisation.authorised_on, authorisation.dbs_check_date) if d)
        if userid and first <= end and authorisation_problem_with(authorisation, userid, first) is None:
            names.add(fullname(userid))
    return sorted(names)


def decision_makers(statements: list, start: date, end: date) -> list[str]:
    """Printed names of the people involved in the year's relevant decisions: who recorded each decision
    statement, and the governing body members who signed (or refused to sign) the record it concerns in the
    year. Only people with an account on the site count (not the Zope administrator)."""
    from links.content.signing.api import signatures

    userids = set()
    for statement in statements:
        userids.update(statement.listCreators() or ())
        record = getattr(getattr(statement, "related_record", None), "to_object", None)
        if record is None:
            continue
        for signature in signatures(record, verify=False):
            signed = datetime.fromisoformat(signature["time"]).astimezone(LONDON).date()
            if in_period(signed, start, end):
                userids.add(signature["signer"])
    return sorted({fullname(u) for u in userids if u and api.user.get(userid=u) is not None})
