"""Side effects of the complaints, information request and referral workflows: case references and
statutory clocks. Clocks start and stop with transitions (README "Statutory clocks").
"""

from __future__ import annotations

from zope.event import notify

from links.content.clocks import api as clocks
from links.content.complaints import api as complaints_api
from links.content.complaints import messages
from links.content.complaints import rules
from links.content.complaints.events import AppealRequested
from links.content.complaints.events import ComplaintReceived
from links.content.events import current_actor

ACK = "complaint-acknowledgement"
RESPONSE = "complaint-response"
APPEAL = "appeal-decision"
INFO = "information-request-response"
OSC = "osc-acknowledgement"


def complaint_added(complaint, event):
    """Give the case its reference title and start the acknowledgement clock from ``received``."""
    complaints_api.assign_reference(complaint)
    complaint.reindexObject()
    clocks.start(complaint, ACK, started=complaint.received, actor=current_actor())
    notify(ComplaintReceived(complaint, details={"reference": complaint.reference}, actor=current_actor()))


def complaint_transitioned(complaint, event):
    """Stop and start clocks as the complaint moves through the procedure."""
    if event.transition is None:
        return
    tid = event.transition.id
    actor = current_actor()
    today = rules.today()
    if tid == "acknowledge":
        clocks.stop(complaint, ACK, on=today, actor=actor)
        # The response is due counting from receipt, not from the acknowledgement.
        clocks.start(complaint, RESPONSE, started=complaint.received or today, actor=actor)
    elif tid == "send_response":
        if not complaint.response_sent_on:
            complaint.response_sent_on = today
        clocks.stop(complaint, RESPONSE, on=complaint.response_sent_on, actor=actor)
    elif tid == "request_appeal":
        on = complaint.appeal_requested_on
        notify(AppealRequested(complaint, details={"on": on.isoformat() if on else None}, actor=actor))
    elif tid == "begin_review":
        clocks.start(complaint, APPEAL, started=today, actor=actor)
    elif tid == "decide_appeal":
        if not complaint.appeal_decided_on:
            complaint.appeal_decided_on = today
        clocks.stop(complaint, APPEAL, on=complaint.appeal_decided_on, actor=actor)
        # The reviewer's part ends with the decision; the workflow already stops granting the local
        # role any permission once the case is closed.
    elif tid == "close":
        complaints_api.write_response_letter(complaint, actor=actor)
    messages.tell(complaint, tid)


def information_request_transitioned(obj, event):
    """The response clock runs from the day the request is sent until the answer is recorded."""
    if event.transition is None:
        return
    tid = event.transition.id
    if tid == "send":
        if not obj.sent_on:
            obj.sent_on = rules.today()
        clocks.start(obj, INFO, started=obj.sent_on, actor=current_actor())
    elif tid == "record_answer":
        clocks.stop(obj, INFO, on=obj.response_received_on, actor=current_actor())


def osc_referral_transitioned(obj, event):
    """The acknowledgement clock runs from the date of referral until the committee acknowledges."""
    if event.transition is None:
        return
    tid = event.transition.id
    if tid == "refer":
        if not obj.referred_on:
            obj.referred_on = rules.today()
        clocks.start(obj, OSC, started=obj.referred_on, actor=current_actor())
    elif tid == "acknowledge":
        clocks.stop(obj, OSC, on=obj.acknowledged_on, actor=current_actor())
