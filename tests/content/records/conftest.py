"""Fixtures of the records tests: users in each network role, a provider, authorisations."""

from datetime import date
from datetime import timedelta

import pytest
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles

from links.content import roles

PASSWORD = "secret-Passw0rd"

#: user id -> global role, for the records tests
USERS = {
    "chair": roles.GOVERNING_BODY_MEMBER,
    "member1": roles.GOVERNING_BODY_MEMBER,
    "rep1": roles.AUTHORISED_REPRESENTATIVE,
    "rep2": roles.AUTHORISED_REPRESENTATIVE,
    "rep3": roles.AUTHORISED_REPRESENTATIVE,
    "complaints": roles.COMPLAINTS_OFFICER,
    "manager": "Manager",
    "staff": roles.HOST_STAFF,
    "auditor": roles.COUNCIL_AUDITOR,
    "participant": roles.PARTICIPANT,
}


@pytest.fixture(scope="class")
def integration_class(content_integration_class):
    return content_integration_class


def create_users(portal):
    """Create the users with their global roles."""
    # Granting roles needs a Manager: plone.api refuses roles the current user does not hold.
    setRoles(portal, TEST_USER_ID, ["Manager"])
    for userid, role in USERS.items():
        if api.user.get(userid=userid) is None:
            api.user.create(
                email=f"{userid}@example.org",
                username=userid,
                password=PASSWORD,
                roles=("Member", role),
                properties={"fullname": userid.capitalize() + " Example"},
            )
    setRoles(portal, TEST_USER_ID, ["Manager"])
    return USERS


@pytest.fixture
def users(portal):
    """The users of USERS, each with their global role (rolled back after each test)."""
    return create_users(portal)


def create_provider(portal):
    return api.content.create(
        container=portal,
        type="ServiceProvider",
        title="Elm Lodge Care Home",
        service_type="care-home",
        address="1 Elm Road, Northbridge NB1 1AA",
        registration_id="1-123456789",
    )


@pytest.fixture
def provider(portal, users):
    return create_provider(portal)


def authorise(portal, userid, **overrides):
    """A RepresentativeAuthorisation for ``userid`` valid for the last and next year."""
    values = {
        "representative": userid,
        "authorised_on": date.today() - timedelta(days=365),
        "evidence": "Governing body minute 12/2026",
        "dbs_check_date": date.today() - timedelta(days=370),
        "dbs_level": "enhanced",
        "dbs_outcome": "clear",
        "checked_by": "staff",
        "expires_on": date.today() + timedelta(days=365),
    }
    values.update(overrides)
    return api.content.create(
        container=portal, type="RepresentativeAuthorisation", title=f"Authorisation of {userid}", **values
    )


@pytest.fixture
def authorised(portal, users):
    return {userid: authorise(portal, userid) for userid in ("rep1", "rep2")}


def make_report(portal, provider, **overrides):
    """An EnterAndViewReport by rep1 (lead) and rep2, visited last week."""
    from plone.app.textfield.value import RichTextValue
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    values = {
        "title": "Visit to Elm Lodge",
        "provider": RelationValue(getUtility(IIntIds).getId(provider)),
        "premises": "Communal lounge and dining room",
        "visit_date": date.today() - timedelta(days=7),
        "announcement": "announced",
        "representatives": ["rep1", "rep2"],
        "lead": "rep1",
        "findings": RichTextValue("<p>Residents were positive.</p>", "text/html", "text/x-html-safe"),
    }
    values.update(overrides)
    return api.content.create(container=portal, type="EnterAndViewReport", **values)


@pytest.fixture
def report(portal, provider, authorised):
    return make_report(portal, provider)


@pytest.fixture
def site(functional_portal):
    """Users, a provider and authorisations (rep1 cleared, rep2 pending), committed for HTTP tests."""
    import transaction

    portal = functional_portal
    create_users(portal)
    provider = create_provider(portal)
    authorise(portal, "rep1")
    authorise(portal, "rep2", dbs_outcome="pending")
    transaction.commit()
    return {"portal": portal, "provider": provider}


class Helpers:
    """Helpers for the test modules (importlib import mode: tests cannot import conftest)."""

    PASSWORD = PASSWORD
    authorise = staticmethod(authorise)
    make_report = staticmethod(make_report)
    create_users = staticmethod(create_users)
    create_provider = staticmethod(create_provider)


@pytest.fixture
def helpers():
    return Helpers


@pytest.fixture(scope="class")
def helpers_class():
    return Helpers
