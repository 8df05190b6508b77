"""DeclarationOfInterest: one governing body member's declaration of interests (Nolan principles).

A sensitive interest (one whose disclosure could expose someone to violence or intimidation) is
described only in ``sensitive_details``, readable by the member, Managers and Council Auditors; the
public register states that it exists and withholds it.
"""

from datetime import date

from plone import api
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.supermodel import model
from z3c.form.browser.checkbox import CheckBoxFieldWidget
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.interface import Invalid
from zope.interface import invariant
from zope.interface import provider
from zope.schema.interfaces import IContextAwareDefaultFactory

from links.content import _
from links.content.records.vocabularies import NHS_GROUPINGS
from links.content.records.vocabularies import NOLAN_WORDINGS

VIEW_SENSITIVE = "links.content.ViewSensitiveInterests"

#: The category fields, in the order the register shows them, with their labels.
CATEGORIES = (
    ("employment", _("Employment and other paid work")),
    ("directorships", _("Directorships")),
    ("trusteeships", _("Trusteeships and public posts")),
    ("memberships", _("Memberships of professional bodies, unions and political parties")),
    ("investments", _("Investments and shareholdings")),
    ("gifts_hospitality", _("Gifts and hospitality in the last 12 months")),
    ("family_interests", _("Family and close personal relationships")),
)


@provider(IContextAwareDefaultFactory)
def creator_id(context) -> str:
    """The member defaults to whoever creates the declaration."""
    user = api.user.get_current()
    return "" if user is None else (user.getId() or "")


def _category(title):
    return schema.Text(
        title=title,
        description=_("One interest per line. Leave empty if none."),
        required=False,
    )


class IDeclarationOfInterest(model.Schema):
    """A member's declaration of interests (marker of the type)."""

    member = schema.TextLine(
        title=_("Member (user id)"),
        description=_("The governing body member making the declaration."),
        required=True,
        defaultFactory=creator_id,
    )
    nolan_wording = schema.Choice(
        title=_("Principles of public life"),
        description=_("Which wording of the seven Nolan principles the declaration is made under."),
        vocabulary=NOLAN_WORDINGS,
        default="revised-2013",
        required=True,
    )
    nil_declaration = schema.Bool(
        title=_("Nil declaration"),
        description=_("I have no interests to declare."),
        required=False,
        default=False,
    )
    employment = _category(CATEGORIES[0][1])
    directorships = _category(CATEGORIES[1][1])
    trusteeships = _category(CATEGORIES[2][1])
    memberships = _category(CATEGORIES[3][1])
    investments = _category(CATEGORIES[4][1])
    gifts_hospitality = _category(CATEGORIES[5][1])
    family_interests = _category(CATEGORIES[6][1])

    nhs_groupings = schema.List(
        title=_("NHS grouping of the interests"),
        value_type=schema.Choice(vocabulary=NHS_GROUPINGS),
        required=False,
        default=[],
    )
    directives.widget("nhs_groupings", CheckBoxFieldWidget)

    providers = RelationList(
        title=_("Providers concerned"),
        description=_("Service providers these interests touch; you will not sign reports about them."),
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        required=False,
        default=[],
    )
    directives.widget(
        "providers",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["ServiceProvider"], "basePath": "/"},
    )
    date_of_change = schema.Date(
        title=_("Date of change"),
        description=_("When these interests arose or changed. Declare within 28 days of a change."),
        required=True,
        defaultFactory=date.today,
    )

    sensitive = schema.Bool(
        title=_("Sensitive interest"),
        description=_(
            "Tick if disclosing an interest could expose you or others to violence or intimidation. "
            "Describe it below: it is withheld from the public register."
        ),
        required=False,
        default=False,
    )
    directives.read_permission(sensitive_details=VIEW_SENSITIVE)
    directives.write_permission(sensitive_details=VIEW_SENSITIVE)
    sensitive_details = schema.Text(title=_("Sensitive interest (withheld)"), required=False)

    @invariant
    def nil_means_nothing_declared(data):
        if data.nil_declaration:
            filled = [name for name, _label in CATEGORIES if (getattr(data, name, None) or "").strip()]
            if filled or data.sensitive:
                raise Invalid(_("A nil declaration cannot also list interests."))

    @invariant
    def sensitive_needs_details(data):
        if data.sensitive and not (data.sensitive_details or "").strip():
            raise Invalid(_("Describe the sensitive interest: it will be withheld from the public register."))
