"""Complaint: one complaint about the host, the network or a participant, from receipt to closure.

Confidentiality is enforced by permissions, not by views: the complainant's details and the case
narrative carry ``read_permission``/``write_permission`` "View/Modify complainant details", which
links_complaint_workflow grants per state to complaints officers, Managers and (at the appeal stages
only) the local role "Assigned Reviewer". Council auditors have View but not those permissions, so
they see that a case exists, its dates, outcome and history. The title is a case reference
("Complaint C-2026-0007", see complaints.subscribers), never a name.
"""

from __future__ import annotations

from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.app.z3cform.widgets.select import AjaxSelectFieldWidget
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from z3c.form.browser.radio import RadioFieldWidget
from z3c.form.interfaces import IAddForm
from z3c.relationfield.schema import RelationChoice
from zope import schema
from zope.interface import Invalid
from zope.interface import implementer
from zope.interface import invariant

from links.content import _
from links.content.complaints import rules
from links.content.complaints.vocabularies import APPEAL_DECISIONS
from links.content.complaints.vocabularies import HOW_RECEIVED
from links.content.complaints.vocabularies import OUTCOMES
from links.content.complaints.vocabularies import PREFERRED_FORMATS
from links.content.complaints.vocabularies import SUBJECTS
from links.content.interfaces import IConfidentialRecord
from links.content.validators import LINE
from links.content.validators import NARRATIVE
from links.content.validators import NOTE
from links.content.validators import FutureDate  # noqa: F401 (imported from here by tests and types)
from links.content.validators import implausible_receipt
from links.content.validators import not_in_future
from links.content.words import add_months

VIEW_PERSONAL = "links.content.ViewComplainantDetails"
MODIFY_PERSONAL = "links.content.ModifyComplainantDetails"

#: The complainant's details and the case narrative: the form's two personal fieldsets.
COMPLAINANT_FIELDS = (
    "complainant_name",
    "complainant_address",
    "complainant_email",
    "complainant_phone",
    "preferred_format",
    "preferred_language",
    "consent_to_share",
    "consent_date",
)
CASE_FIELDS = (
    "details",
    "participant_concerned",
    "late_reason",
    "findings",
    "remedies",
    "appeal_grounds",
    "appeal_reasons",
)

#: Fields filled in after the complaint is logged (investigation, response, appeal): not on the add form.
LATER_FIELDS = (
    "investigating_officer",
    "outcome",
    "lessons_learned",
    "response_sent_on",
    "appeal_requested_on",
    "appeal_decision",
    "appeal_decided_on",
    "findings",
    "remedies",
    "appeal_grounds",
    "appeal_reasons",
)

#: Fields behind the personal-data permissions (also used by tests and the auditor's REST view).
PERSONAL_FIELDS = (*COMPLAINANT_FIELDS, *CASE_FIELDS, "response_letter")


class IComplaint(model.Schema):
    """A complaint (marker of the type)."""

    # -- What and when (not personal: auditors see these) --
    reference = schema.TextLine(
        title=_("Case reference"),
        description=_("Given when the complaint is logged; the title is made from it."),
        required=False,
        readonly=True,
    )
    received = schema.Date(
        title=_("Received on"),
        description=_("The date the complaint was received. Clocks count from this date."),
        required=True,
        constraint=not_in_future,
    )
    how_received = schema.Choice(title=_("How it was received"), vocabulary=HOW_RECEIVED, required=True)
    about = schema.Choice(
        title=_("What the complaint is about"),
        vocabulary=SUBJECTS,
        required=True,
    )
    provider = RelationChoice(
        title=_("Service provider concerned"),
        description=_(
            "Optional: the provider the complaint touches. Reviewers with an interest in it "
            "cannot be assigned."
        ),
        vocabulary="plone.app.vocabularies.Catalog",
        required=False,
    )
    directives.widget(
        "provider",
        RelatedItemsFieldWidget,
        vocabulary="plone.app.vocabularies.Catalog",
        pattern_options={"selectableTypes": ["ServiceProvider"], "basePath": "/"},
    )
    event_date = schema.Date(
        title=_("Date of the event"),
        required=False,
        constraint=not_in_future,
    )
    aware_date = schema.Date(
        title=_("Date the complainant became aware"),
        required=False,
        constraint=not_in_future,
    )
    investigating_officer = schema.TextLine(
        max_length=LINE,
        title=_("Investigating officer"),
        description=_("Type their name to find them."),
        required=False,
    )
    # People are found by name, and the user id is stored (the audit trail and the rules compare ids).
    directives.widget(
        "investigating_officer",
        AjaxSelectFieldWidget,
        vocabulary="plone.app.vocabularies.Users",
        pattern_options={"maximumSelectionSize": 1},
    )
    outcome = schema.Choice(title=_("Outcome"), vocabulary=OUTCOMES, required=False)
    lessons_learned = schema.Text(
        max_length=NARRATIVE,
        title=_("Lessons learned"),
        description=_("Without names: auditors read this."),
        required=False,
    )
    response_sent_on = schema.Date(title=_("Response sent on"), required=False, constraint=not_in_future)
    appeal_requested_on = schema.Date(
        title=_("Appeal requested on"),
        required=False,
        constraint=not_in_future,
    )
    independent_reviewer = schema.TextLine(
        title=_("Independent reviewer"),
        description=_("Set by assigning a reviewer, which checks their independence."),
        required=False,
        readonly=True,
    )
    appeal_decision = schema.Choice(title=_("Appeal decision"), vocabulary=APPEAL_DECISIONS, required=False)
    appeal_decided_on = schema.Date(title=_("Appeal decided on"), required=False, constraint=not_in_future)

    # -- The complainant and the case narrative (personal) --
    model.fieldset(
        "complainant",
        label=_("Complainant"),
        fields=list(COMPLAINANT_FIELDS),
    )
    complainant_name = schema.TextLine(max_length=LINE, title=_("Complainant's name"), required=True)
    complainant_address = schema.Text(max_length=NOTE, title=_("Postal address"), required=False)
    complainant_email = schema.TextLine(max_length=LINE, title=_("E-mail address"), required=False)
    complainant_phone = schema.TextLine(max_length=LINE, title=_("Telephone"), required=False)
    preferred_format = schema.Choice(
        title=_("Preferred format"),
        description=_(
            "How the complainant wants to receive letters, e.g. large print, easy read, audio, Braille."
        ),
        vocabulary=PREFERRED_FORMATS,
        default="standard",
        required=True,
    )
    preferred_language = schema.TextLine(
        max_length=LINE, title=_("Preferred language"), default="English", required=False
    )
    consent_to_share = schema.Bool(
        title=_("Consent to share details"),
        description=_(
            "The complainant agrees that their details may be shared with the people investigating."
        ),
        default=False,
        required=False,
    )
    consent_date = schema.Date(title=_("Consent given on"), required=False, constraint=not_in_future)

    model.fieldset(
        "case",
        label=_("Case"),
        fields=list(CASE_FIELDS),
    )
    details = schema.Text(
        max_length=NARRATIVE,
        title=_("The complaint"),
        description=_("What the complainant told us."),
        required=True,
    )
    participant_concerned = schema.TextLine(
        max_length=LINE,
        title=_("Participant complained about"),
        description=_(
            "When the complaint is about a participant's conduct and they have an account here: type their "
            "name to find them. They can neither investigate the complaint nor review an appeal."
        ),
        required=False,
    )
    directives.widget(
        "participant_concerned",
        AjaxSelectFieldWidget,
        vocabulary="plone.app.vocabularies.Users",
        pattern_options={"maximumSelectionSize": 1},
    )
    late_reason = schema.Text(
        max_length=NOTE,
        title=_("Reason to accept a late complaint"),
        description=_(
            "Needed when the complaint was made more than 12 months after the event or after "
            "the complainant became aware of it, and when the date received is before 2000 or more than "
            "12 months ago."
        ),
        required=False,
    )
    findings = schema.Text(max_length=NARRATIVE, title=_("Findings"), required=False)
    remedies = schema.Text(max_length=NARRATIVE, title=_("Remedies and actions taken"), required=False)
    appeal_grounds = schema.Text(max_length=NARRATIVE, title=_("Grounds of appeal"), required=False)
    appeal_reasons = schema.Text(
        max_length=NARRATIVE, title=_("Reasons for the appeal decision"), required=False
    )
    response_letter = NamedBlobFile(
        title=_("Response letter"),
        description=_("Produced when the complaint is closed."),
        required=False,
    )

    for _name in PERSONAL_FIELDS:
        directives.read_permission(**{_name: VIEW_PERSONAL})
        directives.write_permission(**{_name: MODIFY_PERSONAL})
    del _name
    directives.omitted("response_letter", "independent_reviewer")
    # Logging a complaint asks only what is known when it arrives (#17): the investigation's and the
    # appeal's fields appear on the edit form at their stage, and choices start empty (radio buttons)
    # so that nothing is saved by default that nobody chose.
    directives.omitted(IAddForm, *LATER_FIELDS)
    directives.widget("how_received", RadioFieldWidget)
    directives.widget("about", RadioFieldWidget)

    @invariant
    def received_plausibly(data):
        """A receipt before 2000, or more than the time limit (12 months) before today, needs a reason."""
        received = getattr(data, "received", None)
        if not received or (getattr(data, "late_reason", None) or "").strip():
            return
        months = rules.time_limit_months()
        problem = implausible_receipt(
            received, add_months(received, months), f"{months} months", "Reason to accept a late complaint"
        )
        if problem is not None:
            raise Invalid(problem)

    @invariant
    def made_in_time(data):
        """Within the time limit of the event or of becoming aware, or a reason is recorded."""
        received = getattr(data, "received", None)
        ends = rules.time_limit_ends(getattr(data, "event_date", None), getattr(data, "aware_date", None))
        if received and ends and received > ends and not (getattr(data, "late_reason", None) or "").strip():
            raise Invalid(
                _(
                    "The complaint was received after the time limit (12 months from the event or from "
                    "when the complainant became aware of it). Record the reason to accept it late."
                )
            )

    @invariant
    def participant_is_not_the_officer(data):
        """The participant complained about is a party: named only for such complaints, never the officer."""
        participant = (getattr(data, "participant_concerned", None) or "").strip()
        if not participant:
            return
        if getattr(data, "about", None) != "participant":
            raise Invalid(
                _(
                    "A participant complained about can only be named when the complaint is about a "
                    "participant's conduct."
                )
            )
        if participant == (getattr(data, "investigating_officer", None) or "").strip():
            raise Invalid(_("The participant the complaint is about cannot investigate it."))

    @invariant
    def appeal_in_time(data):
        """An appeal is requested after the response and within the allowed window."""
        requested = getattr(data, "appeal_requested_on", None)
        sent = getattr(data, "response_sent_on", None)
        if not requested:
            return
        if not sent:
            raise Invalid(_("An appeal can only be requested after the response has been sent."))
        if requested < sent:
            raise Invalid(_("The appeal cannot be requested before the response was sent."))
        deadline = rules.appeal_deadline(sent)
        if requested > deadline:
            raise Invalid(
                _(
                    "The appeal was requested after the deadline of ${deadline}.",
                    mapping={"deadline": f"{deadline.day} {deadline:%B %Y}"},
                )
            )


@implementer(IConfidentialRecord)
class Complaint(Item):
    """The complaint's class: an Item that is a confidential record (reading it is audited)."""

    reference = None
    independent_reviewer = None
    previous_reviewers = ()
    response_letter = None
