"""Who sees a complaint and its personal data: a role x workflow state matrix, plus the catalog."""

import pytest
from plone import api

from links.content.complaints.complaint import PERSONAL_FIELDS

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
APPEAL_STAGE_WITH_REVIEWER = {"under_independent_review", "appeal_decided"}
VIEW_DETAILS = "links.content: View complainant details"

# user -> (sees the case?, sees personal data?) as a function of the state
EXPECTED = {
    "officer": lambda state: (True, True),
    "auditor": lambda state: (True, False),
    "reviewer": lambda state: (state in APPEAL_STAGE_WITH_REVIEWER,) * 2,  # the assigned reviewer
    "reviewer2": lambda state: (False, False),  # an independent reviewer not assigned to this case
    "participant": lambda state: (False, False),
    "staff": lambda state: (False, False),
    "member": lambda state: (False, False),
}


@pytest.mark.parametrize("state", STATES)
def test_role_state_matrix(integration, portal, folder, new_complaint, walk, state):
    complaint = walk(new_complaint(), state)
    wrong = []
    for userid, expected in EXPECTED.items():
        actual = (
            api.user.has_permission("View", username=userid, obj=complaint),
            api.user.has_permission(VIEW_DETAILS, username=userid, obj=complaint),
        )
        if actual != expected(state):
            wrong.append(f"{userid}: expected {expected(state)}, got {actual}")
    with api.env.adopt_roles(["Anonymous"]):
        if api.user.has_permission("View", obj=complaint):
            wrong.append("Anonymous can view")
    with api.env.adopt_roles(["Manager"]):
        if not api.user.has_permission(VIEW_DETAILS, obj=complaint):
            wrong.append("Manager cannot see personal data")
    assert not wrong, f"state {state}: " + "; ".join(wrong)


def test_personal_fields_carry_the_read_permission():
    from plone.autoform.interfaces import READ_PERMISSIONS_KEY

    from links.content.complaints.complaint import IComplaint

    protected = IComplaint.queryTaggedValue(READ_PERMISSIONS_KEY)
    assert {name: protected.get(name) for name in PERSONAL_FIELDS} == dict.fromkeys(
        PERSONAL_FIELDS, "links.content.ViewComplainantDetails"
    )


def test_catalog_hides_complaints_from_participants_and_anonymous(integration, portal, folder, new_complaint):
    complaint = new_complaint()
    catalog = api.portal.get_tool("portal_catalog")

    def found():
        return [brain.getPath() for brain in catalog.searchResults(portal_type="Complaint")]

    path = "/".join(complaint.getPhysicalPath())
    for userid in ("participant", "staff", "member", "reviewer"):
        with api.env.adopt_user(username=userid):
            assert found() == [], userid
            text_hits = catalog.searchResults(SearchableText="Complaint")
            assert [b for b in text_hits if b.portal_type == "Complaint"] == [], userid
    with api.env.adopt_roles(["Anonymous"]):
        assert found() == []
    for userid in ("officer", "auditor"):
        with api.env.adopt_user(username=userid):
            assert found() == [path], userid


def test_assigned_reviewer_finds_the_case_in_the_catalog(integration, portal, folder, new_complaint, walk):
    complaint = walk(new_complaint(), "under_independent_review")
    catalog = api.portal.get_tool("portal_catalog")
    with api.env.adopt_user(username="reviewer"):
        assert [b.UID for b in catalog.searchResults(portal_type="Complaint")] == [complaint.UID()]
    with api.env.adopt_user(username="reviewer2"):
        assert len(catalog.searchResults(portal_type="Complaint")) == 0
