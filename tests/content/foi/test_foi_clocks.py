"""The statutory clocks of FOI and subject access requests, run through the workflow as staff do:
clarification restarts an FOI clock and pauses a subject access one, a fees notice disregards the days
until the fee and lapses the request after three months, and a subject access request has one calendar
month, moved to a working day, extendable by two months only within the first."""

from datetime import date
from datetime import timedelta

import pytest
from plone import api

from links.content.clocks import api as clocks
from links.content.clocks.calendar import WorkingCalendar
from links.content.clocks.exceptions import InvalidClockOperation
from links.content.foi import api as foi
from links.content.foi.guards import guards
from links.content.foi.request import IFOIRequest
from links.content.foi.request import ISubjectAccessRequest
from links.content.words import add_months
from links.content.words import today
from links.content.words import translate

from .conftest import answer


def nth_working_day_after(day: date, n: int, calendar: str = "uk") -> date:
    cal = WorkingCalendar(calendar)
    for _ in range(n):
        day = cal.next_working_day(day)
    return day


def act(request, *transitions, user="staff"):
    with api.env.adopt_user(username=user):
        for transition in transitions:
            api.content.transition(request, transition)
    return request


# -- FOI: clarification and fees ------------------------------------------------------------------------
def test_clarification_restarts_the_twenty_working_days(new_request):
    request = act(new_request(received=today() - timedelta(days=3)), "start_work", "ask_clarification")
    clock = clocks.get(request, "foi-response")
    assert clock.state == "paused" and clock.pauses[0].kind == "restart"
    assert "When it arrives, the request counts as received that day" in clock.explanation
    act(request, "clarification_received")
    clock = clocks.get(request, "foi-response")
    assert clock.state == "running" and api.content.get_state(request) == "in_progress"
    # The clarification arrived today: 20 working days following today (bank holidays anywhere in the UK).
    assert clock.due == nth_working_day_after(today(), 20)
    assert "start again from then" in clock.explanation


def test_fees_notice_stops_the_clock_until_the_fee_arrives(new_request):
    request = act(new_request(received=today() - timedelta(days=3)), "start_work")
    assert guards(request).may_ask_fee()
    act(request, "ask_fee")
    assert api.content.get_state(request) == "awaiting_fee"
    response = clocks.get(request, "foi-response")
    assert response.state == "paused" and response.pauses[0].kind == "fee"
    fee = clocks.get(request, "foi-fee-payment")
    # Three months beginning with the day of the notice.
    expected = add_months(today(), 3)
    assert fee.due == (expected - timedelta(days=1) if expected.day == today().day else expected)
    assert not guards(request).may_lapse()
    act(request, "fee_received")
    assert api.content.get_state(request) == "in_progress"
    assert clocks.get(request, "foi-response").state == "running"
    assert clocks.get(request, "foi-fee-payment").state == "met"
    assert "Fees notice given on" in clocks.get(request, "foi-response").explanation


def test_fee_unpaid_for_three_months_lapses_the_request(new_request):
    request = act(new_request(received=today() - timedelta(days=3)), "start_work", "ask_fee")
    with pytest.raises(api.exc.InvalidParameterError):
        act(request, "fee_not_paid")  # not yet: the three months have not passed
    # The notice was given long ago (the clock as it would be after three months).
    clocks.start(request, "foi-fee-payment", started=today() - timedelta(days=100))
    assert guards(request).may_lapse()
    act(request, "fee_not_paid")
    assert api.content.get_state(request) == "lapsed"
    for name in ("foi-response", "foi-fee-payment"):
        clock = clocks.get(request, name)
        assert clock.state == "ended" and clock.status() == "ended"
        assert "the request lapsed" in clock.explanation
    assert foi.disclosure_log()[0] == 0


@pytest.mark.parametrize("handled_under", ["voluntary", "subject-access"])
def test_fees_notices_are_for_foi_requests_only(new_request, handled_under):
    request = act(new_request(handled_under=handled_under), "start_work")
    assert not guards(request).may_ask_fee()
    with pytest.raises(api.exc.InvalidParameterError):
        act(request, "ask_fee")


# -- Subject access ---------------------------------------------------------------------------------------
def test_subject_access_request_end_to_end(new_request):
    received = today() - timedelta(days=2)
    request = new_request(handled_under="subject-access", received=received)
    assert request.reference == f"SAR-{received.year}-0001"
    assert ISubjectAccessRequest.providedBy(request) and IFOIRequest.providedBy(request)
    assert clocks.get(request, "foi-response") is None
    clock = clocks.get(request, "subject-access-request")
    month = add_months(received, 1)
    cal = WorkingCalendar("england-and-wales")
    assert clock.due == (month if cal.is_working_day(month) else cal.next_working_day(month))

    act(request, "start_work", "ask_clarification")
    clock = clocks.get(request, "subject-access-request")
    assert clock.state == "paused" and clock.pauses[0].kind == "pause"
    act(request, "clarification_received")
    assert clocks.get(request, "subject-access-request").state == "running"

    with api.env.adopt_user(username="staff"):
        clock = clocks.extend(request, "subject-access-request", months=2, reason="Many records to search")
        with pytest.raises(InvalidClockOperation, match="at most 2 calendar months"):
            clocks.extend(request, "subject-access-request", months=1, reason="More")
    three = add_months(received, 3)
    assert clock.due == (three if cal.is_working_day(three) else cal.next_working_day(three))

    answer(request)
    assert clocks.get(request, "subject-access-request").state == "met"
    assert foi.disclosure_log() == (0, [])  # a person's request for their own data is never listed


def test_subject_access_extension_only_within_the_first_month(new_request):
    # Received 5 April 2025: due Tuesday 6 May 2025 (Monday 5 May is a bank holiday).
    request = new_request(handled_under="subject-access", received=date(2025, 4, 5), late_reason="Test")
    with api.env.adopt_roles(["Manager"]):
        with pytest.raises(InvalidClockOperation, match="told by the original due date, 6 May 2025"):
            clocks.extend(request, "subject-access-request", months=2, reason="Complex", on=date(2025, 5, 7))
        clock = clocks.extend(
            request, "subject-access-request", months=2, reason="Complex", on=date(2025, 5, 6)
        )
    assert clock.due == date(2025, 7, 7)  # Saturday 5 July 2025 -> Monday 7 July
    assert "decided on Tuesday 6 May 2025 (recorded" in clock.explanation


def test_switching_to_subject_access_swaps_the_clock(new_request):
    request = new_request(received=today() - timedelta(days=2))
    request.handled_under = "subject-access"
    from zope.event import notify
    from zope.lifecycleevent import ObjectModifiedEvent

    notify(ObjectModifiedEvent(request))
    assert clocks.get(request, "foi-response").state == "ended"
    assert clocks.get(request, "subject-access-request").state == "running"
    assert ISubjectAccessRequest.providedBy(request)


# -- Plausible input --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"received": date(1999, 12, 31)}, "before 1 January 2000"),
        ({"received": today() - timedelta(days=60)}, "more than 20 working days ago"),
        (
            {"received": today() - timedelta(days=60), "handled_under": "subject-access"},
            "1 calendar month ago",
        ),
    ],
)
def test_implausible_receipt_needs_a_reason(new_request, change, message):
    from zope.interface import Invalid

    request = new_request(**change)
    with pytest.raises(Invalid) as refused:
        IFOIRequest.validateInvariants(request)
    assert message in translate(refused.value.args[0])
    request.late_reason = "Found in the post room."
    IFOIRequest.validateInvariants(request)


def test_clarification_asked_after_the_deadline_restarts_nothing(new_request):
    request = new_request(received=today() - timedelta(days=60), late_reason="Found late")
    due = clocks.get(request, "foi-response").due
    act(request, "start_work", "ask_clarification", "clarification_received")
    clock = clocks.get(request, "foi-response")
    assert clock.pauses == () and clock.due == due and clock.status() == "overdue"
