"""InformationRequest: the network asks a commissioner or provider for information.

The response is due by the clock "information-request-response", started when the request is sent
(complaints.subscribers); "overdue" is the clock's status, not a workflow state.
"""

from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from zope import schema

from links.content import _
from links.content.complaints.vocabularies import ADDRESSEE_KINDS
from links.content.validators import LINE
from links.content.validators import NARRATIVE
from links.content.validators import not_in_future


class IInformationRequest(model.Schema):
    """A request for information (marker of the type). The title says what is asked for."""

    addressee = schema.TextLine(
        max_length=LINE,
        title=_("Addressed to"),
        description=_("The organisation (and post) the request is sent to."),
        required=True,
    )
    addressee_kind = schema.Choice(title=_("Kind of addressee"), vocabulary=ADDRESSEE_KINDS, required=True)
    provider = RelationChoice(
        title=_("Service provider"),
        description=_("Optional: the provider record, when the request goes to a provider."),
        vocabulary="plone.app.vocabularies.Catalog",
        required=False,
    )
    directives.widget(
        "provider",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["ServiceProvider"], "basePath": "/"},
    )
    questions = schema.Text(max_length=NARRATIVE, title=_("Questions"), required=True)
    sent_on = schema.Date(
        title=_("Sent on"),
        description=_("Filled in with today's date when the request is sent, if empty."),
        required=False,
        constraint=not_in_future,
    )
    response = schema.Text(max_length=NARRATIVE, title=_("Response"), required=False)
    response_received_on = schema.Date(
        title=_("Response received on"), required=False, constraint=not_in_future
    )
