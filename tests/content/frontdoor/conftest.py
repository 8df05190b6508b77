"""Fixtures of the front-door tests: a recording MailHost and form data as the public fills it in."""

import pytest
from Products.CMFPlone.tests.utils import MockMailHost

from links.content.testing import install_mailhost


@pytest.fixture(autouse=True)
def mailhost(portal):
    mailhost = install_mailhost(portal, MockMailHost("MailHost"))
    mailhost.reset()
    return mailhost


def complaint_form(**overrides):
    data = {
        "about": "network",
        "details": "The drop-in was closed without notice three weeks running.",
        "complainant_name": "Beth Ashworth",
        "complainant_email": "beth@example.org",
        "complainant_phone": None,
        "complainant_address": None,
        "preferred_format": "large-print",
        "preferred_language": "Welsh",
        "consent_to_share": True,
    }
    data.update(overrides)
    return data


def request_form(**overrides):
    data = {
        "summary": "Minutes of the governing body in 2026",
        "request_text": "Copies of the minutes of every governing body meeting this year.",
        "requester_name": "Olu Adebayo",
        "email": "olu@example.org",
        "postal_address": None,
        "preferred_format": "easy-read",
        "preferred_language": None,
        "consent": True,
    }
    data.update(overrides)
    return data
