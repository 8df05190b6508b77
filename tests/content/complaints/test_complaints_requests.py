"""InformationRequest and OSCReferral: simple workflows whose transitions run statutory clocks."""

from datetime import date

import pytest
from plone import api
from plone.api.exc import InvalidParameterError

from links.content.clocks import api as clocks


@pytest.fixture
def requests_folder(integration, portal, folder):
    return portal["requests"]


def test_information_request_response_clock(requests_folder):
    with api.env.adopt_user(username="staff"):
        request = api.content.create(
            container=requests_folder,
            type="InformationRequest",
            title="Discharge waiting times at Northbridge General",
            addressee="Northbridge Integrated Care Board",
            addressee_kind="commissioner",
            questions="How many discharges were delayed in October?",
            sent_on=date(2026, 11, 2),
        )
        api.content.transition(obj=request, transition="send")
        clock = clocks.get(request, "information-request-response")
        # 20 working days following Monday 2 November 2026.
        assert (clock.started, clock.due) == (date(2026, 11, 2), date(2026, 11, 30))
        with pytest.raises(InvalidParameterError):
            api.content.transition(obj=request, transition="record_answer")  # no answer recorded yet
        request.response = "143 delayed discharges."
        request.response_received_on = date(2026, 11, 20)
        api.content.transition(obj=request, transition="record_answer")
    assert api.content.get_state(request) == "answered"
    assert clocks.get(request, "information-request-response").met_on == date(2026, 11, 20)


def test_osc_referral_acknowledgement_clock_counts_the_referral_day(requests_folder):
    with api.env.adopt_user(username="member"):
        referral = api.content.create(
            container=requests_folder,
            type="OSCReferral",
            title="Closure of the Eastgate minor injuries unit",
            committee="Northbridge Borough Council Health Overview and Scrutiny Committee",
            matter="The unit closed without consultation.",
            referred_on=date(2026, 11, 2),
        )
        api.content.transition(obj=referral, transition="refer")
    clock = clocks.get(referral, "osc-acknowledgement")
    # 20 working days beginning with Monday 2 November 2026: day 1 is the 2nd, day 20 Friday the 27th.
    assert clock.due == date(2026, 11, 27)
    # Host staff record the committee's acknowledgement, once its date is known.
    with api.env.adopt_user(username="staff"), pytest.raises(InvalidParameterError):
        api.content.transition(obj=referral, transition="acknowledge")
    referral.acknowledged_on = date(2026, 11, 16)
    with api.env.adopt_user(username="staff"):
        api.content.transition(obj=referral, transition="acknowledge")
    assert clocks.get(referral, "osc-acknowledgement").state == "met"


def test_participants_and_anonymous_do_not_see_requests(requests_folder):
    with api.env.adopt_user(username="staff"):
        request = api.content.create(
            container=requests_folder,
            type="InformationRequest",
            title="Staffing levels",
            addressee="Oak Lodge",
            addressee_kind="provider",
            questions="How many night staff?",
        )
    assert not api.user.has_permission("View", username="participant", obj=request)
    assert api.user.has_permission("View", username="auditor", obj=request)
    with api.env.adopt_roles(["Anonymous"]):
        assert not api.user.has_permission("View", obj=request)
