"""Side effects of the annual report: one report per financial year, domain events for its transitions,
the figures taken on submission, the list of recipients fixed on publication, and the 30 June clocks."""

from __future__ import annotations

from links.content.annual import api as annual_api
from links.content.annual import years
from links.content.annual.events import TRANSITION_EVENTS
from links.content.periodreport.api import announce_transition


def added(obj, event):
    """IObjectAddedEvent (created, or pasted as a copy): claim the year, start the clocks."""
    years.claim_year(obj)
    annual_api.update_clocks(obj)


def modified(obj, event):
    """IObjectModifiedEvent: the year may have changed (only in draft): claim it and restart the clocks."""
    years.claim_year(obj)
    annual_api.update_clocks(obj)


def removed(obj, event):
    """IObjectRemovedEvent: the year is free again."""
    years.release_year(obj)


def transitioned(obj, event):
    """IAfterTransitionEvent: figures on submission, domain event; recipients and clocks on publication."""
    if announce_transition(obj, event, TRANSITION_EVENTS, annual_api.take_snapshot) == "publish":
        annual_api.fix_recipients(obj)
        annual_api.update_clocks(obj)
