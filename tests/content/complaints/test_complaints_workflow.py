"""The complaints procedure in-process: states, clocks, guards, appeals and the response letter."""

from datetime import date

import pytest
import transaction
from plone import api
from plone.api.exc import InvalidParameterError

from links.content.clocks import api as clocks
from links.content.complaints import api as capi
from links.content.complaints.exceptions import AppealOutOfTime
from links.content.complaints.exceptions import WrongState


@pytest.fixture(autouse=True)
def _integration(integration, folder, walk):
    global advance
    advance = walk
    return integration


def test_new_complaint_is_received_with_acknowledgement_clock(new_complaint):
    complaint = new_complaint()
    assert api.content.get_state(complaint) == "received"
    clock = clocks.get(complaint, "complaint-acknowledgement")
    assert clock.started == date(2026, 11, 2)
    # 3 working days following Monday 2 November 2026.
    assert clock.due == date(2026, 11, 5)


def test_acknowledge_stops_acknowledgement_and_starts_response_clock(new_complaint):
    complaint = advance(new_complaint(), "acknowledged")
    assert clocks.get(complaint, "complaint-acknowledgement").state == "met"
    response = clocks.get(complaint, "complaint-response")
    assert response.state == "running"
    assert response.started == complaint.received


def test_investigation_needs_an_investigating_officer(new_complaint):
    complaint = advance(new_complaint(), "acknowledged")
    with api.env.adopt_user(username="officer"), pytest.raises(InvalidParameterError):
        api.content.transition(obj=complaint, transition="start_investigation")
    assert api.content.get_state(complaint) == "acknowledged"


def test_response_needs_findings_and_outcome(new_complaint):
    complaint = advance(new_complaint(), "under_investigation")
    with api.env.adopt_user(username="officer"), pytest.raises(InvalidParameterError):
        api.content.transition(obj=complaint, transition="send_response")
    assert api.content.get_state(complaint) == "under_investigation"


def test_send_response_stops_response_clock(new_complaint):
    complaint = advance(new_complaint(), "response_sent")
    assert clocks.get(complaint, "complaint-response").state == "met"
    assert complaint.response_sent_on is not None


def test_close_without_appeal_writes_pdf_letter(new_complaint):
    complaint = advance(new_complaint(), "closed")
    letter = complaint.response_letter
    assert letter.contentType == "application/pdf"
    assert letter.data.startswith(b"%PDF")
    html = capi.letter_html(complaint)
    assert "The call-back was missed." in html
    assert "Ombudsman" in html
    assert "take it further" in html


def test_appeal_path_runs_appeal_clock_and_ends_closed(new_complaint):
    complaint = advance(new_complaint(), "under_independent_review")
    assert clocks.get(complaint, "appeal-decision").state == "running"
    advance(complaint, "appeal_decided")
    assert clocks.get(complaint, "appeal-decision").state == "met"
    advance(complaint, "closed")
    assert "An independent reviewer decided your appeal" in capi.letter_html(complaint)
    assert complaint.response_letter.data.startswith(b"%PDF")


def test_appeal_after_the_window_is_refused_and_nothing_changes(new_complaint):
    complaint = advance(new_complaint(), "response_sent")
    complaint.response_sent_on = date(2026, 9, 1)
    transaction.savepoint()
    with api.env.adopt_user(username="officer"), pytest.raises(AppealOutOfTime, match="after the deadline"):
        capi.request_appeal(complaint, "Too late.", on=date(2026, 11, 2))
    assert api.content.get_state(complaint) == "response_sent"
    assert complaint.appeal_grounds is None


def test_appeal_in_the_future_is_refused(new_complaint):
    complaint = advance(new_complaint(), "response_sent")
    with api.env.adopt_user(username="officer"), pytest.raises(AppealOutOfTime):
        capi.request_appeal(complaint, "Later.", on=date(2099, 1, 1))
    assert api.content.get_state(complaint) == "response_sent"


def test_appeal_before_response_is_refused(new_complaint):
    complaint = advance(new_complaint(), "under_investigation")
    with api.env.adopt_user(username="officer"), pytest.raises(WrongState):
        capi.request_appeal(complaint, "Early.")


def test_decide_appeal_is_for_the_assigned_reviewer_only(new_complaint):
    complaint = advance(new_complaint(), "under_independent_review")
    complaint.appeal_decision = "upheld"
    for userid in ("officer", "reviewer2"):
        with api.env.adopt_user(username=userid), pytest.raises(InvalidParameterError):
            api.content.transition(obj=complaint, transition="decide_appeal")
    with api.env.adopt_user(username="reviewer"):
        api.content.transition(obj=complaint, transition="decide_appeal")
    assert api.content.get_state(complaint) == "appeal_decided"


def test_every_transition_leaves_workflow_history(new_complaint):
    complaint = advance(new_complaint(), "closed")
    history = complaint.workflow_history["links_complaint_workflow"]
    actions = [entry["action"] for entry in history if entry.get("action")]
    assert actions == ["acknowledge", "start_investigation", "send_response", "close"]
