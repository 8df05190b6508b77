"""Demo complaints (one in every state of the procedure), information requests and OSC referrals.

Paths: ``/complaints`` (private; complaints officers, council auditors and independent reviewers
have local roles there), ``/information-requests`` and ``/referrals``. The investigating officer of
every complaint is the demo user ``complaints`` (Sandra Kowalski); the complaint "under independent
review" is assigned to ``reviewer`` (Richard Osei) through the independence checks of
links.content.complaints.api. Each demo record carries a ``demo_key`` so the step is idempotent.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from plone import api

from links.content.complaints import api as complaints_api
from links.content.complaints.rules import today

logger = logging.getLogger("links.policy.demo")

OFFICER = "complaints"
REVIEWER = "reviewer"

PATH = [
    "received",
    "acknowledged",
    "under_investigation",
    "response_sent",
    "appeal_requested",
    "under_independent_review",
    "appeal_decided",
    "closed",
]

#: demo key -> (target state, days since receipt, appealed?, field values)
COMPLAINTS = {
    "new-phone-call": (
        "received",
        1,
        False,
        {
            "how_received": "phone",
            "about": "host",
            "complainant_name": "Brian Ashworth",
            "complainant_phone": "01632 960 418",
            "preferred_format": "large-print",
            "details": "I rang three times about the carers' forum and nobody called me back.",
        },
    ),
    "drop-in-access": (
        "acknowledged",
        6,
        False,
        {
            "how_received": "email",
            "about": "network",
            "complainant_name": "Joy Adeyemi",
            "complainant_email": "joy.adeyemi@example.org",
            "preferred_format": "email",
            "details": "The October drop-in at Eastgate Library was upstairs with no lift.",
        },
    ),
    "volunteer-conduct": (
        "under_investigation",
        12,
        False,
        {
            "how_received": "letter",
            "about": "participant",
            "participant_concerned": "participant",
            "complainant_name": "Harold Finch",
            "complainant_address": "7 Mill Lane, Northbridge NB5 3ML",
            "preferred_format": "standard",
            "details": "A volunteer at the Riverside stall repeated my story to other people.",
        },
    ),
    "survey-language": (
        "response_sent",
        25,
        False,
        {
            "how_received": "web-form",
            "about": "network",
            "complainant_name": "Kasia Nowak",
            "complainant_email": "k.nowak@example.org",
            "preferred_language": "Polish",
            "details": "The hospital discharge survey was only in English.",
            "findings": "The survey was published without the translations the steering group had agreed.",
            "outcome": "upheld",
            "remedies": "Polish, Urdu and Bengali versions published; translation added to the checklist.",
        },
    ),
    "minutes-delay": (
        "appeal_requested",
        30,
        True,
        {
            "how_received": "email",
            "about": "host",
            "complainant_name": "Colin Reeve",
            "complainant_email": "colin.reeve@example.org",
            "details": "Governing body minutes were published two months late.",
            "findings": "Minutes were late twice this year because of staff absence.",
            "outcome": "partly-upheld",
            "remedies": "A second member of staff now takes minutes.",
            "appeal_grounds": "Staff absence is not an excuse; the constitution says 14 days.",
        },
    ),
    "membership-refused": (
        "under_independent_review",
        35,
        True,
        {
            "how_received": "letter",
            "about": "network",
            "complainant_name": "Elaine Morris",
            "complainant_address": "22 Station Road, Northbridge NB1 4SR",
            "preferred_format": "easy-read",
            "details": "My application to join the governing body was refused without reasons.",
            "findings": "The decision followed the membership procedure but the letter gave no reasons.",
            "outcome": "partly-upheld",
            "remedies": "Reasons sent in writing; template letter changed.",
            "appeal_grounds": "The procedure itself is unfair to people who cannot attend evening meetings.",
        },
    ),
    "report-accuracy": (
        "appeal_decided",
        45,
        True,
        {
            "how_received": "email",
            "about": "network",
            "complainant_name": "Dr Nadia Rahman",
            "complainant_email": "n.rahman@example.org",
            "details": "The enter-and-view report on Ward 7 quoted me without my consent.",
            "findings": "The quotation was anonymised but the context made it identifiable.",
            "outcome": "upheld",
            "remedies": "The report was corrected and the representatives retrained on consent.",
            "appeal_grounds": "An apology is not enough; the report should be withdrawn.",
            "appeal_decision": "not-upheld",
            "appeal_reasons": "The correction removed the identifying context; withdrawal is excessive.",
        },
    ),
    "event-cancelled": (
        "closed",
        60,
        False,
        {
            "how_received": "in-person",
            "about": "host",
            "complainant_name": "George Pryce",
            "complainant_phone": "01632 960 772",
            "details": "The mental health listening event was cancelled on the day without notice.",
            "findings": "The venue cancelled at short notice; we did not text the people who had booked.",
            "outcome": "upheld",
            "remedies": "Bookings now take a mobile number; the event was rearranged for 4 December.",
            "lessons_learned": "Keep a way to reach everyone who books.",
        },
    ),
    "newsletter-data": (
        "closed",
        70,
        True,
        {
            "how_received": "email",
            "about": "host",
            "complainant_name": "Mary O'Brien",
            "complainant_email": "mary.obrien@example.org",
            "details": "I kept receiving the newsletter after asking to be removed.",
            "findings": "The unsubscribe request was recorded in the old list only.",
            "outcome": "upheld",
            "remedies": "Lists merged; all unsubscribe requests reapplied.",
            "appeal_grounds": "I want compensation.",
            "appeal_decision": "not-upheld",
            "appeal_reasons": "No financial loss was shown; the remedy was proportionate.",
            "lessons_learned": "One mailing list only.",
        },
    ),
}

INFORMATION_REQUESTS = {
    "discharge-delays": (
        "sent",
        {
            "title": "Delayed discharges from Northbridge General Hospital",
            "addressee": "Northbridge and District Integrated Care Board",
            "addressee_kind": "commissioner",
            "questions": "How many discharges from Ward 7 were delayed by more than 48 hours in October?",
        },
        10,
    ),
    "night-staffing": (
        "answered",
        {
            "title": "Night staffing at Elm Lodge Care Home",
            "addressee": "Elm Lodge Care Home (registered manager)",
            "addressee_kind": "provider",
            "questions": "How many care staff are on duty at night on each floor?",
            "response": "Two care staff and one senior carer per floor every night.",
        },
        30,
    ),
    "gp-phone-lines": (
        "draft",
        {
            "title": "Telephone waiting times at Riverside Medical Practice",
            "addressee": "Riverside Medical Practice (practice manager)",
            "addressee_kind": "provider",
            "questions": "What was the average wait to answer calls at 8am in November?",
        },
        0,
    ),
}

REFERRALS = {
    "eastgate-miu": (
        "referred",
        {
            "title": "Closure of the Eastgate minor injuries unit",
            "committee": "Northbridge Borough Council Health Overview and Scrutiny Committee",
            "matter": "The unit closed at weekends without consultation with patients.",
            "report": "Our survey of 212 residents found 61% did not know it had closed at weekends.",
        },
        8,
    ),
    "homecare-visits": (
        "acknowledged",
        {
            "title": "Missed home care visits",
            "committee": "Northbridge Borough Council Adult Social Care Scrutiny Panel",
            "matter": "Repeated reports of missed and late home care visits by HomeCare Plus Northbridge.",
        },
        40,
    ),
}


def create(portal):
    """Create the demo complaints, information requests and referrals once (idempotent)."""
    with api.env.adopt_roles(["Manager"]):
        complaints = _folder(portal, "complaints", "Complaints", publish=False)
        for group, local_roles in (
            ("complaints-officers", ["Reader", "Contributor"]),
            ("council-auditors", ["Reader"]),
            ("independent-reviewers", ["Reader"]),
        ):
            if api.group.get(groupname=group) is not None:
                api.group.grant_roles(groupname=group, obj=complaints, roles=local_roles)
        requests = _folder(portal, "information-requests", "Information requests")
        referrals = _folder(portal, "referrals", "Referrals to overview and scrutiny")
    existing = {getattr(obj, "demo_key", None) for obj in complaints.objectValues()}
    for key, (state, age, appealed, values) in COMPLAINTS.items():
        if key not in existing:
            _complaint(complaints, key, state, age, appealed, dict(values))
    _requests(requests, referrals)


def _folder(portal, folder_id: str, title: str, publish: bool = True):
    folder = portal.get(folder_id)
    if folder is None:
        folder = api.content.create(container=portal, type="Folder", id=folder_id, title=title)
        state = api.content.get_state(folder, default=None)
        if publish and state == "private":
            api.content.transition(folder, to_state="published")
    return folder


def _complaint(folder, key, target, age, appealed, values):
    received = today() - timedelta(days=age)
    personal_late = {
        k: values.pop(k)
        for k in list(values)
        if k
        in (
            "findings",
            "outcome",
            "remedies",
            "appeal_grounds",
            "appeal_decision",
            "appeal_reasons",
            "lessons_learned",
        )
    }
    with api.env.adopt_user(username=OFFICER):
        complaint = complaints_api.create_complaint(
            folder, received=received, event_date=received - timedelta(days=7), **values
        )
        complaint.demo_key = key
        sent_on = today() - timedelta(days=max(age - 20, 1))
        for _step in PATH[1:]:
            if api.content.get_state(complaint) == target:
                break
            current = api.content.get_state(complaint)
            if current == "received":
                api.content.transition(obj=complaint, transition="acknowledge")
            elif current == "acknowledged":
                complaint.investigating_officer = OFFICER
                api.content.transition(obj=complaint, transition="start_investigation")
            elif current == "under_investigation":
                for name in ("findings", "outcome", "remedies", "lessons_learned"):
                    if name in personal_late:
                        setattr(complaint, name, personal_late[name])
                complaint.response_sent_on = sent_on
                api.content.transition(obj=complaint, transition="send_response")
            elif current == "response_sent" and not appealed:
                api.content.transition(obj=complaint, transition="close")
            elif current == "response_sent":
                # Appeals arrive a week after the response: inside the window, never in the future.
                appealed_on = min(today(), sent_on + timedelta(days=7))
                complaints_api.request_appeal(complaint, personal_late["appeal_grounds"], on=appealed_on)
            elif current == "appeal_requested":
                complaints_api.assign_reviewer(complaint, REVIEWER, actor=OFFICER)
            elif current == "under_independent_review":
                complaint.appeal_decision = personal_late["appeal_decision"]
                complaint.appeal_reasons = personal_late["appeal_reasons"]
                with api.env.adopt_user(username=REVIEWER):
                    api.content.transition(obj=complaint, transition="decide_appeal")
            elif current == "appeal_decided":
                api.content.transition(obj=complaint, transition="close")
    complaint.reindexObject()
    logger.info("demo complaint %s (%s): %s", complaint.reference, key, api.content.get_state(complaint))
    return complaint


def _requests(requests, referrals):
    for key, (state, values, age) in INFORMATION_REQUESTS.items():
        if key in requests:
            continue
        with api.env.adopt_user(username="staff"):
            obj = api.content.create(container=requests, type="InformationRequest", id=key, **values)
            if state != "draft":
                obj.sent_on = today() - timedelta(days=age)
                api.content.transition(obj=obj, transition="send")
            if state == "answered":
                obj.response_received_on = today() - timedelta(days=age - 12)
                api.content.transition(obj=obj, transition="record_answer")
    for key, (state, values, age) in REFERRALS.items():
        if key in referrals:
            continue
        with api.env.adopt_user(username="chair"):
            obj = api.content.create(
                container=referrals,
                type="OSCReferral",
                id=key,
                referred_on=today() - timedelta(days=age),
                **values,
            )
            api.content.transition(obj=obj, transition="refer")
        if state == "acknowledged":
            with api.env.adopt_user(username="staff"):
                obj.acknowledged_on = today() - timedelta(days=age - 10)
                api.content.transition(obj=obj, transition="acknowledge")
