"""Constitution: the network's governing document. Each adopted version stays readable; adopting a new
version supersedes the previous one (see records/subscribers.py)."""

from plone.app.textfield import RichText
from plone.supermodel import model
from zope import schema

from links.content import _


class IConstitution(model.Schema):
    """The terms of reference, decision-making procedures and code of conduct (marker of the type)."""

    version_label = schema.TextLine(
        title=_("Version"),
        description=_("For example “3.0” or “2026 revision”."),
        required=True,
    )
    terms_of_reference = RichText(title=_("Terms of reference"), required=True)
    decision_procedures = RichText(
        title=_("Decision-making procedures"),
        description=_("The procedures for relevant decisions, which must be published (SI 2008/528 reg 2)."),
        required=True,
    )
    code_of_conduct = RichText(title=_("Code of conduct"), required=False)
    adopted_on = schema.Date(
        title=_("Adopted on"),
        description=_("Filled in when the governing body adopts this version."),
        required=False,
    )
