"""Met late in the periodic reports' figures and on the dashboard: one measure, Clock.met_late_days."""

from datetime import date

from plone import api

from links.content.clocks import api as clocks
from links.content.dashboard import query as dq
from links.content.transitional import activities


def test_transitional_figures_count_deadlines_by_outcome(document, manager, clocks_portal):
    clocks.start(document, "complaint-response", started=date(2024, 6, 3))  # due Monday 1 July 2024
    clocks.stop(document, "complaint-response", on=date(2024, 8, 5))  # 2 July .. 5 August: 25 working days
    clocks.start(document, "complaint-acknowledgement", started=date(2024, 6, 3))  # due 6 June 2024
    clocks.stop(document, "complaint-acknowledgement", on=date(2024, 6, 5))
    # Due Monday 31 March 2025 (St Patrick's Day, 17 March, counts for FOI), still open.
    clocks.start(document, "foi-response", started=date(2025, 2, 28))
    clocks.start(document, "provider-response", started=date(2025, 6, 2))  # due after the period
    data = activities.count(clocks_portal, date(2024, 4, 1), date(2025, 3, 31), today=date(2025, 4, 30))
    deadlines = {s["key"]: s for s in data["sections"]}["deadlines"]
    assert deadlines["label"] == "Statutory deadlines falling due, by outcome"
    assert dict(deadlines["breakdown"]) == {
        "Acknowledge the complaint: met on time": 1,
        "Respond to the complaint: met late (25 working days late in all)": 1,
        "Answer the freedom of information request: overdue and still open": 1,
    }
    assert deadlines["total"] == 3


def test_dashboard_shows_deadlines_met_late(document, manager, clocks_portal):
    api.content.transition(document, "publish")
    clocks.start(document, "foi-response", started=date(2024, 12, 21))  # due 23 January 2025
    clocks.stop(document, "foi-response", on=date(2025, 2, 27))
    _, rows, _ = dq.search(dq.DashboardQuery())
    assert rows == []  # nothing open
    _, rows, total = dq.search(dq.DashboardQuery(show="met_late"))
    assert total == 1 and rows[0]["met_late"]
    [clock] = rows[0]["clocks"]
    assert clock["status_text"] == "Met 25 working days late" and clock["met_late_days"] == 25
    clocks.start(document, "complaint-response", started=date(2024, 6, 3))  # open and overdue
    _, rows, _ = dq.search(dq.DashboardQuery())
    assert [c["status_text"] for c in rows[0]["clocks"]] == ["Overdue", "Met 25 working days late"]
    assert rows[0]["next_due"] == "2024-07-01"
