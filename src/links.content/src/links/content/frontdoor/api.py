"""Public submissions: a complaint or an FOI request made on the web, and an experience shared.

The forms call these functions and nothing else. A record made here is created by the system (an
unrestricted user without a user id that exists only for the call: the audit trail records the system as
the actor, and nobody becomes Creator or Owner), never by the anonymous visitor: a record owned by
"Anonymous User" would give every anonymous visitor the Owner role on it. The sender gets a
``Receipt``: the reference and what happens next, with the dates read from the record's clocks, and the
same words by e-mail, sent after the transaction commits.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field

import transaction
from AccessControl.SecurityManagement import getSecurityManager
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import setSecurityManager
from AccessControl.users import UnrestrictedUser
from plone import api

from links.content.clocks import api as clocks
from links.content.clocks.rules import compute
from links.content.complaints import api as complaints_api
from links.content.complaints.subscribers import ACK
from links.content.complaints.subscribers import RESPONSE
from links.content.foi import api as foi_api
from links.content.foi.subscribers import response_clock
from links.content.frontdoor import ratelimit
from links.content.frontdoor.exceptions import LooksAutomated
from links.content.frontdoor.exceptions import Unavailable
from links.content.words import format_date
from links.content.words import today

logger = logging.getLogger("links.content.frontdoor")

#: User name of the system user the forms act as (it has no user id, so it owns nothing).
SYSTEM_USER = "web-form"
#: Where public submissions are filed (created, private, when a site has none).
FOLDERS = {
    "Complaint": ("complaints", "Complaints"),
    "FOIRequest": ("foi", "Freedom of information"),
}


@dataclass
class Receipt:
    """What the sender is shown, and e-mailed, after a submission."""

    reference: str
    what: str
    next_steps: list[str] = field(default_factory=list)
    emailed_to: str | None = None


@contextmanager
def as_system():
    """Act as ``SYSTEM_USER`` with the Manager role for the block (then as before)."""
    old = getSecurityManager()
    portal = api.portal.get()
    user = UnrestrictedUser(SYSTEM_USER, "", ["Manager"], []).__of__(portal.acl_users)
    newSecurityManager(None, user)
    try:
        yield
    finally:
        setSecurityManager(old)


def check(address: str, honeypot: str | None) -> None:
    """The spam checks every public form runs first: honeypot empty, address under its hourly limit.

    :raises LooksAutomated: the honeypot field was filled in
    :raises TooManySubmissions: the address sent too many forms in the last hour
    """
    if (honeypot or "").strip():
        raise LooksAutomated(
            "The form was not sent: a field that people cannot see was filled in, as automated senders do."
        )
    ratelimit.count(address)


def folder_for(portal_type: str):
    """The folder public submissions of ``portal_type`` go to (made private when missing)."""
    portal = api.portal.get()
    folder_id, title = FOLDERS[portal_type]
    folder = portal.get(folder_id)
    if folder is None:
        with as_system():
            folder = api.content.create(container=portal, type="Folder", id=folder_id, title=title)
    return folder


def _disown(obj) -> None:
    """Make sure no local role came with the record (nobody owns a record sent through a form)."""
    holders = [principal for principal, _roles in obj.get_local_roles()]
    if holders:
        obj.manage_delLocalRoles(holders)
        obj.reindexObjectSecurity()


def _file(create, portal_type: str, **fields):
    """Create a record with ``create(folder, **fields)`` as the system, owned by nobody."""
    with as_system():
        obj = create(folder_for(portal_type), **fields)
        _disown(obj)
    return obj


def submit_complaint(data: dict, address: str, honeypot: str | None = None) -> Receipt:
    """Log a complaint sent through ``@@complain`` (how received: web form; received today).

    :param data: the public form's fields: ``complainant_name``, ``complainant_email``,
        ``complainant_phone``, ``complainant_address``, ``about``, ``details``, ``preferred_format``,
        ``preferred_language``, ``consent_to_share``
    :param address: the sender's IP address (rate limit)
    :param honeypot: the hidden field's value (must be empty)
    :returns: the receipt
    :raises FrontDoorError: a spam check failed; nothing was created
    """
    check(address, honeypot)
    received = today()
    fields = {name: value for name, value in data.items() if value not in (None, "")}
    complaint = _file(
        complaints_api.create_complaint,
        "Complaint",
        received=received,
        how_received="web-form",
        consent_date=received if fields.get("consent_to_share") else None,
        **fields,
    )
    ack = clocks.get(complaint, ACK)
    # The response clock starts at acknowledgement but counts from receipt: its date is known now.
    response = compute(clocks.configured_rules()[RESPONSE], received, extra_days=ack.extra_days).due
    steps = [
        f"We received your complaint on {format_date(received)}.",
        f"We will write to acknowledge it by {format_date(ack.due)}.",
        f"We will send you our response by {format_date(response)}, after looking into what happened.",
        "If you are not satisfied with our response, you can ask for an independent review of it.",
    ]
    receipt = Receipt(complaint.reference, "complaint", steps, data.get("complainant_email") or None)
    _mail(receipt, data.get("complainant_name"))
    return receipt


def submit_information_request(data: dict, address: str, honeypot: str | None = None) -> Receipt:
    """Log a freedom of information request sent through ``@@ask-for-information`` (received today).

    :param data: ``requester_name``, ``email``, ``postal_address``, ``summary``, ``request_text``,
        ``preferred_format``, ``preferred_language``
    :param address: the sender's IP address (rate limit)
    :param honeypot: the hidden field's value (must be empty)
    :returns: the receipt
    :raises FrontDoorError: a spam check failed; nothing was created
    """
    check(address, honeypot)
    received = today()
    contact = "\n".join(part for part in (data.get("email"), data.get("postal_address")) if part)
    request = _file(
        foi_api.create_request,
        "FOIRequest",
        received=received,
        summary=data["summary"],
        requester_name=data["requester_name"],
        requester_contact=contact,
        request_text=data["request_text"],
        preferred_format=data.get("preferred_format") or "standard",
        preferred_language=data.get("preferred_language") or None,
    )
    clock = response_clock(request)
    steps = [f"We received your request on {format_date(received)}."]
    if clock is not None:
        steps.append(f"We will answer by {format_date(clock.due)}, the time the law allows.")
    else:
        steps.append("We will answer as soon as we can.")
    steps += [
        "If we need you to tell us more about what you want, or to pay a fee, we will write to you, and the "
        "time to answer counts again from your reply.",
        "Once answered, the request (without your name) and what we released appear in our disclosure log.",
    ]
    receipt = Receipt(request.reference, "request for information", steps, data.get("email") or None)
    _mail(receipt, data.get("requester_name"))
    return receipt


def share_experience(data: dict, address: str, honeypot: str | None = None) -> None:
    """E-mail an experience of a health or care service to the network's address.

    :param data: ``name``, ``email`` (both optional), ``service``, ``experience``
    :raises FrontDoorError: a spam check failed; nothing was sent
    """
    check(address, honeypot)
    body = (
        f"Service: {data['service']}\n"
        f"From: {data.get('name') or 'not given'} ({data.get('email') or 'no e-mail address'})\n"
        f"May we contact them: {'yes' if data.get('contact_me') else 'no'}\n\n"
        f"{data['experience']}\n"
    )
    recipient = api.portal.get_registry_record("plone.email_from_address")
    try:
        api.portal.send_email(
            recipient=recipient, subject=f"An experience of {data['service']}", body=body, immediate=True
        )
    except Exception as error:
        logger.exception("Could not e-mail an experience to %s", recipient)
        raise Unavailable(
            "Your message could not be sent just now. Please try again later, or phone or write to us."
        ) from error


def _mail(receipt: Receipt, name: str | None) -> None:
    """E-mail the receipt when the sender gave an address, after the commit.

    A mail server that is down must not undo the record: the reference is already on the screen (Zope's
    transactional mail would abort the whole transaction when the server refuses it).
    """
    if not receipt.emailed_to:
        return
    site = api.portal.get_registry_record("plone.site_title")
    body = (
        f"Dear {name or 'Sir or Madam'},\n\n"
        f"thank you for your {receipt.what}. Its reference is {receipt.reference}: please quote it when you "
        "contact us about it.\n\nWhat happens next:\n"
        + "".join(f"- {step}\n" for step in receipt.next_steps)
        + f"\n{site}\n"
    )
    subject = f"Your {receipt.what}: {receipt.reference}"
    message = {"recipient": receipt.emailed_to, "subject": subject, "body": body}
    transaction.get().addAfterCommitHook(_deliver, kws=message)


def _deliver(committed: bool, **message) -> None:
    if not committed:
        return
    try:
        api.portal.send_email(immediate=True, **message)
    except Exception:
        logger.exception("Could not e-mail %r to %s", message["subject"], message["recipient"])
