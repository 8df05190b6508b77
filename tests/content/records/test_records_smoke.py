"""The record types are installed and can be created."""

import pytest
from plone import api

TYPES = [
    "ServiceProvider",
    "Constitution",
    "DeclarationOfInterest",
    "EnterAndViewReport",
    "RepresentativeAuthorisation",
    "DecisionStatement",
]


@pytest.mark.parametrize("portal_type", TYPES)
def test_fti_installed(portal, portal_type):
    fti = api.portal.get_tool("portal_types")[portal_type]
    assert "plone.versioning" in fti.behaviors


def test_report_created_in_draft(report):
    assert api.content.get_state(report) == "draft"
