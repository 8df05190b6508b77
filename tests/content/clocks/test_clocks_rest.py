"""GET/POST <record>/@clocks over HTTP: shape, permissions, and 400 for bad input."""

import time
from datetime import date

import pytest
import transaction
from plone import api

from links.content.clocks import api as clocks
from links.content.roles import COMPLAINTS_OFFICER
from links.content.roles import PARTICIPANT
from links.content.words import today as london_today

from .conftest import add_user
from .conftest import enable_clocks_on_documents

PASSWORD = "secret-password-1"


@pytest.fixture
def record(functional_portal):
    enable_clocks_on_documents(functional_portal)
    with api.env.adopt_roles(["Manager"]):
        doc = api.content.create(container=functional_portal, type="Document", id="record", title="A record")
        api.content.transition(doc, "publish")
        clocks.start(doc, "foi-response", started=date(2024, 12, 21), actor="admin")
        add_user("officer", [COMPLAINTS_OFFICER])
        add_user("participant", [PARTICIPANT])
    transaction.commit()
    return doc


def test_get_clocks(record, request_factory):
    response = request_factory(role="Manager").get("/record/@clocks")
    assert response.status_code == 200, response.text
    [item] = response.json()["items"]
    assert item["name"] == "foi-response"
    assert item["started"] == "2024-12-21"
    assert item["due"] == "2025-01-23"
    assert item["status"] == "overdue"
    assert item["rule"]["calendar"] == "uk" and item["rule"]["count"] == 20
    assert item["pauses"] == [] and item["extensions"] == []
    assert item["explanation"].startswith("Received Saturday 21 December 2024, a non-working day.")


def test_pause_resume_extend_as_complaints_officer(record, request_factory):
    with api.env.adopt_roles(["Manager"]):
        clocks.start(record, "foi-response", started=london_today())  # received today: not yet due
    transaction.commit()
    session = request_factory(basic_auth=("officer", PASSWORD))
    response = session.post(
        "/record/@clocks/foi-response/pause", json={"reason": "Fee notice sent", "kind": "fee"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "paused"
    assert response.json()["pauses"][0]["actor"] == "officer"
    assert response.json()["pauses"][0]["kind"] == "fee"
    response = session.post("/record/@clocks/foi-response/resume", json={})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["pauses"][0]["end"] == london_today().isoformat()
    assert body["pauses"][0]["backdated"] is False
    response = session.post(
        "/record/@clocks/foi-response/extend", json={"reason": "Public interest test", "working_days": 5}
    )
    assert response.status_code == 200, response.text
    assert response.json()["extensions"][0]["working_days"] == 5


def test_backdated_pause_is_403_for_an_officer_and_marked_for_a_manager(record, request_factory):
    body = {"reason": "Fee notice sent", "on": "2024-12-23", "kind": "fee"}  # due 23 January 2025
    response = request_factory(basic_auth=("officer", PASSWORD)).post(
        "/record/@clocks/foi-response/pause", json=body
    )
    assert response.status_code == 403, response.text
    assert "only a Manager" in response.json()["message"]
    transaction.begin()
    assert clocks.get(record, "foi-response").pauses == ()
    response = request_factory(role="Manager").post("/record/@clocks/foi-response/pause", json=body)
    assert response.status_code == 200, response.text
    assert response.json()["pauses"][0]["backdated"] is True
    assert "(recorded " in response.json()["explanation"]
    response = request_factory(role="Manager").post(
        "/record/@clocks/foi-response/resume", json={"on": "2025-01-06"}
    )
    assert response.status_code == 400 and "give the reason" in response.json()["message"]


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("foi-response/pause", {"kind": "fee"}, "reason"),
        ("foi-response/pause", {"reason": "   ", "kind": "fee"}, "reason"),
        ("foi-response/pause", {"reason": "x", "on": "23/12/2024", "kind": "fee"}, "YYYY-MM-DD"),
        ("foi-response/pause", {"reason": "x", "on": "2099-01-01", "kind": "fee"}, "future"),
        ("foi-response/pause", {"reason": "x", "on": "1999-12-31", "kind": "fee"}, "1 January 2000"),
        (
            "foi-response/pause",
            {"reason": "x", "on": "2024-12-20", "kind": "fee"},
            "before the clock started",
        ),
        ("foi-response/pause", {"reason": "x"}, "allows restart, fee"),
        ("foi-response/pause", {"reason": "x", "kind": "nap"}, "kind"),
        ("foi-response/pause", {"reason": "x" * 2001, "kind": "fee"}, "at most 2,000"),
        ("foi-response/pause", {"reason": ["x"], "kind": "fee"}, "text"),
        ("foi-response/pause", {"reason": "x", "kind": "fee", "whenever": 1}, "Unknown field"),
        ("foi-response/resume", {}, "paused"),
        ("foi-response/extend", {"reason": "x", "working_days": -1}, "from 1 to 260"),
        ("foi-response/extend", {"reason": "x", "working_days": 261}, "from 1 to 260"),
        ("foi-response/extend", {"reason": "x", "working_days": 1000000000}, "from 1 to 260"),
        ("foi-response/extend", {"reason": "x", "working_days": "5"}, "whole number"),
        ("foi-response/extend", {"reason": "x", "months": 2}, "working_days"),
        ("foi-response/extend", {"reason": "x", "until": "2099-01-01"}, "an extension decided after that"),
        ("foi-response/pause", {"reason": "x", "kind": "fee"}, "a pause dated after that"),
        ("foi-response/extend", {"reason": "x", "working_days": 2, "until": "2025-03-01"}, "not both"),
        ("foi-response/explode", {}, "pause"),
    ],
)
def test_bad_input_is_400_and_changes_nothing(record, request_factory, path, body, message):
    # CPU time of this process (the test server is a thread of it), so a loaded machine cannot fail it:
    # an absurd number of days used to burn 15 s of CPU before answering.
    moment = time.process_time()
    response = request_factory(role="Manager").post(f"/record/@clocks/{path}", json=body)
    assert time.process_time() - moment < 2
    assert response.status_code == 400, response.text
    assert message in response.json()["message"]
    transaction.begin()
    clock = clocks.get(record, "foi-response")
    assert clock.state == "running" and clock.pauses == () and clock.extensions == ()


def test_met_late_over_rest(record, request_factory):
    with api.env.adopt_roles(["Manager"]):
        clocks.stop(record, "foi-response", on=date(2025, 2, 27))  # due 23 January 2025
    transaction.commit()
    [item] = request_factory(role="Manager").get("/record/@clocks").json()["items"]
    # 24, 27-31 January, 3-7, 10-14, 17-21, 24-27 February: 25 working days.
    assert item["met_late_days"] == 25
    assert item["status"] == "met" and item["status_text"] == "Met 25 working days late"
    page = request_factory(role="Manager", api=False).get("/record", headers={"Accept": "text/html"})
    assert "Met 25 working days late" in page.text


def test_unknown_clock_is_404(record, request_factory):
    response = request_factory(role="Manager").post("/record/@clocks/nope/pause", json={"reason": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "participant"])
def test_pause_refused_without_manage_clocks(record, request_factory, who):
    session = (
        request_factory() if who == "anonymous" else request_factory(basic_auth=("participant", PASSWORD))
    )
    response = session.post("/record/@clocks/foi-response/pause", json={"reason": "x"})
    assert response.status_code in (401, 403)
    transaction.begin()
    assert clocks.get(record, "foi-response").state == "running"


def test_record_page_shows_the_clocks_table(record, request_factory):
    response = request_factory(role="Manager", api=False).get("/record", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "Statutory deadlines" in response.text
    assert "23 January 2025" in response.text
    assert "<caption>" in response.text
    response = request_factory(role="Manager", api=False).get(
        "/record/@@clocks", headers={"Accept": "text/html"}
    )
    assert "Received Saturday 21 December 2024" in response.text
