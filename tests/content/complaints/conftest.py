"""Fixtures of the complaints tests: users holding each network role and a complaints folder."""

from datetime import date

import pytest
from plone import api
from plone.app.testing import SITE_OWNER_NAME

from links.content import roles
from links.content.complaints import api as capi
from links.content.testing import add_users

PASSWORD = "secret-complaints-1"

#: user id -> global roles
USERS = {
    "officer": [roles.COMPLAINTS_OFFICER],
    "officer2": [roles.COMPLAINTS_OFFICER],
    "reviewer": [roles.INDEPENDENT_REVIEWER],
    "reviewer2": [roles.INDEPENDENT_REVIEWER],
    "auditor": [roles.COUNCIL_AUDITOR],
    "participant": [roles.PARTICIPANT],
    "staff": [roles.HOST_STAFF],
    "member": [roles.GOVERNING_BODY_MEMBER],
}


def create_users(portal):
    add_users(portal, USERS, PASSWORD)


def create_folder(portal):
    """A folder where complaints officers may add complaints (Contributor locally, like the demo)."""
    with api.env.adopt_roles(["Manager"]):
        if "complaints" not in portal:
            api.content.create(container=portal, type="Folder", id="complaints", title="Complaints")
        folder = portal["complaints"]
        for userid in ("officer", "officer2"):
            api.user.grant_roles(username=userid, obj=folder, roles=["Contributor"])
        if "requests" not in portal:
            api.content.create(container=portal, type="Folder", id="requests", title="Requests")
        for userid in ("staff", "member"):
            api.user.grant_roles(username=userid, obj=portal["requests"], roles=["Contributor"])
    return folder


@pytest.fixture
def folder(portal):
    create_users(portal)
    return create_folder(portal)


def complaint_data(**overrides):
    data = {
        "received": date(2026, 11, 2),
        "how_received": "email",
        "about": "host",
        "complainant_name": "Alice Example",
        "complainant_email": "alice@example.org",
        "details": "Nobody called me back about the drop-in.",
        "event_date": date(2026, 10, 20),
    }
    data.update(overrides)
    return data


@pytest.fixture
def new_complaint(folder):
    """A factory: a complaint created by the officer."""

    def make(**overrides):
        with api.env.adopt_user(username="officer"):
            return capi.create_complaint(folder, **complaint_data(**overrides))

    return make


def advance(complaint, to_state: str, reviewer: str = "reviewer"):
    """Walk ``complaint`` through the procedure to ``to_state``, each step as the right user."""
    from links.content.complaints import api as capi

    path = [
        "acknowledged",
        "under_investigation",
        "response_sent",
        "appeal_requested",
        "under_independent_review",
        "appeal_decided",
        "closed",
    ]
    for _step in path:
        current = api.content.get_state(complaint)
        if current == to_state:
            return complaint
        if current == "received":
            with api.env.adopt_user(username="officer"):
                api.content.transition(obj=complaint, transition="acknowledge")
        elif current == "acknowledged":
            complaint.investigating_officer = "officer2"
            with api.env.adopt_user(username="officer"):
                api.content.transition(obj=complaint, transition="start_investigation")
        elif current == "under_investigation":
            complaint.findings = "The call-back was missed."
            complaint.outcome = "upheld"
            complaint.remedies = "We apologised and changed the rota."
            with api.env.adopt_user(username="officer2"):
                api.content.transition(obj=complaint, transition="send_response")
        elif current == "response_sent" and to_state == "closed":
            with api.env.adopt_user(username="officer"):
                api.content.transition(obj=complaint, transition="close")
        elif current == "response_sent":
            with api.env.adopt_user(username="officer"):
                capi.request_appeal(complaint, "I want more than an apology.", on=complaint.response_sent_on)
        elif current == "appeal_requested":
            with api.env.adopt_user(username="officer"):
                capi.assign_reviewer(complaint, reviewer)
        elif current == "under_independent_review":
            complaint.appeal_decision = "not-upheld"
            complaint.appeal_reasons = "The remedy was proportionate."
            with api.env.adopt_user(username=reviewer):
                api.content.transition(obj=complaint, transition="decide_appeal")
        elif current == "appeal_decided":
            with api.env.adopt_user(username="officer"):
                api.content.transition(obj=complaint, transition="close")
    assert api.content.get_state(complaint) == to_state
    return complaint


STATES = [
    "received",
    "acknowledged",
    "under_investigation",
    "response_sent",
    "appeal_requested",
    "under_independent_review",
    "appeal_decided",
    "closed",
]

__all__ = ["PASSWORD", "SITE_OWNER_NAME", "STATES", "advance", "complaint_data"]


@pytest.fixture
def walk():
    """``walk(complaint, state)``: :func:`advance` as a fixture (test modules cannot import conftest)."""
    return advance


@pytest.fixture
def functional_folder(functional, functional_portal):
    """Users and the complaints folder on the functional site, committed for HTTP calls."""
    import transaction

    create_users(functional_portal)
    folder = create_folder(functional_portal)
    transaction.commit()
    return folder
