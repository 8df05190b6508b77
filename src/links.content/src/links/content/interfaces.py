"""Interfaces of links.content."""

from zope.interface import Attribute
from zope.interface import Interface
from zope.interface.interfaces import IObjectEvent
from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class ILinksContentLayer(IDefaultBrowserLayer):
    """Browser layer: views and resources of links.content apply only where it is installed."""


class IRecordEvent(IObjectEvent):
    """A domain event on a record: see links.content.events.RecordEvent."""

    action = Attribute("Stable dotted name of what happened, e.g. 'clock.started'")
    details = Attribute("Dict of JSON-serialisable facts about the event")
    actor = Attribute("User id of who caused it, or None for the system")


class IConfidentialRecord(Interface):
    """Marker: a record whose reading is itself an auditable event (complaints, sensitive declarations)."""


class ISignedRecordBody(Interface):
    """Adapter of a record type whose signed PDF shows a laid-out document instead of the generic list of
    fields (e.g. the transitional report). Called with no arguments; returns the body's HTML."""

    def __call__():
        """The HTML of the PDF's body (between the title page and the signature page)."""
