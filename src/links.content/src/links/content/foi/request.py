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
from zope.interface import Invalid
from zope.interface import implementer
from zope.interface import invariant
from zope.interface import provider
from zope.schema.interfaces import IContextAwareDefaultFactory

from links.content import _
from links.content.foi.vocabularies import EXEMPTIONS
from links.content.foi.vocabularies import HANDLED_UNDER
from links.content.foi.vocabularies import OUTCOMES
from links.content.foi.vocabularies import REFUSAL_OUTCOMES
from links.content.interfaces import IConfidentialRecord
from links.content.validators import not_in_future

VIEW_REQUESTER = "links.content.ViewFOIRequester"
REGISTRY = "links.content.foi."

#: Fields behind "View FOI requester".
PERSONAL_FIELDS = ("requester_name", "requester_contact")


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
        description=_("The day the request arrived; the 20 working days count from the day after."),
        required=True,
        constraint=not_in_future,
    )
    summary = schema.TextLine(
        title=_("Summary of the request"),
        description=_("Shown publicly in the disclosure log: no names or other personal details."),
        required=True,
    )
    directives.read_permission(requester_name=VIEW_REQUESTER, requester_contact=VIEW_REQUESTER)
    directives.write_permission(requester_name=VIEW_REQUESTER, requester_contact=VIEW_REQUESTER)
    requester_name = schema.TextLine(title=_("Requester's name"), required=True)
    requester_contact = schema.Text(
        title=_("Requester's contact details"),
        description=_("E-mail or postal address for the answer."),
        required=True,
    )
    request_text = schema.Text(title=_("The request as received"), required=True)
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
    answer = schema.Text(title=_("Answer sent to the requester"), required=False)
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
    refusal_reasons = schema.Text(title=_("Why the exemptions apply"), required=False)
    public_interest = schema.Text(
        title=_("Public interest test"),
        description=_("For qualified exemptions: the public interest reasoning for and against disclosure."),
        required=False,
    )
    review_route = schema.Text(
        title=_("How to ask for an internal review"),
        required=False,
        defaultFactory=default_review_route,
    )
    ico_right = schema.Text(
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
    review_outcome = schema.Text(title=_("Outcome of the internal review"), required=False)
    review_decided_on = schema.Date(
        title=_("Internal review decided on"), required=False, constraint=not_in_future
    )

    @invariant
    def refusal_notice_complete(data):
        if getattr(data, "outcome", None) in REFUSAL_OUTCOMES:
            missing = refusal_notice_missing(data)
            if missing:
                raise Invalid(_("A refusal notice needs: ") + ", ".join(missing) + ".")


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


@implementer(IFOIRequest, IConfidentialRecord)
class FOIRequest(Container):
    """An FOI request; its requester is personal data, so reading it is audited."""

    reference = None
    #: The latest disclosure bundle (NamedBlobFile) and its sealed manifest (dict); see foi.bundle.
    bundle = None
    bundle_manifest = None
