"""Fixtures of the FOI tests: users holding each network role, an FOI folder, request factory."""

from datetime import date

import pytest
from plone import api

from links.content import roles
from links.content.foi import api as foi_api
from links.content.testing import add_users

PASSWORD = "secret-foi-password-1"

#: user id -> global roles
USERS = {
    "staff": [roles.HOST_STAFF],
    "officer": [roles.COMPLAINTS_OFFICER],
    "auditor": [roles.COUNCIL_AUDITOR],
    "member": [roles.GOVERNING_BODY_MEMBER],
    "participant": [roles.PARTICIPANT],
}


def create_users(portal):
    add_users(portal, USERS, PASSWORD)


def create_folder(portal):
    with api.env.adopt_roles(["Manager"]):
        if "foi" not in portal:
            api.content.create(container=portal, type="Folder", id="foi", title="FOI requests")
        folder = portal["foi"]
        for userid in ("staff", "officer"):
            api.user.grant_roles(username=userid, obj=folder, roles=["Contributor"])
    return folder


def request_data(**overrides):
    data = {
        "received": date(2026, 11, 2),
        "summary": "Waiting times for GP visits at care homes",
        "requester_name": "Brenda Requester",
        "requester_contact": "brenda@example.org",
        "request_text": "Please send me everything you hold about GP visit waiting times at Elm House.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def foi_folder(portal):
    create_users(portal)
    return create_folder(portal)


@pytest.fixture
def new_request(foi_folder):
    """A factory: an FOI request logged by host staff."""

    def make(**overrides):
        with api.env.adopt_user(username="staff"):
            return foi_api.create_request(foi_folder, **request_data(**overrides))

    return make


def answer(request, outcome="disclosed", **fields):
    """Move a request to "answered" as host staff."""
    with api.env.adopt_user(username="staff"):
        if api.content.get_state(request) == "received":
            api.content.transition(request, "start_work")
        request.outcome = outcome
        request.answer = fields.pop("answer", "The information is enclosed.")
        for name, value in fields.items():
            setattr(request, name, value)
        api.content.transition(request, "answer")
    return request
