"""Serialize confidential records as plone.restapi does, and note the read for the audit trail.

A live GET of a complaint is audited because the published object is the complaint; ``@search`` with
``fullobjects`` publishes the site, so the read would go unrecorded. Every full serialization of an
``IConfidentialRecord`` (for whichever service) is noted through ``links.content.disclosure.note_read``
and written to the read-audit files after publication. Field filtering stays plone.restapi's: it checks
each field's read permission on the live record, the same rule as ``links.content.disclosure``.
"""

from plone.dexterity.interfaces import IDexterityContainer
from plone.restapi.interfaces import ISerializeToJson
from plone.restapi.serializer.dxcontent import SerializeFolderToJson
from plone.restapi.serializer.dxcontent import SerializeToJson
from zope.component import adapter
from zope.interface import implementer

from links.content import disclosure
from links.content.interfaces import IConfidentialRecord
from links.content.interfaces import ILinksContentLayer


@implementer(ISerializeToJson)
@adapter(IConfidentialRecord, ILinksContentLayer)
class ConfidentialRecordSerializer:
    def __init__(self, context, request):
        self.context = context
        self.request = request

    def __call__(self, *args, **kwargs):
        base = SerializeFolderToJson if IDexterityContainer.providedBy(self.context) else SerializeToJson
        result = base(self.context, self.request)(*args, **kwargs)
        disclosure.note_read(self.context, "serializer")
        return result
