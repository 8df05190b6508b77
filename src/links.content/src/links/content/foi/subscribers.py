"""Side effects of FOI requests: the reference title and the statutory clocks (RULES.md "Clocks":
20 working days following receipt; clarification pauses; internal review 20 working days)."""

from __future__ import annotations

from datetime import date

from zope.event import notify

from links.content.clocks import api as clocks
from links.content.events import current_actor
from links.content.foi import api as foi_api
from links.content.foi import guards  # noqa: F401 (declares the module public for guard-expressions)
from links.content.foi.events import FOIRequestAnswered
from links.content.foi.events import FOIRequestReceived

RESPONSE = "foi-response"
REVIEW = "foi-internal-review"


def request_added(obj, event) -> None:
    """Give the request its reference and, when the Act applies to it, start the response clock."""
    foi_api.assign_reference(obj)
    if obj.handled_under == "foi":
        clocks.start(obj, RESPONSE, started=obj.received, actor=current_actor())
    notify(
        FOIRequestReceived(
            obj,
            details={"reference": obj.reference, "handled_under": obj.handled_under},
            actor=current_actor(),
        )
    )


def request_modified(obj, event) -> None:
    """Keep the title in step with the summary (the reference never changes)."""
    if obj.reference and obj.title != foi_api.title_for(obj):
        obj.title = foi_api.title_for(obj)
        obj.reindexObject(idxs=["Title", "sortable_title", "SearchableText"])


def request_transitioned(obj, event) -> None:
    """Pause, resume and stop the clocks as the request moves through the procedure."""
    if event.transition is None:
        return
    tid = event.transition.id
    actor = current_actor()
    today = date.today()
    response = clocks.get(obj, RESPONSE)
    if tid == "ask_clarification" and response is not None and response.state == "running":
        clocks.pause(
            obj,
            RESPONSE,
            reason="Clarification asked of the requester (FOI Act s.1(3))",
            actor=actor or "system",
            on=today,
        )
    elif tid == "clarification_received" and response is not None and response.state == "paused":
        clocks.resume(obj, RESPONSE, on=today, actor=actor)
    elif tid == "answer":
        if not obj.answered_on:
            obj.answered_on = today
        if response is not None:
            clocks.stop(obj, RESPONSE, on=obj.answered_on, actor=actor)
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
            obj.review_requested_on = today
        clocks.start(obj, REVIEW, started=obj.review_requested_on, actor=actor)
    elif tid == "complete_review":
        if not obj.review_decided_on:
            obj.review_decided_on = today
        if clocks.get(obj, REVIEW) is not None:
            clocks.stop(obj, REVIEW, on=obj.review_decided_on, actor=actor)
    obj.reindexObject()
