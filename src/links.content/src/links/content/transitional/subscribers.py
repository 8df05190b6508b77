"""Side effects of the transitional report: domain events for its transitions, the figures taken on
submission, and the reg 15 clocks (two months to prepare, three to send the copies)."""

from __future__ import annotations

import logging

from plone import api
from zope.event import notify

from links.content.clocks import api as clocks_api
from links.content.clocks.exceptions import ClockError
from links.content.events import current_actor
from links.content.events import transition_details
from links.content.transitional import api as transitional_api
from links.content.transitional.events import TRANSITION_EVENTS

logger = logging.getLogger(__name__)


def announce_transition(obj, event):
    """IAfterTransitionEvent: take the figures on submission, then announce the domain event."""
    if event.transition is None:
        return  # creation: the workflow sets the initial state
    actor = current_actor()
    if event.transition.id == "submit":
        transitional_api.take_snapshot(obj, actor=actor)
    factory = TRANSITION_EVENTS.get(event.transition.id)
    if factory is not None:
        notify(factory(obj, details=transition_details(event), actor=actor))
    if event.new_state.id in transitional_api.SIGNED_STATES:
        update_clocks(obj)


def _configured(name: str) -> bool:
    try:
        return name in clocks_api.configured_rules()
    except ClockError:
        logger.exception("The clock rules cannot be read")
        return False


def update_clocks(obj, event=None):
    """Keep the reg 15 clocks in step with the record (added, edited or signed off).

    A clock starts on "ceased on" (restarted when that date changes); the preparation clock stops on the
    day the report is signed off, the copies clock on the day the last of the three copies was sent.
    """
    ceased = getattr(obj, "ceased_on", None)
    if not ceased:
        return
    state = api.content.get_state(obj, default=None)
    for name in (transitional_api.PREPARATION_CLOCK, transitional_api.COPIES_CLOCK):
        if not _configured(name):
            continue
        clock = clocks_api.get(obj, name)
        if clock is None or clock.started != ceased:
            clock = clocks_api.start(obj, name, started=ceased)
        if clock.met_on is not None:
            continue
        if name == transitional_api.PREPARATION_CLOCK and state in transitional_api.SIGNED_STATES:
            clocks_api.stop(obj, name, on=max(_signed_on(obj), clock.started))
        elif name == transitional_api.COPIES_CLOCK:
            sent = transitional_api.copies_sent_on(obj)
            if sent is not None:
                clocks_api.stop(obj, name, on=max(sent, clock.started))


def _signed_on(obj):
    """The day (London) the report was last signed off, from the signing area (today if unknown)."""
    from datetime import datetime

    from links.content.signing.api import latest_signoff
    from links.content.words import LONDON
    from links.content.words import today

    signoff = latest_signoff(obj)
    if signoff is None:
        return today()
    return datetime.fromisoformat(signoff["time"]).astimezone(LONDON).date()
