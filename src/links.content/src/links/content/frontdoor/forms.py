"""The public forms ``@@complain``, ``@@ask-for-information`` and ``@@share-your-experience`` (z3c.form).

Each asks only what the public can answer, checks the honeypot and the rate limit through
``frontdoor.api``, and answers a refusal with its own status (400, 429) and the reason on the form. A
successful complaint or request is answered on the same page with its reference and what happens next;
nothing of any other case is ever shown.
"""

from __future__ import annotations

import re

from plone.autoform.form import AutoExtensibleForm
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from z3c.form import button
from z3c.form import form
from z3c.form.browser.radio import RadioFieldWidget
from zope import schema
from zope.interface import Interface
from zope.interface import Invalid
from zope.interface import invariant

from links.content import _
from links.content.complaints.vocabularies import PREFERRED_FORMATS
from links.content.complaints.vocabularies import SUBJECTS
from links.content.frontdoor import api
from links.content.frontdoor.exceptions import FrontDoorError
from links.content.validators import LINE
from links.content.validators import NARRATIVE
from links.content.validators import NOTE

#: Name of the honeypot input: people never see it (hidden), form-filling robots fill it.
HONEYPOT = "website"


def must_agree(value) -> bool:
    if not value:
        raise Invalid(_("Please tick the box to agree, or contact us another way."))
    return True


#: One address, nothing else: no list of recipients for the receipt (attacker review).
ONE_ADDRESS = re.compile(r"^[^@\s,;<>\"()]+@[^@\s,;<>\"()]+\.[^@\s,;<>\"()]+$")


def an_address(value) -> bool:
    if value and not ONE_ADDRESS.match(value.strip()):
        raise Invalid(_("Enter one e-mail address like name@example.org."))
    return True


def format_field(title):
    """The preferred format (large print, easy read, audio...): made where used, to keep the form's order."""
    return schema.Choice(title=title, vocabulary=PREFERRED_FORMATS, default="standard", required=True)


def language_field():
    return schema.TextLine(
        title=_("Your preferred language"), max_length=LINE, default="English", required=False
    )


class IReachable(Interface):
    @invariant
    def can_be_answered(data):
        names = ("complainant_email", "complainant_phone", "complainant_address", "email", "postal_address")
        if not any(getattr(data, name, None) for name in names):
            raise Invalid(
                _("Give an e-mail address, a telephone number or a postal address so we can answer you.")
            )


class IComplain(IReachable):
    about = schema.Choice(title=_("What is your complaint about?"), vocabulary=SUBJECTS, required=True)
    details = schema.Text(
        title=_("Your complaint"),
        description=_("What happened, when, and what you would like us to do about it."),
        max_length=NARRATIVE,
        required=True,
    )
    complainant_name = schema.TextLine(title=_("Your name"), max_length=LINE, required=True)
    complainant_email = schema.TextLine(
        title=_("Your e-mail address"),
        description=_("We send the reference and our letters here."),
        max_length=LINE,
        required=False,
        constraint=an_address,
    )
    complainant_phone = schema.TextLine(title=_("Your telephone number"), max_length=LINE, required=False)
    complainant_address = schema.Text(title=_("Your postal address"), max_length=NOTE, required=False)
    preferred_format = format_field(_("How would you like our letters?"))
    preferred_language = language_field()
    consent_to_share = schema.Bool(
        title=_(
            "I agree that the network keeps these details and shares them with the people looking into "
            "my complaint."
        ),
        required=True,
        constraint=must_agree,
    )


class IAskForInformation(IReachable):
    summary = schema.TextLine(
        title=_("What is your request about? (in a few words)"),
        description=_("We publish this line in our disclosure log when we answer: please leave out names."),
        max_length=LINE,
        required=True,
    )
    request_text = schema.Text(
        title=_("The information you want"),
        description=_("Describe the information as precisely as you can."),
        max_length=NARRATIVE,
        required=True,
    )
    requester_name = schema.TextLine(title=_("Your name"), max_length=LINE, required=True)
    email = schema.TextLine(
        title=_("Your e-mail address"), max_length=LINE, required=False, constraint=an_address
    )
    postal_address = schema.Text(title=_("Your postal address"), max_length=NOTE, required=False)
    preferred_format = format_field(_("How would you like the answer?"))
    preferred_language = language_field()
    consent = schema.Bool(
        title=_("I agree that the network keeps my name and contact details to answer this request."),
        required=True,
        constraint=must_agree,
    )


class IShareExperience(Interface):
    service = schema.TextLine(
        title=_("Which service?"),
        description=_("For example a GP practice, a hospital ward, a care home or home care."),
        max_length=LINE,
        required=True,
    )
    experience = schema.Text(title=_("Your experience"), max_length=NARRATIVE, required=True)
    name = schema.TextLine(title=_("Your name (optional)"), max_length=LINE, required=False)
    email = schema.TextLine(
        title=_("Your e-mail address (optional)"), max_length=LINE, required=False, constraint=an_address
    )
    contact_me = schema.Bool(title=_("You may contact me about what I wrote."), required=False)


class PublicForm(AutoExtensibleForm, form.Form):
    """Shared by the public forms: the page around the form, the honeypot and the refusals."""

    ignoreContext = True
    template = ViewPageTemplateFile("templates/public_form.pt")
    #: Set after a successful submission: the page then shows it instead of the form.
    receipt = None
    thanks = None
    intro = ""

    @property
    def links_page_title(self):
        return self.label

    def submit(self, data: dict):
        raise NotImplementedError

    def _send(self):
        data, errors = self.extractData()
        if errors:
            self.status = self.formErrorsMessage
            self.request.response.setStatus(400)
            return
        try:
            self.receipt = self.submit(data)
        except FrontDoorError as error:
            self.status = str(error)
            self.request.response.setStatus(error.status)
            return
        self.thanks = True

    def submit_args(self):
        return self.request.getClientAddr(), self.request.form.get(HONEYPOT)


class ComplainForm(PublicForm):
    """``@@complain``: a complaint about the network, its host or a participant's conduct."""

    schema = IComplain
    label = _("Make a complaint")
    intro = _(
        "Use this form to complain about the network, the organisation that hosts it, or the conduct of "
        "someone taking part in it. To tell us about a health or social care service, share your experience "
        "instead. You will get a case reference at once."
    )

    def updateWidgets(self):
        self.fields["about"].widgetFactory = RadioFieldWidget
        super().updateWidgets()

    def submit(self, data):
        return api.submit_complaint(data, *self.submit_args())

    @button.buttonAndHandler(_("Send my complaint"), name="send")
    def handle_send(self, action):
        self._send()


class AskForInformationForm(PublicForm):
    """``@@ask-for-information``: a request for information (Freedom of Information Act 2000)."""

    schema = IAskForInformation
    label = _("Ask for information")
    intro = _(
        "Anyone can ask the network for information it holds. You do not have to say why you want it. "
        "You will get a reference at once and the date by which we will answer."
    )

    def submit(self, data):
        return api.submit_information_request(data, *self.submit_args())

    @button.buttonAndHandler(_("Send my request"), name="send")
    def handle_send(self, action):
        self._send()


class ShareExperienceForm(PublicForm):
    """``@@share-your-experience``: tell the network about a health or social care service."""

    schema = IShareExperience
    label = _("Share your experience")
    intro = _(
        "Tell us about a health or social care service you or someone you care for used, good or bad. "
        "What people tell us decides which services we visit and what we report. You can stay anonymous."
    )

    def submit(self, data):
        api.share_experience(data, *self.submit_args())

    @button.buttonAndHandler(_("Send my experience"), name="send")
    def handle_send(self, action):
        self._send()
