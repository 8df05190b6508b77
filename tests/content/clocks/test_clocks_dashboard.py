"""The clocks dashboard: one sorted catalog query, highlights, filters, paging and permissions."""

from datetime import date

import pytest
import transaction
from plone import api
from plone.app.testing import login
from plone.app.testing import logout

from links.content.clocks import api as clocks
from links.content.dashboard import query as dq
from links.content.roles import COMPLAINTS_OFFICER
from links.content.roles import HOST_STAFF
from links.content.roles import PARTICIPANT
from links.content.words import today as london_today

from .conftest import add_user
from .conftest import enable_clocks_on_documents

PASSWORD = "secret-password-1"


def make_records(portal):
    """overdue (2024), due soon (started today, 3 working days), later (declaration review in a year)."""
    enable_clocks_on_documents(portal)
    today = london_today()
    with api.env.adopt_roles(["Manager"]):
        made = {}
        for name, clock, started, owner in (
            ("later", "declaration-review", today, "staff"),
            ("soon", "complaint-acknowledgement", today, "officer"),
            ("overdue", "foi-response", date(2024, 6, 3), "officer"),
            ("closed", "foi-response", date(2024, 6, 3), "officer"),
        ):
            doc = api.content.create(container=portal, type="Document", id=name, title=name.title())
            doc.responsible = owner
            api.content.transition(doc, "publish")
            clocks.start(doc, clock, started=started)
            made[name] = doc
        clocks.stop(made["closed"], "foi-response", on=date(2024, 6, 20))
        api.content.create(container=portal, type="News Item", id="news", title="No clocks")
    return made


@pytest.fixture
def records(clocks_portal):
    return make_records(clocks_portal)


def test_ordered_by_due_with_highlights(records):
    batch, rows, total = dq.search(dq.DashboardQuery(within=7))
    assert [r["title"] for r in rows] == ["Overdue", "Soon", "Later"]
    assert total == 3
    assert rows[0]["overdue"] and not rows[0]["due_soon"]
    assert rows[1]["due_soon"] and not rows[1]["overdue"]
    assert not rows[2]["overdue"] and not rows[2]["due_soon"]
    assert rows[0]["clocks"][0]["status"] == "overdue"


def test_filters(records):
    _, rows, _ = dq.search(dq.DashboardQuery(owner="staff"))
    assert [r["title"] for r in rows] == ["Later"]
    _, rows, _ = dq.search(dq.DashboardQuery(portal_types=("News Item",)))
    assert rows == []
    _, rows, _ = dq.search(dq.DashboardQuery(show="overdue"))
    assert [r["title"] for r in rows] == ["Overdue"]
    _, rows, _ = dq.search(dq.DashboardQuery(show="due_soon", within=7))
    assert [r["title"] for r in rows] == ["Soon"]
    assert dq.clock_owners() == ["officer", "staff"]
    assert "Document" in dq.clock_types()


def test_paging(records):
    batch, rows, total = dq.search(dq.DashboardQuery(b_size=2))
    assert total == 3 and [r["title"] for r in rows] == ["Overdue", "Soon"] and batch.has_next
    batch, rows, total = dq.search(dq.DashboardQuery(b_size=2, b_start=2))
    assert [r["title"] for r in rows] == ["Later"]


def test_paused_clock_past_due_is_not_overdue(records, manager):
    clocks.pause(
        records["overdue"],
        "foi-response",
        reason="Fee notice",
        actor="officer",
        on=date(2024, 6, 5),
        kind="fee",
    )
    _, rows, _ = dq.search(dq.DashboardQuery())
    assert rows[0]["title"] == "Overdue" and not rows[0]["overdue"]
    assert rows[0]["clocks"][0]["status"] == "paused"


def test_bad_parameters_refused(clocks_portal):
    with pytest.raises(dq.DashboardInputError):
        dq.DashboardQuery.from_request({"within": "soon"})
    with pytest.raises(dq.DashboardInputError):
        dq.DashboardQuery.from_request({"show": "everything"})
    assert dq.DashboardQuery.from_request({}).within == 3  # registry reminder_days


def test_dashboard_respects_view_permission(records, portal):
    add_user("participant", [PARTICIPANT])
    login(portal, "participant")
    try:
        assert [r["title"] for r in dq.search(dq.DashboardQuery())[1]] == ["Overdue", "Soon", "Later"]
    finally:
        logout()
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(records["soon"], "retract")  # private: participants may not view it
    login(portal, "participant")
    try:
        assert [r["title"] for r in dq.search(dq.DashboardQuery())[1]] == ["Overdue", "Later"]
    finally:
        logout()


@pytest.fixture
def served(functional_portal):
    make_records(functional_portal)
    with api.env.adopt_roles(["Manager"]):
        add_user("officer", [COMPLAINTS_OFFICER])
        add_user("staff", [HOST_STAFF])
        add_user("participant", [PARTICIPANT])
    transaction.commit()
    return functional_portal


@pytest.mark.parametrize("user", ["officer", "staff"])
def test_rest_dashboard(served, request_factory, user):
    response = request_factory(basic_auth=(user, PASSWORD)).get("/@clocks-dashboard", params={"within": 7})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["within"] == 7
    assert [i["title"] for i in body["items"]] == ["Overdue", "Soon", "Later"]
    assert body["items"][1]["due_soon"] is True


def test_rest_dashboard_as_manager(served, request_factory):
    response = request_factory(role="Manager").get("/@clocks-dashboard", params={"within": 7, "b_size": 2})
    body = response.json()
    assert [i["title"] for i in body["items"]] == ["Overdue", "Soon"]
    assert body["items_total"] == 3 and body["next_b_start"] == 2
    assert body["items"][0]["overdue"] is True
    response = request_factory(role="Manager").get("/@clocks-dashboard", params={"within": "x"})
    assert response.status_code == 400 and "within" in response.json()["message"]


@pytest.mark.parametrize("who", ["anonymous", "participant"])
def test_dashboard_refused(served, request_factory, who):
    session = (
        request_factory() if who == "anonymous" else request_factory(basic_auth=("participant", PASSWORD))
    )
    assert session.get("/@clocks-dashboard").status_code in (401, 403)
    page = (
        request_factory(api=False)
        if who == "anonymous"
        else request_factory(basic_auth=("participant", PASSWORD), api=False)
    )
    response = page.get("/@@clocks-dashboard", headers={"Accept": "text/html"}, allow_redirects=False)
    assert response.status_code in (302, 401, 403)
    assert "links-clocks-dashboard" not in response.text


def test_dashboard_page(served, request_factory):
    page = request_factory(role="Manager", api=False)
    response = page.get("/@@clocks-dashboard", params={"within": 7}, headers={"Accept": "text/html"})
    assert response.status_code == 200, response.text[:2000]
    text = response.text[response.text.index("links-clocks-dashboard") :]  # the table, not the navigation
    assert text.index("Overdue") < text.index("Soon") < text.index("Later")
    assert "clock-overdue" in text and "clock-due-soon" in text
    assert '<label for="clocks-owner"' in response.text
    soon = clocks_due(served, "soon")
    assert f"{soon.day} {soon:%B %Y}" in text  # dates as "23 November 2026"


def clocks_due(portal, record_id):
    transaction.begin()
    return clocks.clocks(portal[record_id])[0].due
