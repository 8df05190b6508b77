"""Fixtures of the transitional report tests: governing body members who sign, host staff who prepare, and
records of every counted kind inside and outside the period (1 April 2025 to 31 March 2026)."""

from datetime import date

import pytest
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles
from plone.app.textfield.value import RichTextValue

from links.content import roles
from links.content.testing import add_users
from links.content.testing import set_state as _force_state

PASSWORD = "secret-transitional-1"
MEMBERS = ["gbm1", "gbm2", "gbm3"]
USERS = {
    **{userid: [roles.GOVERNING_BODY_MEMBER] for userid in MEMBERS},
    "staff": [roles.HOST_STAFF],
    "auditor": [roles.COUNCIL_AUDITOR],
    "participant": [roles.PARTICIPANT],
}
START, END = date(2025, 4, 1), date(2026, 3, 31)
EXPENDITURE = "Staff salaries: 42,000.00\nVolunteer expenses: 1,250.50\nRoom hire: £980"


def create_users(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    add_users(portal, USERS, PASSWORD)
    for userid in MEMBERS:
        api.user.get(userid=userid).setMemberProperties({"fullname": f"Member {userid[-1]} Name"})
    # Two approvals sign off (the members of other tests' users do not change the quorum).
    api.portal.set_registry_record("links.content.signing.quorum", "2")


def create_activity(portal):
    """Records in and out of the period. In it: 2 visits (one published report), 2 requests (1 answered),
    1 OSC referral, 3 complaints (2 upheld, 1 open), 1 declaration. Out of it: one of each."""
    setRoles(portal, TEST_USER_ID, ["Manager"])
    provider = api.content.create(container=portal, type="ServiceProvider", title="Elm Lodge Care Home")
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    def report(title, visited, published_on=None):
        obj = api.content.create(
            container=portal,
            type="EnterAndViewReport",
            title=title,
            provider=RelationValue(getUtility(IIntIds).getId(provider)),
            premises="Lounge",
            visit_date=visited,
            representatives=["rep1"],
            lead="rep1",
        )
        if published_on:
            _force_state(obj, "links_report_workflow", "published", "publish", published_on)
        return obj

    report("Spring visit", date(2025, 5, 10), published_on=date(2025, 7, 1))
    report("Autumn visit", date(2025, 10, 2))
    report("Old visit", date(2025, 1, 15), published_on=date(2025, 3, 1))

    def request(title, sent, answered=None):
        obj = api.content.create(
            container=portal,
            type="InformationRequest",
            title=title,
            addressee="Northbridge Borough Council",
            addressee_kind="commissioner",
            questions="How many care home places were commissioned?",
            sent_on=sent,
            response_received_on=answered,
        )
        _force_state(
            obj, "links_information_request_workflow", "answered" if answered else "sent", "send", sent
        )
        return obj

    request("Care home places", date(2025, 6, 1), answered=date(2025, 6, 20))
    request("Waiting times", date(2026, 2, 1))
    request("Old request", date(2024, 12, 1), answered=date(2024, 12, 20))

    for title, referred in (("Referral on discharge", date(2025, 9, 1)), ("Old referral", date(2024, 9, 1))):
        obj = api.content.create(
            container=portal,
            type="OSCReferral",
            title=title,
            committee="Health Scrutiny Committee",
            matter="Delayed discharges from Ward 7.",
            referred_on=referred,
        )
        _force_state(obj, "links_osc_referral_workflow", "referred", "refer", referred)

    for received, outcome in (
        (date(2025, 5, 5), "upheld"),
        (date(2025, 11, 5), "upheld"),
        (date(2026, 3, 1), None),
        (date(2026, 4, 2), "not-upheld"),
    ):
        api.content.create(
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

    for userid, changed in (("gbm1", date(2025, 8, 1)), ("gbm2", date(2024, 8, 1))):
        obj = api.content.create(
            container=portal,
            type="DeclarationOfInterest",
            title=f"Declaration of {userid}",
            member=userid,
            nil_declaration=True,
            date_of_change=changed,
        )
        _force_state(obj, "links_declaration_workflow", "declared", "declare", changed)


def make_report(portal, **overrides):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    values = {
        "id": "transitional-report",
        "title": "Transitional report 2025 to 2026",
        "period_start": START,
        "period_end": END,
        "ceased_on": END,
        "host_name": "Northbridge Community Voice",
        "council_name": "Northbridge Borough Council",
        "expenditure": EXPENDITURE,
        "narrative": RichTextValue(
            "<p>The network visited two care homes and raised delayed discharges with scrutiny.</p>",
            "text/html",
            "text/x-html-safe",
        ),
    }
    values.update(overrides)
    return api.content.create(container=portal, type="TransitionalReport", **values)


@pytest.fixture
def users(portal):
    create_users(portal)
    return USERS


@pytest.fixture
def activity(portal, users):
    create_activity(portal)


@pytest.fixture
def report(portal, users):
    return make_report(portal)


class Helpers:
    """Helpers for the test modules (importlib import mode: tests cannot import conftest)."""

    PASSWORD = PASSWORD
    MEMBERS = MEMBERS
    START, END = START, END
    EXPENDITURE = EXPENDITURE
    create_users = staticmethod(create_users)
    create_activity = staticmethod(create_activity)
    make_report = staticmethod(make_report)


@pytest.fixture
def helpers():
    return Helpers
