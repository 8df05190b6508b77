"""ServiceProvider: a provider or premises the network may visit or report on."""

from plone.supermodel import model
from zope import schema

from links.content import _
from links.content.records.vocabularies import SERVICE_TYPES


class IServiceProvider(model.Schema):
    """A health or social care provider (also the marker interface of the type).

    The name is the title (plone.basic); reports and declarations point here by relation.
    """

    service_type = schema.Choice(
        title=_("Type of service"),
        vocabulary=SERVICE_TYPES,
        required=True,
    )
    address = schema.Text(
        title=_("Address"),
        description=_("Postal address of the provider or the premises."),
        required=True,
    )
    registration_id = schema.TextLine(
        title=_("Registration number"),
        description=_("CQC location or provider ID, or another regulator's registration number."),
        required=False,
    )
    commissioner = schema.TextLine(
        title=_("Commissioner"),
        description=_("Who commissions the service, e.g. Northbridge Borough Council or the local ICB."),
        required=False,
    )
