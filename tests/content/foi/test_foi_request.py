"""FOIRequest: reference title, clocks, workflow with clarification and internal review, refusal
notices, permissions."""

from datetime import date

import pytest
from AccessControl import Unauthorized
from plone import api
from zope.interface import Invalid

from links.content.clocks import api as clocks
from links.content.foi.guards import guards
from links.content.foi.request import IFOIRequest
from links.content.interfaces import IConfidentialRecord

from .conftest import answer


def test_request_gets_reference_and_confidential_marker(new_request):
    request = new_request()
    assert request.reference.startswith("FOI-2026-")
    assert request.Title() == f"{request.reference}: Waiting times for GP visits at care homes"
    assert "Brenda" not in request.Title()
    assert IConfidentialRecord.providedBy(request) and IFOIRequest.providedBy(request)
    assert api.content.get_state(request) == "received"
    assert "plone.versioning" in api.portal.get_tool("portal_types")["FOIRequest"].behaviors


def test_response_clock_starts_on_receipt(new_request):
    request = new_request(received=date(2026, 11, 2))
    clock = clocks.get(request, "foi-response")
    assert clock is not None and clock.started == date(2026, 11, 2)
    # 20 working days following Monday 2 November 2026; for FOI, St Andrew's Day (Monday 30 November,
    # a Scottish bank holiday) does not count, so the 20th working day is 1 December.
    assert clock.due == date(2026, 12, 1)


def test_applicability_setting_off_means_voluntary_without_clock(new_request):
    api.portal.set_registry_record("links.content.foi.applies", False)
    request = new_request()
    assert request.handled_under == "voluntary"
    assert clocks.get(request, "foi-response") is None


def test_clarification_pauses_and_resumes_the_clock(new_request):
    request = new_request(received=date(2026, 11, 2))
    with api.env.adopt_user(username="staff"):
        api.content.transition(request, "start_work")
        api.content.transition(request, "ask_clarification")
        assert clocks.get(request, "foi-response").state == "paused"
        api.content.transition(request, "clarification_received")
    assert clocks.get(request, "foi-response").state == "running"
    assert api.content.get_state(request) == "in_progress"


def test_answer_needs_outcome_and_answer(new_request):
    request = new_request()
    with api.env.adopt_user(username="staff"):
        api.content.transition(request, "start_work")
        assert not guards(request).may_answer()
        with pytest.raises(api.exc.InvalidParameterError):
            api.content.transition(request, "answer")
    answer(request)
    assert api.content.get_state(request) == "answered"
    assert request.answered_on == date.today()
    assert clocks.get(request, "foi-response").state == "met"


def test_refusal_needs_a_complete_notice(new_request):
    request = new_request()
    request.outcome = "refused"
    request.answer = "We hold the information but it is exempt."
    assert not guards(request).may_answer()
    with pytest.raises(Invalid, match="exemption"):
        IFOIRequest.validateInvariants(request)
    request.exemptions = ["s43"]
    request.refusal_reasons = "Disclosure would prejudice the provider's commercial interests."
    request.public_interest = "The public interest in transparency does not outweigh it."
    # review route and ICO right come from the registry defaults
    assert request.review_route and "Information Commissioner" in request.ico_right
    assert guards(request).may_answer()


def test_internal_review_has_its_own_clock(new_request):
    request = answer(new_request())
    with api.env.adopt_user(username="staff"):
        api.content.transition(request, "request_review")
        assert clocks.get(request, "foi-internal-review").state == "running"
        assert not guards(request).may_complete_review()
        request.review_outcome = "The original decision is upheld."
        api.content.transition(request, "complete_review")
    assert api.content.get_state(request) == "review_complete"
    assert clocks.get(request, "foi-internal-review").state == "met"


@pytest.mark.parametrize(
    "userid,can_view,can_see_requester",
    [
        ("staff", True, True),
        ("officer", True, True),
        ("auditor", True, False),
        ("member", False, False),
        ("participant", False, False),
    ],
)
@pytest.mark.parametrize("state", ["received", "answered"])
def test_who_may_see_a_request(new_request, userid, can_view, can_see_requester, state):
    request = new_request()
    if state == "answered":
        answer(request)
    with api.env.adopt_user(username=userid):
        assert bool(api.user.has_permission("View", obj=request)) is can_view
        assert (
            bool(api.user.has_permission("links.content: View FOI requester", obj=request))
            is can_see_requester
        )


def test_anonymous_cannot_see_a_request(new_request):
    request = new_request()
    from plone.app.testing import logout

    logout()
    assert not api.user.has_permission("View", obj=request)
    catalog = api.portal.get_tool("portal_catalog")
    assert len(catalog(portal_type="FOIRequest")) == 0


def test_auditor_cannot_answer(new_request):
    request = new_request()
    with api.env.adopt_user(username="auditor"):
        assert not api.user.has_permission("Modify portal content", obj=request)
        with pytest.raises((api.exc.InvalidParameterError, Unauthorized)):
            api.content.transition(request, "start_work")


def test_answered_request_is_frozen_for_handlers(new_request):
    request = answer(new_request())
    with api.env.adopt_user(username="staff"):
        assert not api.user.has_permission("Modify portal content", obj=request)
        assert not api.user.has_permission("links.content: Add Redaction", obj=request)


def test_redactions_follow_their_request(integration, portal):
    # No workflow of their own: a redaction's permissions are its request's.
    assert api.portal.get_tool("portal_workflow").getChainFor("Redaction") == ()
    assert api.portal.get_tool("portal_workflow").getChainFor("FOIRequest") == ("links_foi_workflow",)
