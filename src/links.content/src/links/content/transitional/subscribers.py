"""Side effects of the transitional report: domain events for its transitions, the figures taken on
submission, and the reg 15 clocks (two months to prepare, three to send the copies)."""

from __future__ import annotations

from plone import api

from links.content.periodreport.api import announce_transition as announce
from links.content.periodreport.api import follow_clock
from links.content.periodreport.api import signed_on
from links.content.transitional import api as transitional_api
from links.content.transitional.events import TRANSITION_EVENTS


def announce_transition(obj, event):
    """IAfterTransitionEvent: take the figures on submission, then announce the domain event."""
    if announce(obj, event, TRANSITION_EVENTS, transitional_api.take_snapshot) is None:
        return
    if event.new_state.id in transitional_api.SIGNED_STATES:
        update_clocks(obj)


def update_clocks(obj, event=None):
    """Keep the reg 15 clocks in step with the record (added, edited or signed off).

    A clock starts on "ceased on" (restarted when that date changes); the preparation clock stops on the
    day the report is signed off, the copies clock on the day the last of the three copies was sent.
    """
    ceased = getattr(obj, "ceased_on", None)
    if not ceased:
        return
    signed = api.content.get_state(obj, default=None) in transitional_api.SIGNED_STATES
    follow_clock(obj, transitional_api.PREPARATION_CLOCK, ceased, signed_on(obj) if signed else None)
    follow_clock(obj, transitional_api.COPIES_CLOCK, ceased, transitional_api.copies_sent_on(obj))
