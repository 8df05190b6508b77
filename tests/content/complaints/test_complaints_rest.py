"""The complaints journey end to end over HTTP (plone.restapi), as each person involved."""

from datetime import timedelta

import pytest

from links.content.words import add_months
from links.content.words import today

PASSWORD = "secret-complaints-1"
#: Dates relative to today: a receipt more than 12 months back needs a reason.
RECEIVED = today() - timedelta(days=27)

NEW = {
    "@type": "Complaint",
    "title": "Alice Example's complaint",  # ignored: the title is the case reference
    "received": RECEIVED.isoformat(),
    "how_received": "email",
    "about": "network",
    "event_date": (RECEIVED - timedelta(days=13)).isoformat(),
    "complainant_name": "Alice Example",
    "complainant_email": "alice@example.org",
    "preferred_format": "large-print",
    "preferred_language": "Polish",
    "consent_to_share": True,
    "details": "The network's volunteer was rude to me at the drop-in.",
}


@pytest.fixture
def as_user(request_factory, functional_folder):
    def session(userid, api=True):
        return request_factory(basic_auth=(userid, PASSWORD), api=api)

    return session


def ok(response, status=200):
    assert response.status_code == status, (response.status_code, response.text[:500])
    return response.json() if response.content and status != 204 else None


def test_journey_with_appeal(as_user, request_factory):
    officer, officer2, reviewer = as_user("officer"), as_user("officer2"), as_user("reviewer")
    auditor, participant = as_user("auditor"), as_user("participant")

    created = ok(officer.post("/complaints", json=NEW), 201)
    assert created["reference"].startswith(f"C-{RECEIVED.year}-")
    assert created["@id"].endswith("/" + created["reference"].lower())
    url = created["@id"].split("/complaints/")[1]
    path = f"/complaints/{url}"
    assert created["review_state"] == "received"

    ok(officer.post(f"{path}/@workflow/acknowledge"))
    ok(officer.patch(f"{path}", json={"investigating_officer": "officer2"}), 204)
    ok(officer.post(f"{path}/@workflow/start_investigation"))
    ok(
        officer2.patch(
            f"{path}",
            json={
                "findings": "The volunteer was abrupt.",
                "outcome": "partly-upheld",
                "remedies": "Training arranged.",
                "lessons_learned": "Brief volunteers.",
            },
        ),
        204,
    )
    sent = ok(officer2.post(f"{path}/@workflow/send_response"))
    assert sent["review_state"] == "response_sent"
    response_sent_on = ok(officer.get(path))["response_sent_on"]

    ok(
        officer.patch(path, json={"appeal_requested_on": response_sent_on, "appeal_grounds": "Not enough."}),
        204,
    )
    ok(officer.post(f"{path}/@workflow/request_appeal"))

    # The investigating officer is not independent; the refusal says why and changes nothing.
    refused = officer.post(f"{path}/@assign-reviewer", json={"reviewer": "officer2"})
    assert refused.status_code == 400
    assert "Independent Reviewer role" in refused.json()["message"]
    assert ok(officer.get(path))["review_state"] == "appeal_requested"
    assert reviewer.get(path).status_code in (401, 403)

    assigned = ok(officer.post(f"{path}/@assign-reviewer", json={"reviewer": "reviewer"}))
    assert assigned["review_state"] == "under_independent_review"

    seen = ok(reviewer.get(path))
    assert seen["complainant_name"] == "Alice Example"
    ok(
        reviewer.patch(
            path, json={"appeal_decision": "not-upheld", "appeal_reasons": "Remedy proportionate."}
        ),
        204,
    )
    ok(reviewer.post(f"{path}/@workflow/decide_appeal"))
    closed = ok(officer.post(f"{path}/@workflow/close"))
    assert closed["review_state"] == "closed"

    letter = as_user("officer", api=False).get(f"{path}/@@response-letter")
    assert letter.status_code == 200
    assert letter.headers["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")
    for userid in ("auditor", "reviewer", "participant"):
        assert as_user(userid, api=False).get(f"{path}/@@response-letter").status_code in (401, 403), userid
    assert request_factory(api=False).get(f"{path}/@@response-letter").status_code in (401, 403)

    # The auditor sees the case and its history, not the person.
    audit_view = ok(auditor.get(path))
    assert audit_view["review_state"] == "closed" and audit_view["outcome"]["token"] == "partly-upheld"
    for field in ("complainant_name", "complainant_email", "details", "findings", "response_letter"):
        assert field not in audit_view, field
    history = ok(auditor.get(f"{path}/@case-history"))
    assert [event["action"] for event in history["events"]] == [
        "created",
        "acknowledge",
        "start_investigation",
        "send_response",
        "request_appeal",
        "begin_review",
        "decide_appeal",
        "close",
    ]
    assert {clock["name"]: clock["status"] for clock in history["clocks"]} == {
        "complaint-acknowledgement": "met",
        "complaint-response": "met",
        "appeal-decision": "met",
    }
    assert "Alice" not in str(history)
    assert participant.get(f"{path}/@case-history").status_code in (401, 403)

    # Participants and anonymous users get nothing, not even the title in a search.
    assert participant.get(path).status_code in (401, 403)
    for session in (participant, request_factory()):
        found = ok(session.get("/@search", params={"portal_type": "Complaint"}))
        assert found["items_total"] == 0
        found = ok(session.get("/@search", params={"SearchableText": "Complaint"}))
        assert all(item["@type"] != "Complaint" for item in found["items"])
    listed = ok(auditor.get("/@search", params={"portal_type": "Complaint"}))["items"]
    assert [item["title"] for item in listed] == [f"Complaint {created['reference']}"]


@pytest.mark.parametrize(
    "change,message",
    [
        ({"received": "2099-01-05"}, "future"),
        ({"received": "1899-12-31", "event_date": None}, "before 1 January 1900"),
        ({"received": "1999-06-01", "event_date": None}, "before 1 January 2000"),
        (
            {"received": (add_months(today(), -12) - timedelta(days=1)).isoformat(), "event_date": None},
            "more than 12 months ago",
        ),
        ({"event_date": (RECEIVED - timedelta(days=400)).isoformat()}, "time limit"),
        ({"details": "x" * 100_001}, "details"),
        ({"complainant_name": "x" * 301}, "complainant_name"),
        ({"complainant_address": "x" * 10_001}, "complainant_address"),
        ({"participant_concerned": "participant"}, "participant's conduct"),
        (
            {"about": "participant", "participant_concerned": "officer", "investigating_officer": "officer"},
            "cannot investigate",
        ),
    ],
)
def test_bad_complaint_is_refused_and_nothing_created(as_user, change, message):
    officer = as_user("officer")
    refused = officer.post("/complaints", json={**NEW, **change})
    assert refused.status_code == 400, refused.text
    assert message in refused.text
    assert ok(officer.get("/complaints"))["items_total"] == 0


def test_implausible_receipt_is_accepted_with_a_reason(as_user):
    officer = as_user("officer")
    late = {
        **NEW,
        "received": "1999-06-01",
        "event_date": None,
        "late_reason": "Found in the old host's files.",
    }
    created = ok(officer.post("/complaints", json=late), 201)
    assert created["reference"] == "C-1999-0001"


def test_late_appeal_is_refused(as_user):
    officer = as_user("officer")
    path = "/complaints/" + ok(officer.post("/complaints", json=NEW), 201)["@id"].split("/complaints/")[1]
    ok(officer.post(f"{path}/@workflow/acknowledge"))
    ok(
        officer.patch(path, json={"investigating_officer": "officer2", "findings": "f", "outcome": "upheld"}),
        204,
    )
    ok(officer.post(f"{path}/@workflow/start_investigation"))
    ok(officer.post(f"{path}/@workflow/send_response"))
    sent = ok(officer.get(path))["response_sent_on"]
    late = officer.patch(path, json={"appeal_requested_on": "2026-01-05"})
    assert late.status_code == 400 and "appeal" in late.text, (sent, late.text)
    assert ok(officer.get(path))["appeal_requested_on"] is None


def test_assign_reviewer_needs_a_name_and_the_handle_permission(as_user):
    officer = as_user("officer")
    path = "/complaints/" + ok(officer.post("/complaints", json=NEW), 201)["@id"].split("/complaints/")[1]
    missing = officer.post(f"{path}/@assign-reviewer", json={})
    assert missing.status_code == 400 and "reviewer" in missing.json()["message"]
    assert as_user("auditor").post(f"{path}/@assign-reviewer", json={"reviewer": "reviewer"}).status_code in (
        401,
        403,
    )
