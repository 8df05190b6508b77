"""What a complaints officer is told after a step of the procedure, in words with the dates that follow
from it ("Acknowledged. Response due by 24 December 2026."), instead of Plone's "Item state changed."."""

from __future__ import annotations

from plone import api
from zope.globalrequest import getRequest

from links.content.clocks import api as clocks
from links.content.complaints import rules
from links.content.words import format_date


def _due(complaint, name: str) -> str:
    clock = clocks.get(complaint, name)
    return format_date(clock.due) if clock is not None else ""


def message(complaint, transition: str) -> str | None:
    """The sentence for ``transition`` just taken on ``complaint`` (None for an unknown one)."""
    from links.content.complaints.subscribers import APPEAL
    from links.content.complaints.subscribers import RESPONSE

    if transition == "acknowledge":
        return f"Acknowledged. Response due by {_due(complaint, RESPONSE)}."
    if transition == "start_investigation":
        return f"Investigation started. Response due by {_due(complaint, RESPONSE)}."
    if transition == "send_response":
        sent = complaint.response_sent_on
        deadline = format_date(rules.appeal_deadline(sent)) if sent else ""
        return f"Response sent on {format_date(sent)}. An appeal may be requested until {deadline}."
    if transition == "request_appeal":
        return "Appeal requested. Assign an independent reviewer to begin the review."
    if transition == "begin_review":
        return f"Independent review begun. Decision due by {_due(complaint, APPEAL)}."
    if transition == "decide_appeal":
        return f"Appeal decided on {format_date(complaint.appeal_decided_on)}."
    if transition == "close":
        return "Closed. The response letter is stored with the case."
    return None


def tell(complaint, transition: str) -> None:
    """Show the sentence on the next page the person sees (when there is a person: a request)."""
    text = message(complaint, transition)
    request = getRequest()
    if text and request is not None:
        api.portal.show_message(text, request=request, type="info")
