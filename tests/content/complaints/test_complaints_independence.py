"""Independence of the appeal's reviewer: role, earlier involvement, declarations of interest."""

from datetime import date

import pytest
from plone import api
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.intid.interfaces import IIntIds

from links.content import roles
from links.content.complaints import api as capi
from links.content.complaints.exceptions import NotIndependent
from links.content.complaints.exceptions import WrongState


@pytest.fixture(autouse=True)
def _integration(integration, folder, walk):
    global advance
    advance = walk
    return integration


@pytest.fixture
def appeal(new_complaint):
    return advance(new_complaint(), "appeal_requested")


def test_independent_reviewer_is_assigned_and_gets_local_role(appeal):
    with api.env.adopt_user(username="officer"):
        capi.assign_reviewer(appeal, "reviewer")
    assert appeal.independent_reviewer == "reviewer"
    assert roles.ASSIGNED_REVIEWER in appeal.get_local_roles_for_userid("reviewer")
    assert api.content.get_state(appeal) == "under_independent_review"


def test_reviewer_without_the_role_is_refused(appeal):
    with api.env.adopt_user(username="officer"), pytest.raises(NotIndependent, match="does not hold"):
        capi.assign_reviewer(appeal, "staff")
    assert api.content.get_state(appeal) == "appeal_requested"
    assert appeal.independent_reviewer is None


def test_unknown_user_is_refused(appeal):
    with api.env.adopt_user(username="officer"), pytest.raises(NotIndependent, match="Nobody here has"):
        capi.assign_reviewer(appeal, "nobody-here")


def test_reviewer_is_found_by_full_name_and_refusals_name_people(appeal):
    """People type "Richard Osei", not "reviewer"; the refusal names Sandra, not her user id."""
    with api.env.adopt_roles(["Manager"]):
        api.user.get(userid="reviewer").setMemberProperties({"fullname": "Richard Osei"})
        api.user.get(userid="staff").setMemberProperties({"fullname": "Sandra Kowalski"})
    with api.env.adopt_user(username="officer"):
        with pytest.raises(NotIndependent, match="^Sandra Kowalski does not hold the Independent Reviewer"):
            capi.assign_reviewer(appeal, "sandra  KOWALSKI")
        capi.assign_reviewer(appeal, "Richard Osei")
    assert appeal.independent_reviewer == "reviewer"


def test_a_name_two_people_share_finds_nobody(appeal):
    with api.env.adopt_roles(["Manager"]):
        for userid in ("reviewer", "reviewer2"):
            api.user.get(userid=userid).setMemberProperties({"fullname": "Chris Jones"})
    assert roles.find_person("Chris Jones") is None
    assert roles.find_person("reviewer2") == "reviewer2"


def test_investigating_officer_is_refused_even_with_the_role(appeal, portal):
    from plone.app.testing import setRoles

    setRoles(portal, "officer2", [roles.COMPLAINTS_OFFICER, roles.INDEPENDENT_REVIEWER])
    with api.env.adopt_user(username="officer"), pytest.raises(NotIndependent, match="investigating officer"):
        capi.assign_reviewer(appeal, "officer2")
    assert not appeal.get_local_roles_for_userid("officer2") or roles.ASSIGNED_REVIEWER not in (
        appeal.get_local_roles_for_userid("officer2")
    )


def test_participant_complained_about_is_refused_even_with_the_role(new_complaint, portal):
    from plone.app.testing import setRoles

    setRoles(portal, "participant", [roles.PARTICIPANT, roles.INDEPENDENT_REVIEWER])
    appeal = advance(
        new_complaint(about="participant", participant_concerned="participant"), "appeal_requested"
    )
    with (
        api.env.adopt_user(username="officer"),
        pytest.raises(NotIndependent, match="this complaint is about"),
    ):
        capi.assign_reviewer(appeal, "participant")
    assert api.content.get_state(appeal) == "appeal_requested"
    assert appeal.independent_reviewer is None


def test_anyone_who_acted_on_the_case_is_refused(appeal, portal):
    from plone.app.testing import setRoles

    # "officer" logged and acknowledged the complaint.
    setRoles(portal, "officer", [roles.COMPLAINTS_OFFICER, roles.INDEPENDENT_REVIEWER])
    with api.env.adopt_user(username="officer"), pytest.raises(NotIndependent, match="already acted"):
        capi.assign_reviewer(appeal, "officer")


def test_reviewer_with_current_declaration_touching_the_provider_is_refused(appeal, portal):
    with api.env.adopt_roles(["Manager"]):
        provider = api.content.create(
            container=portal, type="ServiceProvider", id="oak-lodge", title="Oak Lodge Care Home"
        )
        intids = getUtility(IIntIds)
        appeal.provider = RelationValue(intids.getId(provider))
        declaration = api.content.create(
            container=portal,
            type="DeclarationOfInterest",
            id="decl-reviewer2",
            title="Declaration",
            member="reviewer2",
            employment="Bank nurse at Oak Lodge Care Home",
            providers=[RelationValue(intids.getId(provider))],
            date_of_change=date(2026, 1, 5),
        )
        api.content.transition(obj=declaration, transition="declare")
    with (
        api.env.adopt_user(username="officer"),
        pytest.raises(NotIndependent, match="declaration of interest"),
    ):
        capi.assign_reviewer(appeal, "reviewer2")
    assert api.content.get_state(appeal) == "appeal_requested"
    # Someone without that interest is fine.
    with api.env.adopt_user(username="officer"):
        capi.assign_reviewer(appeal, "reviewer")


def test_reviewer_cannot_be_assigned_before_an_appeal(new_complaint):
    complaint = advance(new_complaint(), "response_sent")
    with api.env.adopt_user(username="officer"), pytest.raises(WrongState):
        capi.assign_reviewer(complaint, "reviewer")


def test_replaced_reviewer_loses_access_and_cannot_return(appeal):
    with api.env.adopt_user(username="officer"):
        capi.assign_reviewer(appeal, "reviewer")
        capi.assign_reviewer(appeal, "reviewer2")
    assert roles.ASSIGNED_REVIEWER not in appeal.get_local_roles_for_userid("reviewer")
    assert not api.user.has_permission("View", username="reviewer", obj=appeal)
    with api.env.adopt_user(username="officer"), pytest.raises(NotIndependent, match="already acted"):
        capi.assign_reviewer(appeal, "reviewer")
