"""Fixtures of the annual report tests: the people who prepare, sign, audit and read it, and generated
records on both sides of the financial year 2025 to 2026 (1 April 2025 to 31 March 2026, England).

Each record is created as the product creates it, then put in the state and dates it would have on the
day: the workflow state with the transition's time, the dates the record carries, and its statutory clock
started and stopped on the days it was (clocks are other areas' machinery; here they are set up, not
tested).
"""

from datetime import UTC
from datetime import date
from datetime import datetime

import pytest
from DateTime import DateTime
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles
from plone.app.textfield.value import RichTextValue
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.intid.interfaces import IIntIds

from links.content import roles
from links.content.clocks import api as clocks_api
from links.content.testing import add_users
from links.content.testing import set_state as force_state

PASSWORD = "secret-annual-1"
MEMBERS = ["gbm1", "gbm2", "gbm3"]
USERS = {
    **{userid: [roles.GOVERNING_BODY_MEMBER] for userid in MEMBERS},
    "staff": [roles.HOST_STAFF],
    "auditor": [roles.COUNCIL_AUDITOR],
    "officer": [roles.COMPLAINTS_OFFICER],
    "participant": [roles.PARTICIPANT],
    "rep1": [roles.AUTHORISED_REPRESENTATIVE],
    "rep2": [roles.AUTHORISED_REPRESENTATIVE],
    "rep3": [roles.AUTHORISED_REPRESENTATIVE],
}
NAMES = {
    "gbm1": "Grace Member",
    "gbm2": "Hugo Member",
    "gbm3": "Iris Member",
    "staff": "Stella Staff",
    "rep1": "Ruth Visitor",
    "rep2": "Raj Visitor",
    "rep3": "Rex Visitor",
}
START, END = date(2025, 4, 1), date(2026, 3, 31)
#: The day the figures are taken in the counting tests (outcomes and deadlines as they stood then).
TAKEN = date(2026, 6, 1)
EXPENDITURE = "Staff salaries: 42,000.00\nVolunteer expenses: 1,250.50\nRoom hire: £980"
INCOME = "Council grant: 45,000\nDonations: 300.50"


def create_users(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    add_users(portal, USERS, PASSWORD)
    for userid, name in NAMES.items():
        api.user.get(userid=userid).setMemberProperties({"fullname": name})
    # Two approvals sign off (members left by other areas' tests do not change the quorum).
    api.portal.set_registry_record("links.content.signing.quorum", "2")


def utc(*args) -> DateTime:
    return DateTime(datetime(*args, tzinfo=UTC))


def clock(obj, name: str, started: date, met_on: date | None = None):
    """The record's clock as it ran: started on ``started``, stopped on ``met_on`` (if given)."""
    clocks_api.start(obj, name, started=started)
    if met_on is not None:
        clocks_api.stop(obj, name, on=met_on)
    return clocks_api.get(obj, name)


def html(text: str) -> RichTextValue:
    return RichTextValue(text, "text/html", "text/x-html-safe")


def create_records(portal) -> dict:
    """Records in the year and just outside it. Returns the objects by key (see the assertions in
    test_annual_figures.py, which list what each one counts as)."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    made = {}
    intids = getUtility(IIntIds)
    providers = {}
    for key, title, kind in (
        ("elm", "Elm Lodge Care Home", "care-home"),
        ("gp", "Riverside Surgery", "gp-surgery"),
    ):
        providers[key] = api.content.create(
            container=portal, type="ServiceProvider", title=title, service_type=kind, address="1 High St"
        )

    for key, rep, authorised, checked, expires in (
        ("auth-rep1", "rep1", date(2025, 1, 1), date(2024, 12, 15), date(2026, 12, 31)),  # in force all year
        ("auth-rep2", "rep2", date(2026, 5, 1), date(2026, 4, 20), date(2029, 4, 30)),  # after the year
        (
            "auth-rep3",
            "rep3",
            date(2022, 4, 1),
            date(2022, 3, 1),
            date(2025, 3, 31),
        ),  # expired the day before
    ):
        made[key] = api.content.create(
            container=portal,
            type="RepresentativeAuthorisation",
            title=f"Authorisation of {rep}",
            representative=rep,
            authorised_on=authorised,
            evidence="Minute GB/1",
            dbs_check_date=checked,
            dbs_level="enhanced",
            dbs_outcome="clear",
            checked_by="staff",
            expires_on=expires,
        )

    def report(key, title, provider, visited, announcement="announced", recommendations=None):
        obj = api.content.create(
            container=portal,
            type="EnterAndViewReport",
            title=title,
            provider=RelationValue(intids.getId(providers[provider])),
            premises="Lounge",
            visit_date=visited,
            announcement=announcement,
            representatives=["rep1"],
            lead="rep1",
            recommendations=html(recommendations) if recommendations else None,
        )
        made[key] = obj
        return obj

    # Visited the day before the year; published at 00:30 BST on 1 April 2025 (23:30 UTC on 31 March).
    obj = report("visit-before", "Visit of 31 March 2025", "elm", date(2025, 3, 31))
    force_state(obj, "links_report_workflow", "published", "publish", utc(2025, 3, 31, 23, 30))
    # First day of the year, unannounced, two recommendations, answered in time, published in June.
    obj = report(
        "visit-first",
        "Visit of 1 April 2025",
        "gp",
        date(2025, 4, 1),
        "unannounced",
        "<ol><li>Answer the phone sooner.</li><li>Open the door at 8am.</li></ol>",
    )
    clock(obj, "provider-response", date(2025, 4, 3), met_on=date(2025, 4, 25))
    obj.provider_response_date = date(2025, 4, 25)
    force_state(obj, "links_report_workflow", "published", "publish", date(2025, 6, 2))
    # Last day of the year, one recommendation, sent to the provider, no response by the day of counting.
    obj = report(
        "visit-last",
        "Visit of 31 March 2026",
        "elm",
        date(2026, 3, 31),
        "announced",
        "<p>Open the garden.</p>",
    )
    clock(obj, "provider-response", date(2026, 3, 31))
    force_state(obj, "links_report_workflow", "sent_to_provider", "send_to_provider", date(2026, 3, 31))
    # The day after the year; published at 23:30 BST on 31 March 2026 would be in the year, but this one
    # was published at 00:30 BST on 1 April 2026 (23:30 UTC on 31 March): the next year.
    obj = report("visit-after", "Visit of 1 April 2026", "elm", date(2026, 4, 1))
    force_state(obj, "links_report_workflow", "published", "publish", utc(2026, 3, 31, 23, 30))
    # Visited in the year, published at 23:30 BST on 31 March 2026 (22:30 UTC): in the year.
    obj = report("visit-late-night", "Visit of 2 March 2026", "gp", date(2026, 3, 2))
    force_state(obj, "links_report_workflow", "published", "publish", utc(2026, 3, 31, 22, 30))

    def request(key, sent, answered=None, state=None):
        obj = api.content.create(
            container=portal,
            type="InformationRequest",
            title=f"Request {key}",
            addressee="Northbridge Borough Council",
            addressee_kind="commissioner",
            questions="How many places?",
            sent_on=sent,
            response_received_on=answered,
        )
        clock(obj, "information-request-response", sent, met_on=answered)
        state = state or ("answered" if answered else "sent")
        force_state(obj, "links_information_request_workflow", state, "send", sent)
        made[key] = obj

    request("request-first", date(2025, 4, 1), answered=date(2025, 4, 20))  # in time
    request("request-late", date(2025, 6, 2), answered=date(2025, 8, 1))  # late
    request("request-last", date(2026, 3, 31))  # open on 1 June 2026: overdue
    request("request-closed", date(2025, 9, 1), state="closed")  # closed without an answer
    request("request-before", date(2025, 3, 31), answered=date(2025, 4, 2))  # previous year

    for key, referred, acknowledged in (
        ("referral-late", date(2025, 6, 2), date(2025, 8, 1)),
        ("referral-after", date(2026, 4, 1), None),
    ):
        obj = api.content.create(
            container=portal,
            type="OSCReferral",
            title=f"Referral {key}",
            committee="Health Scrutiny Committee",
            matter="Delayed discharges.",
            referred_on=referred,
            acknowledged_on=acknowledged,
        )
        clock(obj, "osc-acknowledgement", referred, met_on=acknowledged)
        force_state(
            obj,
            "links_osc_referral_workflow",
            "acknowledged" if acknowledged else "referred",
            "refer",
            referred,
        )
        made[key] = obj

    for key, received, outcome, acknowledged in (
        ("complaint-first", date(2025, 4, 1), "upheld", date(2025, 4, 2)),  # acknowledged in time
        ("complaint-last", date(2026, 3, 31), None, date(2026, 4, 20)),  # acknowledged late
        ("complaint-before", date(2025, 3, 31), "not-upheld", date(2025, 4, 1)),
        ("complaint-after", date(2026, 4, 1), "not-upheld", date(2026, 4, 2)),
    ):
        obj = api.content.create(
            container=portal,
            type="Complaint",
            title="Complaint",
            received=received,
            how_received="email",
            about="host",
            complainant_name="Alice Example",
            details="Nobody called me back.",
            outcome=outcome,
        )
        clock(obj, "complaint-acknowledgement", received, met_on=acknowledged)
        made[key] = obj
    # The complaint of the year before was appealed in the year (counted as an appeal, not a complaint).
    before = made["complaint-before"]
    before.appeal_requested_on = date(2025, 5, 1)
    before.appeal_decision = "not-upheld"
    before.reindexObject()

    for key, received, outcome, answered, state in (
        ("foi-in-time", date(2025, 5, 1), "disclosed", date(2025, 5, 20), "answered"),
        ("foi-late", date(2025, 12, 1), "refused", date(2026, 2, 20), "answered"),
        ("foi-open", date(2026, 3, 30), None, None, "in_progress"),
        ("foi-after", date(2026, 4, 1), "not-held", date(2026, 4, 10), "answered"),
    ):
        obj = api.content.create(
            container=portal,
            type="FOIRequest",
            title=f"FOI {key}",
            received=received,
            summary="Spending on volunteers",
            requester_name="Zed Requester",
            requester_contact="zed@example.org",
            request_text="How much did you spend?",
            handled_under="foi",
            outcome=outcome,
            answered_on=answered,
        )
        clock(obj, "foi-response", received, met_on=answered)
        force_state(obj, "links_foi_workflow", state, "answer", received)
        made[key] = obj

    for key, member, changed, declared, state in (
        ("declaration-in-time", "gbm1", date(2025, 4, 20), date(2025, 5, 1), "declared"),
        ("declaration-late", "gbm2", date(2025, 6, 1), date(2025, 9, 1), "declared"),
        ("declaration-draft", "gbm3", date(2025, 6, 1), None, "draft"),
        ("declaration-before", "gbm3", date(2025, 3, 1), date(2025, 3, 31), "superseded"),
    ):
        obj = api.content.create(
            container=portal,
            type="DeclarationOfInterest",
            title=f"Declaration {key}",
            member=member,
            nil_declaration=True,
            date_of_change=changed,
        )
        obj.declared_on = declared
        force_state(obj, "links_declaration_workflow", state, "declare", declared or changed)
        made[key] = obj

    for key, decided, category, recorder in (
        ("decision-first", date(2025, 4, 1), "enter-and-view", "staff"),
        ("decision-last", date(2026, 3, 31), "spending", "gbm1"),
        ("decision-before", date(2025, 3, 31), "spending", "gbm3"),
    ):
        made[key] = api.content.create(
            container=portal,
            type="DecisionStatement",
            title=f"Decision {key}",
            decision="To visit.",
            reasons="Concerns were raised.",
            category=category,
            decided_on=decided,
        )
        made[key].setCreators([recorder])
    return made


def make_report(portal, **overrides):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    values = {
        "id": "annual-report-2025-26",
        "title": "Annual report 2025 to 2026",
        "period_start": START,
        "period_end": END,
        "expenditure": EXPENDITURE,
        "income": INCOME,
        "year_end_position": "Reserves of £1,070 are carried forward.",
        "achievements": html("<p>Discharge letters are now explained to patients.</p>"),
        "case_studies": html("<p>Mrs K's story: from a complaint to a changed policy.</p>"),
        "involvement": html("<p>Forty volunteers took part in visits and surveys.</p>"),
        "equality": html("<p>We met the Polish community centre and a traveller site.</p>"),
        "plans": html("<p>Next year we will look at dentistry.</p>"),
    }
    values.update(overrides)
    return api.content.create(container=portal, type="AnnualReport", **values)


def sign_off(report, members=MEMBERS[:2]):
    from links.content.signing import api as signing

    for userid in members:
        with api.env.adopt_user(username=userid):
            signing.sign(report, userid, PASSWORD, "approve", request=report.REQUEST)


def submit_and_sign(report):
    with api.env.adopt_user(username="staff"):
        api.content.transition(report, transition="submit")
    sign_off(report)


@pytest.fixture
def users(portal):
    create_users(portal)
    return USERS


@pytest.fixture
def records(portal, users):
    return create_records(portal)


@pytest.fixture
def report(portal, users):
    return make_report(portal)


class Helpers:
    """Helpers for the test modules (importlib import mode: tests cannot import conftest)."""

    PASSWORD = PASSWORD
    MEMBERS = MEMBERS
    START, END, TAKEN = START, END, TAKEN
    EXPENDITURE, INCOME = EXPENDITURE, INCOME
    create_users = staticmethod(create_users)
    create_records = staticmethod(create_records)
    make_report = staticmethod(make_report)
    sign_off = staticmethod(sign_off)
    submit_and_sign = staticmethod(submit_and_sign)
    force_state = staticmethod(force_state)
    html = staticmethod(html)


@pytest.fixture
def helpers():
    return Helpers
