"""RepresentativeAuthorisation: written evidence that a person is an authorised representative, with the
log of their criminal records (DBS) check. Only the log is kept (date, level, outcome), never the
certificate itself."""

from datetime import date

from plone.supermodel import model
from zope import schema
from zope.interface import Invalid
from zope.interface import invariant

from links.content import _
from links.content.records.vocabularies import DBS_LEVELS
from links.content.records.vocabularies import DBS_OUTCOMES


class IRepresentativeAuthorisation(model.Schema):
    """One authorisation of one representative (marker of the type)."""

    representative = schema.TextLine(
        title=_("Representative (user id)"),
        description=_("The person authorised to enter and view premises."),
        required=True,
    )
    authorised_on = schema.Date(title=_("Authorised on"), required=True, defaultFactory=date.today)
    evidence = schema.Text(
        title=_("Evidence of authorisation"),
        description=_("Where the written authorisation is recorded, e.g. minute reference of the decision."),
        required=True,
    )
    dbs_check_date = schema.Date(title=_("DBS check considered on"), required=True)
    dbs_level = schema.Choice(title=_("DBS check level"), vocabulary=DBS_LEVELS, required=True)
    dbs_outcome = schema.Choice(title=_("Outcome of the check"), vocabulary=DBS_OUTCOMES, required=True)
    checked_by = schema.TextLine(
        title=_("Checked by (user id)"),
        description=_("The nominated person who considered the check. Must not be the representative."),
        required=True,
    )
    expires_on = schema.Date(title=_("Expires on"), required=True)

    @invariant
    def checked_by_someone_else(data):
        """The law asks for a nominated person who is not the representative."""
        if data.checked_by and data.representative and data.checked_by.strip() == data.representative.strip():
            raise Invalid(_("The DBS check must be considered by someone other than the representative."))

    @invariant
    def expires_after_authorisation(data):
        if data.expires_on and data.authorised_on and data.expires_on <= data.authorised_on:
            raise Invalid(_("The expiry date must be after the date of authorisation."))
