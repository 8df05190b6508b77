"""EnterAndViewReport: an enter-and-view visit and the report on it.

Findings and the other report text are writable only while the report is a draft: their write
permission ("links.content: Modify findings") is managed by links_report_workflow.
"""

from datetime import date

from plone.app.textfield import RichText
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.app.z3cform.widgets.select import AjaxSelectFieldWidget
from plone.autoform import directives
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from zope import schema
from zope.interface import Invalid
from zope.interface import invariant

from links.content import _
from links.content.records.vocabularies import VISIT_ANNOUNCEMENTS

MODIFY_FINDINGS = "links.content.ModifyFindings"


class IEnterAndViewReport(model.Schema):
    """A visit and its report (marker of the type)."""

    model.fieldset(
        "response",
        label=_("Provider's response"),
        fields=["provider_response", "provider_response_date", "publication_date", "distribution_list"],
    )

    provider = RelationChoice(
        title=_("Provider"),
        description=_("The service provider that was visited."),
        vocabulary="plone.app.vocabularies.Catalog",
        required=True,
    )
    directives.widget(
        "provider",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["ServiceProvider"], "basePath": "/"},
    )
    premises = schema.TextLine(
        title=_("Premises"),
        description=_("The premises or the part of them that was visited."),
        required=True,
    )
    visit_date = schema.Date(title=_("Date of visit"), required=True)
    start_time = schema.Time(title=_("Start time"), required=False)
    end_time = schema.Time(title=_("End time"), required=False)
    announcement = schema.Choice(
        title=_("Announced or unannounced"),
        vocabulary=VISIT_ANNOUNCEMENTS,
        default="announced",
        required=True,
    )
    representatives = schema.List(
        title=_("Authorised representatives who visited"),
        description=_("Type their names. Each must hold an authorisation in force on the visit date."),
        value_type=schema.TextLine(),
        required=True,
        min_length=1,
    )
    directives.widget(
        "representatives", AjaxSelectFieldWidget, vocabulary="links.content.AuthorisedRepresentatives"
    )
    lead = schema.TextLine(
        title=_("Lead representative"),
        description=_("One of the representatives who visited: type their name."),
        required=True,
    )
    directives.widget(
        "lead",
        AjaxSelectFieldWidget,
        vocabulary="links.content.AuthorisedRepresentatives",
        pattern_options={"maximumSelectionSize": 1},
    )

    directives.write_permission(purpose=MODIFY_FINDINGS)
    purpose = RichText(title=_("Purpose of the visit"), required=False)
    directives.write_permission(methodology=MODIFY_FINDINGS)
    methodology = RichText(title=_("Methodology"), required=False)
    directives.write_permission(findings=MODIFY_FINDINGS)
    findings = RichText(title=_("Findings"), required=False)
    directives.write_permission(recommendations=MODIFY_FINDINGS)
    recommendations = RichText(title=_("Recommendations"), required=False)

    provider_response = RichText(title=_("Provider's response"), required=False)
    provider_response_date = schema.Date(
        title=_("Date of the provider's response"),
        description=_("Recording the date stops the 20 working day response clock."),
        required=False,
    )
    publication_date = schema.Date(title=_("Publication date"), required=False)
    distribution_list = schema.Text(
        title=_("Distribution list"),
        description=_("One recipient per line, e.g. the provider, CQC, Northbridge Borough Council."),
        required=False,
        default="The provider\nCare Quality Commission\nNorthbridge Borough Council",
    )

    @invariant
    def lead_is_a_visitor(data):
        if data.lead and data.representatives and data.lead not in data.representatives:
            raise Invalid(_("The lead representative must be one of the representatives who visited."))

    @invariant
    def times_in_order(data):
        if data.start_time and data.end_time and data.end_time <= data.start_time:
            raise Invalid(_("The visit must end after it starts."))

    @invariant
    def no_findings_before_the_visit(data):
        """A visit still to come cannot have findings or a response yet."""
        future = data.visit_date and data.visit_date > date.today()
        if future and (data.findings or data.provider_response_date):
            raise Invalid(_("A visit in the future cannot have findings or a provider's response yet."))

    @invariant
    def response_after_visit(data):
        if data.provider_response_date and data.visit_date and data.provider_response_date < data.visit_date:
            raise Invalid(_("The provider cannot respond before the visit."))

    @invariant
    def representatives_authorised(data):
        """Refuse a visit by anyone without an authorisation in force on the visit date (named)."""
        from links.content.records.api import authorisation_problem

        if not data.visit_date or not data.representatives:
            return
        problems = [authorisation_problem(userid, data.visit_date) for userid in data.representatives]
        problems = [problem for problem in problems if problem]
        if problems:
            raise Invalid(" ".join(problems))

    @invariant
    def provider_is_a_provider(data):
        # Forms hand over the target object, stored data a RelationValue.
        provider = getattr(data.provider, "to_object", data.provider)
        if provider is not None and getattr(provider, "portal_type", None) != "ServiceProvider":
            raise Invalid(_("The provider must be a service provider record."))
