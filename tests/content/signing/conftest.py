"""Fixtures for signing tests: governing body members with passwords and an EnterAndViewReport
awaiting sign-off (links_report_workflow: pending_signoff --sign_off--> signed_off)."""

from datetime import date
from datetime import timedelta

import pytest
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles

from links.content.roles import GOVERNING_BODY_MEMBER

MEMBERS = [f"gbm{i}" for i in range(1, 8)]
SIGNABLE_STATE = "pending_signoff"
SIGNED_STATE = "signed_off"


def password_of(userid: str) -> str:
    return f"pw-{userid}-secret"


def make_members(count: int = 7) -> list[str]:
    """Create governing body members (the role comes from links.content's rolemap.xml).

    Granting a role is limited to roles the current user holds (CMFCore's _limitGrantedRoles), so
    the test user acts as Manager while creating them.
    """
    ids = []
    portal = api.portal.get()
    setRoles(portal, TEST_USER_ID, ["Manager"])
    for userid in MEMBERS[:count]:
        if api.user.get(userid=userid) is None:
            api.user.create(
                email=f"{userid}@example.org",
                username=userid,
                password=password_of(userid),
                roles=("Member", GOVERNING_BODY_MEMBER),
                properties={"fullname": f"Member {userid[3:]} Name"},
            )
        ids.append(userid)
    return ids


def make_provider(portal, title="Elm House Care Home"):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    return api.content.create(
        container=portal,
        type="ServiceProvider",
        title=title,
        address="2 Elm Road, Northbridge NB1 2AA",
    )


def make_record(portal, title="Visit to Elm House", provider=None, submit=True, paragraphs=1):
    """An EnterAndViewReport (submitted for sign-off unless ``submit`` is False)."""
    from plone.app.textfield.value import RichTextValue
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    setRoles(portal, TEST_USER_ID, ["Manager"])
    provider = provider or make_provider(portal)
    findings = "".join(
        f"<p>Finding {i + 1}: residents were treated with dignity and the lounge was clean and calm.</p>"
        for i in range(paragraphs)
    )
    record = api.content.create(
        container=portal,
        type="EnterAndViewReport",
        title=title,
        description="Announced enter and view visit.",
        provider=RelationValue(getUtility(IIntIds).getId(provider)),
        premises="Communal lounge",
        visit_date=date.today() - timedelta(days=7),
        announcement="announced",
        representatives=["rep1"],
        lead="rep1",
        findings=RichTextValue(findings, "text/html", "text/x-html-safe"),
    )
    if submit:
        api.content.transition(record, "submit")
    return record


@pytest.fixture
def members(portal):
    return make_members()


@pytest.fixture
def record(portal, members):
    return make_record(portal)


@pytest.fixture
def passwords():
    """userid -> password of the governing body members the fixtures create."""
    return password_of


@pytest.fixture
def record_factory():
    return make_record


@pytest.fixture
def members_factory():
    return make_members
