"""Demo complaints, information requests and referrals: every state, the reviewer, idempotency."""

from plone import api

from links.policy.demo import complaints as demo


def _complaints(portal):
    return {
        obj.demo_key: obj for obj in portal["complaints"].objectValues() if getattr(obj, "demo_key", None)
    }


def test_complaints_in_every_state(portal):
    found = _complaints(portal)
    assert set(found) == set(demo.COMPLAINTS)
    assert {api.content.get_state(obj) for obj in found.values()} == set(demo.PATH)
    for obj in found.values():
        assert obj.Title() == f"Complaint {obj.reference}"
        assert obj.complainant_name not in obj.Title()


def test_one_under_independent_review_assigned_to_reviewer(portal):
    from links.content import roles

    under_review = [
        o for o in _complaints(portal).values() if api.content.get_state(o) == "under_independent_review"
    ]
    assert len(under_review) == 1
    complaint = under_review[0]
    assert complaint.independent_reviewer == "reviewer"
    assert complaint.investigating_officer == "complaints"
    assert roles.ASSIGNED_REVIEWER in complaint.get_local_roles_for_userid("reviewer")
    assert api.user.has_permission("View", username="reviewer", obj=complaint)


def test_closed_complaints_have_response_letters(portal):
    closed = [o for o in _complaints(portal).values() if api.content.get_state(o) == "closed"]
    assert len(closed) == 2
    assert all(o.response_letter.data.startswith(b"%PDF") for o in closed)


def test_participant_sees_no_complaints(portal):
    catalog = api.portal.get_tool("portal_catalog")
    with api.env.adopt_user(username="participant"):
        assert len(catalog.searchResults(portal_type="Complaint")) == 0
    # Not even the one about their own conduct, which names them (personal data).
    about_them = _complaints(portal)["volunteer-conduct"]
    assert about_them.participant_concerned == "participant"
    assert not api.user.has_permission("View", username="participant", obj=about_them)
    with api.env.adopt_user(username="auditor"):
        # Every complaint: this step's and those the annual report step adds for the last financial year.
        assert len(catalog.searchResults(portal_type="Complaint")) == len(portal["complaints"].objectIds())


def test_requests_and_referrals(portal):
    requests = portal["information-requests"]
    assert {api.content.get_state(requests[k]) for k in demo.INFORMATION_REQUESTS} == {
        "draft",
        "sent",
        "answered",
    }
    referrals = portal["referrals"]
    assert {api.content.get_state(referrals[k]) for k in demo.REFERRALS} == {"referred", "acknowledged"}


def test_step_is_idempotent(portal):
    before = len(portal["complaints"].objectIds())
    demo.create(portal)
    assert len(portal["complaints"].objectIds()) == before
