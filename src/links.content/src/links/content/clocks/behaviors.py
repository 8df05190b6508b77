"""The statutory clocks behavior: a type lists "links.content.clocks" in its FTI to carry clocks."""

from zope.component import adapter
from zope.interface import Interface
from zope.interface import implementer

from links.content.clocks import api


class IHasStatutoryClocks(Interface):
    """Marker: the record can carry statutory clocks (REST @clocks, the clocks viewlet, indexers)."""


class IStatutoryClocks(Interface):
    """The clocks of a record (read side; changes go through links.content.clocks.api)."""

    def clocks():
        """All clocks, earliest started first."""

    def get(name):
        """The clock of that name or None."""


@implementer(IStatutoryClocks)
@adapter(IHasStatutoryClocks)
class StatutoryClocks:
    def __init__(self, context):
        self.context = context

    def clocks(self):
        return api.clocks(self.context)

    def get(self, name):
        return api.get(self.context, name)
