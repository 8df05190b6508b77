"""Short names of complaints: the case reference, never the complainant's name.

The add form and ``POST`` to a folder (plone.restapi) ask ``INameChooser``, which asks ``INameFromTitle``;
this adapter allocates the case reference at that moment, so the id and the title agree
("c-2026-0007", "Complaint C-2026-0007").
"""

# plone.restapi asks the plone.app.content subclass, the name chooser the plone.base one: provide both.
from plone.app.content.interfaces import INameFromTitle
from zope.component import adapter
from zope.interface import implementer

from links.content.complaints.complaint import IComplaint


@implementer(INameFromTitle)
@adapter(IComplaint)
class ComplaintNameFromReference:
    def __init__(self, context):
        self.context = context

    @property
    def title(self) -> str:
        from links.content.complaints.api import assign_reference

        return assign_reference(self.context).lower()
