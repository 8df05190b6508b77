"""FOIRequest: one request for information under the Freedom of Information Act (or handled
voluntarily where the Act does not apply to the network, a registry setting: RULES.md [open]).

The requester's identity is personal data: ``requester_name`` and ``requester_contact`` carry the
read/write permission "View FOI requester" (handlers and Managers, not auditors), the title is a
reference ("FOI-2026-0003: Waiting times at Elm House"), and the disclosure log shows only the
``summary``. The request is a container: its Redactions live inside it.
"""

from __future__ import annotations

from plone import api
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.interface import Interface
from zope.interface import Invalid
from zope.interface import implementer
from zope.interface import invariant
from zope.interface import provider
from zope.schema.interfaces import IContextAwareDefaultFactory

from links.content import _
from links.content.complaints.vocabularies import PREFERRED_FORMATS
from links.content.foi.vocabularies import EXEMPTIONS
from links.content.foi.vocabularies import HANDLED_UNDER
from links.content.foi.vocabularies import OUTCOMES
from links.content.foi.vocabularies import REFUSAL_OUTCOMES
from links.content.foi.vocabularies import SUBJECT_ACCESS
from links.content.interfaces import IConfidentialRecord
from links.content.validators import LINE
from links.content.validators import NARRATIVE
from links.content.validators import NOTE
from links.content.validators import implausible_receipt
from links.content.validators import not_in_future
from links.content.words import plural

VIEW_REQUESTER = "links.content.ViewFOIRequester"
REGISTRY = "links.content.foi."

#: Fields behind "View FOI requester".
PERSONAL_FIELDS = ("requester_name", "requester_contact", "preferred_format", "preferred_language")
#: The clock answering a request runs by ``handled_under`` (voluntary disclosure has none).
RESPONSE_CLOCKS = {"foi": "foi-response", SUBJECT_ACCESS: "subject-access-request"}
#: Three months to pay after a fees notice (FOI Act s.9(2)).
FEE_CLOCK = "foi-fee-payment"
#: The internal review's clock.
REVIEW_CLOCK = "foi-internal-review"


def setting(name: str, default=None):
    """An FOI registry setting (``links.content.foi.<name>``), or ``default`` when missing."""
    try:
        value = api.portal.get_registry_record(REGISTRY + name)
    except (api.exc.InvalidParameterError, KeyError):
        return default
    return default if value is None else value


@provider(IContextAwareDefaultFactory)
def default_handled_under(context) -> str:
    return "foi" if setting("applies", True) else "voluntary"


@provider(IContextAwareDefaultFactory)
def default_review_route(context) -> str:
    return setting("review_route", "")


@provider(IContextAwareDefaultFactory)
def default_ico_right(context) -> str:
    return setting("ico_right", "")


class IFOIRequest(model.Schema):
    """A request for information (marker of the type)."""

    received = schema.Date(
        title=_("Received on"),
        description=_(
            "The day the request arrived; the 20 working days (a subject access request: one calendar "
            "month) count from it."
        ),
        required=True,
        constraint=not_in_future,
    )
    summary = schema.TextLine(
        max_length=LINE,
        title=_("Summary of the request"),
        description=_("Shown publicly in the disclosure log: no names or other personal details."),
        required=True,
    )
    directives.read_permission(requester_name=VIEW_REQUESTER, requester_contact=VIEW_REQUESTER)
    directives.write_permission(requester_name=VIEW_REQUESTER, requester_contact=VIEW_REQUESTER)
    requester_name = schema.TextLine(max_length=LINE, title=_("Requester's name"), required=True)
    requester_contact = schema.Text(
        max_length=NOTE,
        title=_("Requester's contact details"),
        description=_("E-mail or postal address for the answer."),
        required=True,
    )
    directives.read_permission(preferred_format=VIEW_REQUESTER, preferred_language=VIEW_REQUESTER)
    directives.write_permission(preferred_format=VIEW_REQUESTER, preferred_language=VIEW_REQUESTER)
    preferred_format = schema.Choice(
        title=_("Preferred format"),
        description=_("How the requester wants the answer, e.g. large print, easy read (FOI Act s.11)."),
        vocabulary=PREFERRED_FORMATS,
        default="standard",
        required=False,
    )
    preferred_language = schema.TextLine(max_length=LINE, title=_("Preferred language"), required=False)
    late_reason = schema.Text(
        max_length=NOTE,
        title=_("Reason the request is logged late"),
        description=_(
            "Needed when the date received is before 2000 or the time limit for the answer has already "
            "passed (the request is being logged after its deadline)."
        ),
        required=False,
    )
    request_text = schema.Text(max_length=NARRATIVE, title=_("The request as received"), required=True)
    handled_under = schema.Choice(
        title=_("Handled under"),
        vocabulary=HANDLED_UNDER,
        required=True,
        defaultFactory=default_handled_under,
    )

    model.fieldset(
        "answer",
        label=_("Answer and refusal notice"),
        fields=[
            "outcome",
            "answer",
            "answered_on",
            "exemptions",
            "refusal_reasons",
            "public_interest",
            "review_route",
            "ico_right",
        ],
    )
    outcome = schema.Choice(title=_("Outcome"), vocabulary=OUTCOMES, required=False)
    answer = schema.Text(max_length=NARRATIVE, title=_("Answer sent to the requester"), required=False)
    answered_on = schema.Date(
        title=_("Answered on"),
        description=_("Filled in with today's date when the answer is recorded, if empty."),
        required=False,
        constraint=not_in_future,
    )
    exemptions = schema.List(
        title=_("Exemptions relied on"),
        value_type=schema.Choice(vocabulary=EXEMPTIONS),
        required=False,
        default=[],
    )
    refusal_reasons = schema.Text(max_length=NARRATIVE, title=_("Why the exemptions apply"), required=False)
    public_interest = schema.Text(
        max_length=NARRATIVE,
        title=_("Public interest test"),
        description=_("For qualified exemptions: the public interest reasoning for and against disclosure."),
        required=False,
    )
    review_route = schema.Text(
        max_length=NOTE,
        title=_("How to ask for an internal review"),
        required=False,
        defaultFactory=default_review_route,
    )
    ico_right = schema.Text(
        max_length=NOTE,
        title=_("Right to complain to the Information Commissioner"),
        required=False,
        defaultFactory=default_ico_right,
    )

    model.fieldset(
        "review",
        label=_("Internal review"),
        fields=["review_requested_on", "review_outcome", "review_decided_on"],
    )
    review_requested_on = schema.Date(
        title=_("Internal review asked for on"), required=False, constraint=not_in_future
    )
    review_outcome = schema.Text(
        max_length=NARRATIVE, title=_("Outcome of the internal review"), required=False
    )
    review_decided_on = schema.Date(
        title=_("Internal review decided on"), required=False, constraint=not_in_future
    )

    @invariant
    def received_plausibly(data):
        """A receipt before 2000, or one whose answer was already due before today, needs a reason."""
        received = getattr(data, "received", None)
        if not received or (getattr(data, "late_reason", None) or "").strip():
            return
        problem = implausible_receipt(
            received,
            *time_limit(received, getattr(data, "handled_under", None)),
            "Reason the request is logged late",
        )
        if problem is not None:
            raise Invalid(problem)

    @invariant
    def refusal_notice_complete(data):
        if getattr(data, "outcome", None) in REFUSAL_OUTCOMES:
            missing = refusal_notice_missing(data)
            if missing:
                raise Invalid(_("A refusal notice needs: ") + ", ".join(missing) + ".")


def time_limit(received, handled_under) -> tuple:
    """(last day of the statutory time limit for the answer, the limit in words), by the clock rule the
    request runs (the FOI Act's for voluntary disclosure too)."""
    from links.content.clocks import api as clocks
    from links.content.clocks.rules import compute

    rule = clocks.configured_rules().get(RESPONSE_CLOCKS.get(handled_under, "foi-response"))
    if rule is None:
        return None, ""
    return compute(rule, received).due, plural(rule.count, rule.unit)


def refusal_notice_missing(data) -> list[str]:
    """What a refusal notice still lacks (RULES.md: exemption, reasons, review route, ICO right).

    :param data: a request or form data
    :returns: plain-English names of missing parts (empty when complete or no notice is needed)
    """
    if getattr(data, "outcome", None) not in REFUSAL_OUTCOMES:
        return []
    missing = []
    if not getattr(data, "exemptions", None):
        missing.append("the exemption relied on")
    if not (getattr(data, "refusal_reasons", None) or "").strip():
        missing.append("why it applies")
    if not (getattr(data, "review_route", None) or "").strip():
        missing.append("the internal review route")
    if not (getattr(data, "ico_right", None) or "").strip():
        missing.append("the right to complain to the Information Commissioner")
    return missing


class ISubjectAccessRequest(Interface):
    """Marker of a request handled as subject access: never listed in the disclosure log."""


@implementer(IFOIRequest, IConfidentialRecord)
class FOIRequest(Container):
    """An FOI request; its requester is personal data, so reading it is audited."""

    reference = None
    #: The latest disclosure bundle (NamedBlobFile) and its sealed manifest (dict); see foi.bundle.
    bundle = None
    bundle_manifest = None
