"""Side effects of FOI and subject access requests: the reference title and the statutory clocks.

The clocks follow the law (README "Statutory clocks"): an FOI request is answered within 20 working
days following receipt; asking for clarification restarts them from the day it arrives (s.1(3),
s.10(6)); a fees notice disregards the days from the notice to the fee (s.10(2)) and an unpaid fee
lapses the request after three months (s.9(2)). A subject access request has one calendar month,
paused while clarification is awaited. The internal review has its own 20 working days.
"""

from __future__ import annotations

from plone import api
from zope.event import notify
from zope.interface import alsoProvides
from zope.interface import noLongerProvides

from links.content.clocks import api as clocks
from links.content.clocks.rules import FEE
from links.content.clocks.rules import PAUSE
from links.content.clocks.rules import RESTART
from links.content.clocks.storage import OPEN_STATES
from links.content.events import current_actor
from links.content.foi import api as foi_api
from links.content.foi import guards  # noqa: F401 (declares the module public for guard-expressions)
from links.content.foi.events import FOIRequestAnswered
from links.content.foi.events import FOIRequestReceived
from links.content.foi.request import FEE_CLOCK
from links.content.foi.request import RESPONSE_CLOCKS
from links.content.foi.request import REVIEW_CLOCK
from links.content.foi.request import ISubjectAccessRequest
from links.content.foi.vocabularies import SUBJECT_ACCESS
from links.content.words import today

RESPONSE = RESPONSE_CLOCKS["foi"]
REVIEW = REVIEW_CLOCK
#: States in which the request has not been answered yet (the response clock may still change).
OPEN_REQUEST_STATES = ("received", "in_progress", "awaiting_clarification", "awaiting_fee")

CLARIFICATION = {
    "foi": "Clarification asked of the requester (FOI Act s.1(3))",
    SUBJECT_ACCESS: "Clarification asked of the requester (UK GDPR art. 12(3); ICO guidance)",
}
FEES_NOTICE = "Fees notice given (FOI Act s.9)"
OTHER_LAW = "The request is now handled under another law"
LAPSED = "The fee was not paid within three months of the fees notice (FOI Act s.9(2)): the request lapsed"


def response_clock(obj):
    """The open clock answering the request (None for voluntary disclosure or once it stopped)."""
    name = RESPONSE_CLOCKS.get(obj.handled_under)
    clock = clocks.get(obj, name) if name else None
    return clock if clock is not None and clock.state in OPEN_STATES else None


def request_added(obj, event) -> None:
    """Give the request its reference and start the clock of the law it is handled under."""
    _mark(obj)
    foi_api.assign_reference(obj)
    name = RESPONSE_CLOCKS.get(obj.handled_under)
    if name:
        clocks.start(obj, name, started=obj.received, actor=current_actor())
    notify(
        FOIRequestReceived(
            obj,
            details={"reference": obj.reference, "handled_under": obj.handled_under},
            actor=current_actor(),
        )
    )


def request_modified(obj, event) -> None:
    """Keep the title in step with the summary (the reference never changes), and the clock in step
    with the law the request is handled under while it is unanswered."""
    if obj.reference and obj.title != foi_api.title_for(obj):
        obj.title = foi_api.title_for(obj)
        obj.reindexObject(idxs=["Title", "sortable_title", "SearchableText"])
    _mark(obj)

    if api.content.get_state(obj, default=None) not in OPEN_REQUEST_STATES:
        return
    wanted = RESPONSE_CLOCKS.get(obj.handled_under)
    for name in set(RESPONSE_CLOCKS.values()) - {wanted}:
        clock = clocks.get(obj, name)
        if clock is not None and clock.state in OPEN_STATES:
            clocks.end(
                obj, name, reason="The request is now handled under another law", actor=current_actor()
            )
    if wanted and response_clock(obj) is None and clocks.get(obj, wanted) is None:
        clocks.start(obj, wanted, started=obj.received, actor=current_actor())


def _mark(obj) -> None:
    """A subject access request carries ISubjectAccessRequest, which keeps it out of the disclosure log."""
    if obj.handled_under == SUBJECT_ACCESS:
        alsoProvides(obj, ISubjectAccessRequest)
    else:
        noLongerProvides(obj, ISubjectAccessRequest)
    obj.reindexObject(idxs=["object_provides"])


def request_transitioned(obj, event) -> None:
    """Pause, restart, resume and stop the clocks as the request moves through the procedure."""
    if event.transition is None:
        return
    tid = event.transition.id
    actor = current_actor()
    day = today()
    response = response_clock(obj)
    # Once the answer is overdue, asking for clarification or a fee stops nothing (clocks.pause refuses it).
    running = response is not None and response.state == "running" and day <= response.due
    if tid == "ask_clarification" and running:
        # Clocks started before 1.1 keep their old rule, which knew only a plain pause.
        kind = RESTART if RESTART in response.rule.pause_kinds else PAUSE
        reason = CLARIFICATION.get(obj.handled_under, CLARIFICATION["foi"])
        clocks.pause(obj, response.name, reason=reason, actor=actor or "system", on=day, kind=kind)
    elif tid in ("clarification_received", "fee_received") and response is not None:
        if response.state == "paused":
            clocks.resume(obj, response.name, on=day, actor=actor)
        if tid == "fee_received" and _open(obj, FEE_CLOCK):
            clocks.stop(obj, FEE_CLOCK, on=day, actor=actor)
    elif tid == "ask_fee":
        if running:
            kind = FEE if FEE in response.rule.pause_kinds else PAUSE
            clocks.pause(obj, response.name, reason=FEES_NOTICE, actor=actor or "system", on=day, kind=kind)
        clocks.start(obj, FEE_CLOCK, started=day, actor=actor)
    elif tid == "fee_not_paid":
        for name in (RESPONSE_CLOCKS.get(obj.handled_under), FEE_CLOCK):
            if name and _open(obj, name):
                clocks.end(obj, name, reason=LAPSED, on=day, actor=actor)
    elif tid == "answer":
        if not obj.answered_on:
            obj.answered_on = day
        if response is not None:
            clocks.stop(obj, response.name, on=obj.answered_on, actor=actor)
        notify(
            FOIRequestAnswered(
                obj,
                details={
                    "reference": obj.reference,
                    "outcome": obj.outcome,
                    "exemptions": list(obj.exemptions or ()),
                },
                actor=actor,
            )
        )
    elif tid == "request_review":
        if not obj.review_requested_on:
            obj.review_requested_on = day
        clocks.start(obj, REVIEW, started=obj.review_requested_on, actor=actor)
    elif tid == "complete_review":
        if not obj.review_decided_on:
            obj.review_decided_on = day
        if clocks.get(obj, REVIEW) is not None:
            clocks.stop(obj, REVIEW, on=obj.review_decided_on, actor=actor)
    obj.reindexObject()


def _open(obj, name: str) -> bool:
    clock = clocks.get(obj, name)
    return clock is not None and clock.state in OPEN_STATES
