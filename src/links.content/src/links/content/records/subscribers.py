"""Side effects of the record workflows.

``announce_transition`` turns every DCWorkflow transition of a record type into its domain event
(records/events.py); the other handlers hang off those events, as plone.app.iterate does.
"""

from __future__ import annotations

import logging
from datetime import date

from plone import api
from zope.event import notify

from links.content.clocks import api as clocks_api
from links.content.clocks.exceptions import ClockNotFound
from links.content.events import current_actor
from links.content.events import transition_details
from links.content.records import api as records_api
from links.content.records.events import TRANSITION_EVENTS
from links.content.records.events import DecisionRecorded
from links.content.records.events import ProviderResponseRecorded
from links.content.words import format_date

logger = logging.getLogger(__name__)

PROVIDER_RESPONSE_CLOCK = "provider-response"
#: Set on a report once its provider response has been recorded (and the clock stopped).
RESPONSE_RECORDED = "_links_provider_response_recorded"


def announce_transition(obj, event):
    """IAfterTransitionEvent on a record type: notify the matching domain event."""
    if event.transition is None:
        return  # object creation: the workflow sets the initial state
    factory = TRANSITION_EVENTS.get((obj.portal_type, event.transition.id))
    if factory is None:
        return
    # Declarations may be confidential: keep comments (free text) out of the audit details.
    details = transition_details(event, comment=obj.portal_type != "DeclarationOfInterest")
    notify(factory(obj, details=details, actor=current_actor()))


def start_response_clock(obj, event):
    """A report sent to its provider: 20 working days for the provider's response start today."""
    clocks_api.start(obj, PROVIDER_RESPONSE_CLOCK, actor=event.actor)


def decide_referral(obj, event):
    """Sending a signed-off report to its provider is a relevant decision: publish a statement."""
    decision = f"To send the enter-and-view report “{obj.title}” to the provider for a response."
    statement = records_api.record_decision(obj, decision, event.details.get("comment", ""), "refer-report")
    notify(DecisionRecorded(statement, details={"record": obj.UID()}, actor=event.actor))


def decide_signoff(obj, event):
    """Signing off a report is a relevant decision (whether to report a matter)."""
    decision = f"To sign off the enter-and-view report “{obj.title}”."
    statement = records_api.record_decision(obj, decision, event.details.get("comment", ""), "refer-report")
    notify(DecisionRecorded(statement, details={"record": obj.UID()}, actor=event.actor))


def decide_visit(obj, event):
    """A new visit record: deciding which premises to enter and view is a relevant decision."""
    if getattr(obj, "visit_date", None) is None:
        return
    decision = f"To enter and view {obj.premises or 'the premises'} on {format_date(obj.visit_date)}."
    statement = records_api.record_decision(obj, decision, "", "enter-and-view")
    notify(DecisionRecorded(statement, details={"record": obj.UID()}, actor=current_actor()))


def record_provider_response(obj, event):
    """A report edited: once the provider's response date is recorded, stop the response clock."""
    if not getattr(obj, "provider_response_date", None) or getattr(obj, RESPONSE_RECORDED, False):
        return
    if api.content.get_state(obj, default=None) != "sent_to_provider":
        return
    setattr(obj, RESPONSE_RECORDED, True)
    try:
        clocks_api.stop(obj, PROVIDER_RESPONSE_CLOCK, on=obj.provider_response_date, actor=current_actor())
    except ClockNotFound:
        # Sent before clocks existed: the response is still recorded.
        logger.info("No provider-response clock to stop on %s", obj.absolute_url())
    notify(
        ProviderResponseRecorded(
            obj, details={"response_date": obj.provider_response_date.isoformat()}, actor=current_actor()
        )
    )


def adopt_constitution(obj, event):
    """A constitution adopted: date it, supersede the version in force, publish the decision."""
    if not obj.adopted_on:
        obj.adopted_on = date.today()
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Constitution", review_state="adopted"):
        older = brain._unrestrictedGetObject()
        if older.UID() == obj.UID():
            continue
        # The adopting member cannot otherwise act on a record they did not write.
        with api.env.adopt_roles(["Manager"]):
            api.content.transition(
                older, transition="supersede", comment=f"Superseded by version {obj.version_label}."
            )
    obj.reindexObject()
    decision = f"To adopt version {obj.version_label} of the constitution."
    statement = records_api.record_decision(obj, decision, event.details.get("comment", ""), "activities")
    notify(DecisionRecorded(statement, details={"record": obj.UID()}, actor=event.actor))


def share_with_representatives(obj, event):
    """Give each visiting representative the Editor local role, so the whole team can write the draft.

    The workflow decides what Editor may do in each state (nothing to the findings after submission).
    """
    changed = False
    for userid in obj.representatives or ():
        if api.user.get(userid=userid) is None:
            continue
        if "Editor" not in obj.get_local_roles_for_userid(userid):
            obj.manage_addLocalRoles(userid, ["Editor"])
            changed = True
    if changed:
        obj.reindexObjectSecurity()
