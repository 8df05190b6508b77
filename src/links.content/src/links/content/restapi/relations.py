"""Relation fields in REST output: the target's summary, without cloning the request for each relation.

plone.restapi serializes a relation by cloning the whole request (to ask the summary serializer for one
extra column, UID) and adapting the target to a content listing object; on a report that is the largest
cost of a GET above a plain page (``benchmarks/bench_read.py``). Here the same seven keys (plone.restapi's
default summary plus UID) are read from the target directly, with the same values. Broken relations
(target deleted) serialize as None, as in plone.restapi.
"""

from plone.dexterity.interfaces import IDexterityContent
from plone.restapi.interfaces import IFieldSerializer
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.serializer.dxfields import DefaultFieldSerializer
from plone.restapi.serializer.utils import get_portal_type_title
from Products.CMFCore.utils import getToolByName
from z3c.relationfield.interfaces import IRelationChoice
from z3c.relationfield.interfaces import IRelationList
from zope.component import adapter
from zope.interface import implementer

from links.content.interfaces import ILinksContentLayer


def relation_summary(value) -> dict | None:
    """plone.restapi's summary of a relation's target (with UID), or None when the target is gone."""
    target = getattr(value, "to_object", None)
    if target is None:
        return None
    workflow = getToolByName(target, "portal_workflow")
    return json_compatible(
        {
            "@id": target.absolute_url(),
            "@type": target.portal_type,
            "description": target.Description(),
            "review_state": workflow.getInfoFor(target, "review_state", default=None),
            "title": target.Title(),
            "type_title": get_portal_type_title(target.portal_type),
            "UID": target.UID(),
        }
    )


@adapter(IRelationChoice, IDexterityContent, ILinksContentLayer)
@implementer(IFieldSerializer)
class RelationChoiceSerializer(DefaultFieldSerializer):
    def __call__(self):
        return relation_summary(self.get_value())


@adapter(IRelationList, IDexterityContent, ILinksContentLayer)
@implementer(IFieldSerializer)
class RelationListSerializer(DefaultFieldSerializer):
    def __call__(self):
        """Resolvable targets only (plone.restapi leaves out broken relations the same way)."""
        summaries = [relation_summary(value) for value in self.get_value() or []]
        return [summary for summary in summaries if summary is not None]
