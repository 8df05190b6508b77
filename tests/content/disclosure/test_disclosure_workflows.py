"""Every links workflow manages previous versions, revert and clocks in every state (#12), and changing a
clock needs View on the record."""

import pytest
from plone import api

APV = "CMFEditions: Access previous versions"
RPV = "CMFEditions: Revert to previous versions"
CLOCKS = "links.content: Manage clocks"


def _states():
    workflows = api.portal.get_tool("portal_workflow")
    return [
        (workflow.getId(), state)
        for workflow in workflows.objectValues()
        if workflow.getId().startswith("links_")
        for state in workflow.states.objectValues()
    ]


def test_every_state_of_every_workflow_manages_versions_revert_and_clocks(portal):
    states = _states()
    assert len(states) > 40  # all of them, read from the site
    for workflow_id, state in states:
        where = f"{workflow_id}/{state.getId()}"
        roles = state.permission_roles or {}
        for permission in (APV, RPV, CLOCKS):
            assert permission in roles, f"{where} does not manage {permission!r}"
            assert isinstance(roles[permission], tuple), f"{where} lets {permission!r} be acquired"
        view = set(roles["View"])
        if "Anonymous" not in view:
            assert set(roles[APV]) <= view, where
            assert set(roles[CLOCKS]) <= view, where
        assert set(roles[RPV]) <= set(roles.get("Modify portal content", ())), where


def test_nobody_reverts_a_report_once_it_is_locked(portal):
    # Revert would bring back findings that "Modify findings" locks from pending sign-off on.
    states = api.portal.get_tool("portal_workflow")["links_report_workflow"].states
    assert states["draft"].permission_roles[RPV]
    for state in ("pending_signoff", "signed_off", "sent_to_provider", "published", "withdrawn"):
        assert states[state].permission_roles[RPV] == (), state


@pytest.mark.parametrize(
    "action,body", [("pause", {"reason": "x"}), ("extend", {"reason": "x", "working_days": 5})]
)
def test_host_staff_cannot_change_the_clocks_of_a_complaint_they_cannot_view(records, session, action, body):
    import transaction

    from links.content.clocks import api as clocks

    complaint = records["complaint"]
    response = session("staff").post(
        f"/{complaint.getId()}/@clocks/complaint-acknowledgement/{action}", json=body
    )
    assert response.status_code in (401, 403, 404), response.text
    assert "2026-11" not in response.text
    transaction.begin()  # see what the server committed
    clock = clocks.get(complaint, "complaint-acknowledgement")
    assert list(clock.pauses) == [] and list(clock.extensions) == []


def test_officer_still_pauses_a_complaint_clock(records, session):
    complaint = records["complaint"]
    response = session("officer").post(
        f"/{complaint.getId()}/@clocks/complaint-acknowledgement/pause",
        json={"reason": "Waiting for the complainant"},
    )
    assert response.status_code == 200, response.text
