"""DecisionStatement: the published statement of a relevant decision and its reasons (SI 2008/528 reg 2)."""

from datetime import date

from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from zope import schema

from links.content import _
from links.content.records.vocabularies import DECISION_CATEGORIES


class IDecisionStatement(model.Schema):
    """A relevant decision, its reasons and the record it concerns (marker of the type)."""

    decision = schema.Text(title=_("Decision"), required=True)
    reasons = schema.Text(title=_("Reasons"), required=True)
    category = schema.Choice(
        title=_("Kind of relevant decision"),
        vocabulary=DECISION_CATEGORIES,
        required=True,
    )
    decided_on = schema.Date(title=_("Decided on"), required=True, defaultFactory=date.today)
    related_record = RelationChoice(
        title=_("Record concerned"),
        vocabulary="plone.app.vocabularies.Catalog",
        required=False,
    )
    directives.widget("related_record", RelatedItemsFieldWidget, vocabulary="plone.app.vocabularies.Catalog")
