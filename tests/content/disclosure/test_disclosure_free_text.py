"""Transition and version comments and clock reasons are shown only to readers of the record's personal
fields; others see that they exist, who wrote them and when (#12). The stored trail is unchanged."""

import pytest
import transaction
from plone import api

from links.content.audit import api as audit
from links.content.clocks import api as clocks

from .conftest import COMPLAINANT

COMMENT = f"Phoned {COMPLAINANT} at home"
REASON = f"Waiting for {COMPLAINANT}'s GP letter"


@pytest.fixture
def case(records):
    complaint = records["complaint"]
    with api.env.adopt_user(username="officer"):
        api.content.transition(complaint, transition="acknowledge", comment=COMMENT)
        clocks.pause(complaint, "complaint-response", reason=REASON, actor="officer")
    transaction.commit()  # the chainer appends the entries right after
    return complaint


def _transition(items):
    return next(i for i in items if i["action"] == "workflow.transition")


def test_auditor_sees_that_a_comment_exists_not_its_text(case, session):
    response = session("auditor").get(f"/{case.getId()}/@audit", params={"b_size": 200})
    assert response.status_code == 200, response.text
    entry = _transition(response.json()["items"])
    # A confidential record's transition comment never enters the trail (#15, review finding 7d): the
    # entry says that there was one.
    assert entry["details"]["commented"] is True and "comment" not in entry["details"]
    assert entry["actor"] == "officer" and entry["timestamp"]
    assert COMPLAINANT not in response.text


def test_the_trail_keeps_only_that_a_comment_was_given(case, request_factory):
    response = request_factory(role="Manager").get(f"/{case.getId()}/@audit", params={"b_size": 200})
    assert _transition(response.json()["items"])["details"]["commented"] is True
    assert COMMENT not in response.text
    transaction.begin()  # see what the chainer committed
    with api.env.adopt_roles(["Manager"]):
        _, stored = audit.entries({"uid": case.UID()}, limit=200)
    assert COMMENT not in repr(stored) and REASON not in repr(stored)
    # The comment stays with the record, for those who may read its personal details.
    history = case.workflow_history["links_complaint_workflow"]
    assert history[-1]["comments"] == COMMENT


def test_history_and_audit_page_withholds_comments(case, session):
    page = session("auditor").get(f"/{case.getId()}/@@history-and-audit")
    assert page.status_code == 200
    assert "workflow.transition" in page.text or "acknowledge" in page.text
    assert COMPLAINANT not in page.text and "A comment was given" in page.text


@pytest.mark.parametrize("userid,sees", [("auditor", False), ("officer", True)])
def test_clock_reasons(case, session, userid, sees):
    response = session(userid).get(f"/{case.getId()}/@clocks")
    assert response.status_code == 200, response.text
    clock = next(c for c in response.json()["items"] if c["name"] == "complaint-response")
    [pause] = clock["pauses"]
    assert pause["actor"] == "officer" and pause["start"]
    assert (pause["reason"] == REASON) is sees
    assert (COMPLAINANT in response.text) is sees
    assert ("reason withheld" in clock["explanation"]) is not sees
    page = session(userid).get(f"/{case.getId()}/@@clocks")
    assert (COMPLAINANT in page.text) is sees


def test_reminder_mails_carry_reasons_only_to_who_may_read_them(records):
    from links.content.clocks import reminders

    complaint = records["complaint"]
    clock = clocks.get(complaint, "complaint-acknowledgement")
    with api.env.adopt_user(username="officer"):
        clocks.pause(complaint, clock.name, reason=REASON, actor="officer")
    clock = clocks.get(complaint, clock.name)
    _, withheld = reminders._message(complaint, clock, "due_soon", clock.started, reasons=False)
    _, shown = reminders._message(complaint, clock, "due_soon", clock.started, reasons=True)
    assert COMPLAINANT not in withheld and "reason withheld" in withheld
    assert REASON in shown
    assert reminders._may_read_reasons(complaint, "officer")
    assert not reminders._may_read_reasons(complaint, "auditor")


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_withholds_comments_from_auditors(case, session, request_factory, fmt):
    params = {"format": fmt, "portal_type": "Complaint"}
    auditor = session("auditor").get("/@audit-export", params=params)
    assert auditor.status_code == 200, auditor.text
    assert "workflow.transition" in auditor.text
    assert COMPLAINANT not in auditor.text and "commented" in auditor.text
    manager = request_factory(role="Manager").get("/@audit-export", params=params)
    assert manager.status_code == 200 and COMPLAINANT not in manager.text  # never in the trail
