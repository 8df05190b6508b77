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
