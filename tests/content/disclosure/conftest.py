"""Fixtures of the disclosure tests: a user per network role, an FOI request and a sensitive declaration,
each with two saved versions (the second with a comment that names the requester / the interest)."""

from datetime import date
from datetime import timedelta

import pytest
import transaction
from plone import api

from links.content import roles
from links.content.complaints.api import create_complaint
from links.content.foi import api as foi_api
from links.content.history import api as history
from links.content.testing import add_users
from links.content.words import today

PASSWORD = "secret-disclosure-1"

#: user id -> global roles
USERS = {
    "staff": [roles.HOST_STAFF],
    "officer": [roles.COMPLAINTS_OFFICER],
    "auditor": [roles.COUNCIL_AUDITOR],
    "member": [roles.GOVERNING_BODY_MEMBER],
    "declarant": [roles.GOVERNING_BODY_MEMBER],
    "participant": [roles.PARTICIPANT],
}

REQUESTER = "Brenda Requester"
SENSITIVE = "Brother manages Elm House"
COMPLAINANT = "Alice Example"


def make_records(portal) -> dict:
    """An FOI request and a declared sensitive declaration, two versions each."""
    with api.env.adopt_roles(["Manager"]):
        add_users(portal, USERS, PASSWORD)
        request = foi_api.create_request(
            portal,
            received=date(2026, 11, 2),
            summary="Waiting times at care homes",
            requester_name=REQUESTER,
            requester_contact="brenda@example.org",
            request_text="Everything about GP visit waiting times.",
        )
        history.save(request, "Logged")
        request.request_text = "Everything about GP visit waiting times, 2025 and 2026."
        history.save(request, f"Clarified by {REQUESTER} on the phone")
        declaration = api.content.create(
            container=portal,
            type="DeclarationOfInterest",
            title="Declaration",
            member="declarant",
            employment="Retired nurse",
            sensitive=True,
            sensitive_details=SENSITIVE,
        )
        history.save(declaration, "First declaration")
        declaration.employment = "Retired practice nurse"
        history.save(declaration, "Sensitive interest: brother's care home")
        api.content.transition(declaration, transition="declare")
        complaint = create_complaint(
            portal,
            received=today(),  # its acknowledgement clock runs
            how_received="email",
            about="host",
            complainant_name=COMPLAINANT,
            complainant_email="alice@example.org",
            details="Nobody called me back about the drop-in.",
            event_date=today() - timedelta(days=10),
        )
    return {"foi": request, "declaration": declaration, "complaint": complaint}


@pytest.fixture
def records(functional_portal):
    found = make_records(functional_portal)
    transaction.commit()
    return found


@pytest.fixture
def session(request_factory):
    """``session(userid)``: a requests session authenticated as that test user (Basic auth)."""
    return lambda userid: request_factory(basic_auth=(userid, PASSWORD))
