"""The public front door's API: records made by the system, clocks started, receipts, spam checks (#17)."""

import pytest
from plone import api

from links.content.clocks import api as clocks
from links.content.frontdoor import api as frontdoor
from links.content.frontdoor import ratelimit
from links.content.frontdoor.exceptions import LooksAutomated
from links.content.frontdoor.exceptions import TooManySubmissions
from links.content.words import format_date
from links.content.words import today

from .conftest import complaint_form
from .conftest import request_form


def _anonymous():
    from plone.app.testing import logout

    logout()


def test_complaint_is_logged_as_received_by_web_form(portal, mailhost):
    _anonymous()
    receipt = frontdoor.submit_complaint(complaint_form(), "192.0.2.1")
    complaint = portal["complaints"][receipt.reference.lower()]
    assert api.content.get_state(complaint) == "received"
    assert complaint.how_received == "web-form"
    assert complaint.received == today()
    assert complaint.consent_to_share is True and complaint.consent_date == today()
    assert complaint.preferred_format == "large-print" and complaint.preferred_language == "Welsh"
    assert complaint.Title() == f"Complaint {receipt.reference}"
    ack = clocks.get(complaint, "complaint-acknowledgement")
    assert ack is not None and ack.started == today()
    assert f"We will write to acknowledge it by {format_date(ack.due)}." in receipt.next_steps
    # The response date is the one the response clock gets when the complaint is acknowledged.
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(obj=complaint, transition="acknowledge")
    response = clocks.get(complaint, "complaint-response")
    assert any(f"response by {format_date(response.due)}," in step for step in receipt.next_steps)


def test_nobody_owns_a_public_record(portal):
    """Neither the anonymous visitor nor the system user holds a local role on what the form made."""
    _anonymous()
    receipt = frontdoor.submit_complaint(complaint_form(), "192.0.2.2")
    complaint = portal["complaints"][receipt.reference.lower()]
    assert complaint.listCreators() == ()
    assert dict(complaint.get_local_roles()) == {}
    # An anonymous visitor can neither see it nor find it.
    assert not api.user.has_permission("View", user=api.user.get_current(), obj=complaint)
    assert len(api.content.find(portal_type="Complaint")) == 0


def _commit_hooks(committed=True):
    """Run the after-commit hooks as a commit would (the integration layer never commits)."""
    import transaction

    for hook, args, kws in transaction.get().getAfterCommitHooks():
        hook(committed, *args, **kws)


def test_receipt_is_emailed_after_commit(portal, mailhost):
    _anonymous()
    receipt = frontdoor.submit_complaint(complaint_form(), "192.0.2.3")
    assert mailhost.messages == []
    _commit_hooks()
    [message] = mailhost.messages
    text = message.decode() if isinstance(message, bytes) else str(message)
    assert "beth@example.org" in text
    assert receipt.reference in text
    assert receipt.emailed_to == "beth@example.org"


def test_information_request_starts_its_clock(portal, mailhost):
    _anonymous()
    receipt = frontdoor.submit_information_request(request_form(), "192.0.2.4")
    request = portal["foi"][receipt.reference.lower()]
    assert api.content.get_state(request) == "received"
    assert request.requester_contact == "olu@example.org"
    assert request.preferred_format == "easy-read"
    clock = clocks.get(request, "foi-response")
    assert clock.started == today()
    assert f"We will answer by {format_date(clock.due)}, the time the law allows." in receipt.next_steps
    assert dict(request.get_local_roles()) == {}


def test_honeypot_refuses_and_creates_nothing(portal):
    _anonymous()
    with pytest.raises(LooksAutomated):
        frontdoor.submit_complaint(complaint_form(), "192.0.2.5", honeypot="http://spam.example")
    assert "complaints" not in portal or not portal["complaints"].objectIds()


def test_rate_limit_per_address(portal):
    _anonymous()
    limit = ratelimit.per_hour()
    for _n in range(limit):
        frontdoor.submit_information_request(request_form(), "198.51.100.7")
    with pytest.raises(TooManySubmissions):
        frontdoor.submit_information_request(request_form(), "198.51.100.7")
    # Another address is not affected, and the limit lifts after an hour.
    frontdoor.submit_information_request(request_form(), "198.51.100.8")
    import time

    ratelimit.count("198.51.100.7", now=time.time() + ratelimit.WINDOW + 1)


def test_addresses_are_kept_only_as_hashes(portal):
    _anonymous()
    frontdoor.submit_information_request(request_form(), "203.0.113.9")
    stored = list(ratelimit._storage().keys())
    assert stored and all("203.0.113.9" not in key for key in stored)


def test_a_mail_server_that_is_down_does_not_undo_the_complaint(portal, mailhost, monkeypatch):
    """The receipt is sent after the commit, and a refusal there is only logged."""

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    _anonymous()
    receipt = frontdoor.submit_complaint(complaint_form(), "192.0.2.6")
    monkeypatch.setattr(api.portal, "send_email", refuse)
    _commit_hooks()
    assert receipt.reference.lower() in portal["complaints"]


def test_the_receipt_goes_to_one_address_only():
    """A list of addresses would make the network's receipt a spam relay (attacker review)."""
    import pytest
    from zope.interface import Invalid

    from links.content.frontdoor.forms import an_address

    assert an_address("alice@example.org")
    for value in ("a@x.org,b@y.org", "a@x.org; b@y.org", "Alice <a@x.org>", "a@x.org b@y.org", "nobody"):
        with pytest.raises(Invalid):
            an_address(value)
