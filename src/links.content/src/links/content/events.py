"""Domain events. Every state change a feature makes is announced as a RecordEvent subclass, so
cross-cutting features (the audit trail above all) subscribe once to IRecordEvent instead of
each feature calling them.
"""

from zope.interface import implementer
from zope.interface.interfaces import ObjectEvent

from links.content.interfaces import IRecordEvent


@implementer(IRecordEvent)
class RecordEvent(ObjectEvent):
    """Something happened to a record.

    :param object: the record (may be the site for site-wide events)
    :param action: a stable dotted name, e.g. "clock.started", "signature.added"
    :param details: JSON-serialisable facts about the event (no secrets)
    :param actor: user id of who did it, or None for the system
    """

    action = "record.event"

    def __init__(self, object, details=None, actor=None, action=None):
        super().__init__(object)
        self.details = dict(details or {})
        self.actor = actor
        if action is not None:
            self.action = action


def current_actor() -> str | None:
    """The id of the user making the change (None for anonymous or system work): a domain event's actor."""
    from plone import api

    user = api.user.get_current()
    return user.getId() if user is not None else None


def transition_details(event, comment: bool = True) -> dict:
    """The facts of a DCWorkflow transition (``IAfterTransitionEvent``) for its domain event.

    :param event: the transition event
    :param comment: include the transition's comment (leave it out for records that may be confidential:
        it is free text)
    :returns: ``{"transition", "from", "to"[, "comment"]}``
    """
    details = {"transition": event.transition.id, "from": event.old_state.id, "to": event.new_state.id}
    if comment:
        details["comment"] = ((getattr(event, "status", None) or {}).get("comments") or "").strip()
    return details
