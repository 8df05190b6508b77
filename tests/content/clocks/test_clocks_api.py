"""The clocks API on a real content object: storage, registry rules, events, indexes, bad input."""

import json
import time
from datetime import date
from datetime import timedelta

import pytest
from plone import api
from zope.component import getGlobalSiteManager

from links.content.clocks import api as clocks
from links.content.clocks.behaviors import IHasStatutoryClocks
from links.content.clocks.behaviors import IStatutoryClocks
from links.content.clocks.exceptions import BackdatingRefused
from links.content.clocks.exceptions import ClockError
from links.content.clocks.exceptions import ClockNotFound
from links.content.clocks.exceptions import InvalidClockOperation
from links.content.clocks.exceptions import ReasonRequired
from links.content.clocks.exceptions import UnknownClockRule
from links.content.interfaces import IRecordEvent
from links.content.words import today as london_today

from .conftest import working_days_ago


@pytest.fixture
def events():
    seen = []

    def handler(event):
        seen.append(event)

    gsm = getGlobalSiteManager()
    gsm.registerHandler(handler, (IRecordEvent,))
    yield seen
    gsm.unregisterHandler(handler, (IRecordEvent,))


def test_behavior_marks_the_record(document):
    assert IHasStatutoryClocks.providedBy(document)
    assert IStatutoryClocks(document).clocks() == []


def test_start_uses_the_registry_rule(document):
    clock = clocks.start(
        document, "complaint-acknowledgement", started=date(2024, 12, 24), actor="complaints"
    )
    assert clock.rule.count == 3 and clock.rule.kind == "working"
    assert clock.due == date(2024, 12, 31)
    assert clocks.get(document, "complaint-acknowledgement") is clock
    assert clocks.clocks(document) == [clock]
    assert clock.history[0].action == "started" and clock.history[0].actor == "complaints"


def test_all_contract_clock_names_are_configured(clocks_portal):
    names = {
        "complaint-acknowledgement",
        "complaint-response",
        "appeal-decision",
        "provider-response",
        "information-request-response",
        "osc-acknowledgement",
        "foi-response",
        "foi-internal-review",
        "declaration-update",
        "declaration-review",
    }
    assert names <= set(clocks.configured_rules())
    assert clocks.configured_rules()["foi-response"].calendar == "uk"
    assert clocks.configured_rules()["osc-acknowledgement"].counting == "beginning_with"


def test_rule_is_a_snapshot(document, manager):
    clock = clocks.start(document, "complaint-acknowledgement", started=date(2024, 6, 7))
    rules = json.loads(api.portal.get_registry_record(clocks.RULES_RECORD))
    rules["complaint-acknowledgement"]["count"] = 5
    api.portal.set_registry_record(clocks.RULES_RECORD, json.dumps(rules))
    clocks.pause(
        document, "complaint-acknowledgement", reason="waiting", actor="complaints", on=date(2024, 6, 10)
    )
    clocks.resume(document, "complaint-acknowledgement", on=date(2024, 6, 10), reason="Recorded late")
    assert clock.rule.count == 3
    assert clock.due == date(2024, 6, 12)


def test_unknown_rule(document):
    with pytest.raises(UnknownClockRule):
        clocks.start(document, "no-such-clock")


def test_pause_resume_moves_due_and_records_who_and_why(document, events, manager):
    clocks.start(document, "information-request-response", started=date(2024, 6, 3))
    clock = clocks.pause(
        document,
        "information-request-response",
        reason="Clarification asked",
        actor="staff",
        on=date(2024, 6, 5),
    )
    assert clock.status() == "paused"
    assert clock.due == date(2024, 7, 1)  # frozen while paused
    clock = clocks.resume(
        document, "information-request-response", on=date(2024, 6, 10), actor="staff", reason="Late entry"
    )
    assert clock.state == "running"
    assert clock.due == date(2024, 7, 4)
    assert clock.pauses[0].reason == "Clarification asked" and clock.pauses[0].actor == "staff"
    assert clock.pauses[0].end == date(2024, 6, 10)
    assert [e.action for e in events] == ["clock.started", "clock.paused", "clock.resumed"]
    assert events[1].details["reason"] == "Clarification asked"
    assert events[2].details["due"] == "2024-07-04"


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_pause_without_reason_is_refused_and_changes_nothing(document, reason):
    clocks.start(document, "foi-response", started=date(2024, 6, 3))
    with pytest.raises(ReasonRequired):
        clocks.pause(document, "foi-response", reason=reason, actor="staff")
    assert clocks.get(document, "foi-response").state == "running"
    assert clocks.get(document, "foi-response").pauses == ()


def test_impossible_operations(document, manager):
    with pytest.raises(ClockNotFound):
        clocks.pause(document, "complaint-response", reason="x", actor="staff")
    with pytest.raises(InvalidClockOperation, match="future"):
        clocks.start(document, "complaint-response", started=london_today() + timedelta(days=1))
    clocks.start(document, "complaint-response", started=date(2024, 6, 3))
    with pytest.raises(InvalidClockOperation, match="running"):
        clocks.resume(document, "complaint-response")
    with pytest.raises(InvalidClockOperation, match="before the clock started"):
        clocks.pause(document, "complaint-response", reason="x", actor="staff", on=date(2024, 6, 1))
    with pytest.raises(InvalidClockOperation, match="future"):
        clocks.pause(
            document, "complaint-response", reason="x", actor="staff", on=london_today() + timedelta(days=2)
        )


def extend_in_june(*args, **kwargs):
    """An extension decided on 20 June 2024, before the due dates of clocks started on 3 June 2024."""
    return clocks.extend(*args, on=date(2024, 6, 20), **kwargs)


def test_extend(document, events, manager):
    clocks.start(document, "foi-internal-review", started=date(2024, 6, 3))
    clock = extend_in_june(document, "foi-internal-review", working_days=5, reason="Complex", actor="staff")
    assert clock.due == date(2024, 7, 8)
    assert clock.extensions[0].working_days == 5 and clock.extensions[0].actor == "staff"
    with pytest.raises(InvalidClockOperation, match="at most 20 working days in total"):
        extend_in_june(document, "foi-internal-review", working_days=16, reason="More", actor="staff")
    with pytest.raises(ReasonRequired):
        extend_in_june(document, "foi-internal-review", working_days=1)
    with pytest.raises(InvalidClockOperation):
        extend_in_june(document, "foi-internal-review", reason="x")
    with pytest.raises(InvalidClockOperation, match="after the current"):
        extend_in_june(document, "foi-internal-review", until=date(2024, 7, 1), reason="x")
    clock = extend_in_june(
        document, "foi-internal-review", until=date(2024, 7, 29), reason="Agreed", actor="staff"
    )
    assert clock.due == date(2024, 7, 29)
    assert events[-1].action == "clock.extended"


def test_calendar_clock_extends_by_days_not_working_days(document, manager):
    clocks.start(document, "declaration-update", started=date(2024, 2, 1))
    with pytest.raises(InvalidClockOperation, match="extend it by days"):
        clocks.extend(document, "declaration-update", working_days=3, reason="x")
    clock = clocks.extend(
        document, "declaration-update", days=3, reason="Member in hospital", on=date(2024, 2, 20)
    )
    assert clock.due == date(2024, 3, 3)  # 29 February + 3 days


def test_stop_marks_met_and_is_expired(document, events):
    clocks.start(document, "complaint-acknowledgement", started=date(2024, 6, 7))
    assert clocks.is_expired(document, "complaint-acknowledgement", today=date(2024, 6, 13))
    assert not clocks.is_expired(document, "complaint-acknowledgement", today=date(2024, 6, 12))
    assert clocks.get(document, "complaint-acknowledgement").status(date(2024, 6, 13)) == "overdue"
    clock = clocks.stop(document, "complaint-acknowledgement", on=date(2024, 6, 11), actor="complaints")
    assert clock.status(date(2030, 1, 1)) == "met" and clock.met_on == date(2024, 6, 11)
    assert not clocks.is_expired(document, "complaint-acknowledgement", today=date(2030, 1, 1))
    # Met on time, but recorded long after: the stop is not refused (a transition stops the clock), it is
    # marked in the explanation and the audit trail.
    assert "Met on Tuesday 11 June 2024 (recorded " in clock.explanation
    assert clock.met_late_days == 0 and clock.status_text() == "Met"
    assert events[-1].action == "clock.stopped" and events[-1].details["backdated"] is True
    assert not clocks.is_expired(document, "no-such-clock")


def test_restart_replaces_the_clock(document, events):
    clocks.start(document, "provider-response", started=date(2024, 6, 3))
    clock = clocks.start(document, "provider-response", started=date(2024, 6, 10))
    assert clocks.clocks(document) == [clock]
    assert events[-1].details["restarted"] is True


def test_extra_non_working_days_from_the_registry(document):
    api.portal.set_registry_record("links.content.clocks.extra_non_working_days", ("2024-06-10",))
    clock = clocks.start(document, "complaint-acknowledgement", started=date(2024, 6, 7))
    assert clock.due == date(2024, 6, 13)
    assert "non-working day 10 June 2024" in clock.explanation


def test_a_badly_typed_extra_day_stops_clocks_instead_of_moving_deadlines(document):
    api.portal.set_registry_record("links.content.clocks.extra_non_working_days", ("2024-06-10", "bad date"))
    with pytest.raises(ClockError, match="'bad date', which is not a date"):
        clocks.start(document, "complaint-acknowledgement", started=date(2024, 6, 7))
    assert clocks.get(document, "complaint-acknowledgement") is None


def test_indexes_follow_the_clocks(document):
    catalog = api.portal.get_tool("portal_catalog")
    clocks.start(document, "complaint-acknowledgement", started=date(2024, 6, 7))
    clocks.start(document, "foi-response", started=date(2024, 6, 3))
    [brain] = catalog(clock_names="foi-response")
    assert brain.clock_next_due == date(2024, 6, 12)
    assert brain.clock_owner == api.user.get_current().getId()  # no responsible user: the creator
    clocks.stop(document, "complaint-acknowledgement", on=date(2024, 6, 10))
    [brain] = catalog(clock_names="foi-response")
    assert brain.clock_next_due == date(2024, 7, 1)
    assert not catalog(clock_names="complaint-acknowledgement")
    assert {"met", "overdue"} <= set(catalog.getIndexDataForRID(brain.getRID())["clock_status"])
    clocks.stop(document, "foi-response", on=date(2024, 6, 20))
    assert not catalog(clock_next_due={"query": date(1900, 1, 1), "range": "min"})


def test_owner_is_the_responsible_user_when_set(document):
    document.responsible = "complaints"
    clocks.start(document, "complaint-acknowledgement", started=date(2024, 6, 7))
    [brain] = api.portal.get_tool("portal_catalog")(clock_owner="complaints")
    assert api.content.get_uuid(document) == brain.UID


# -- Honest clock changes -------------------------------------------------------------------------------
def started_and_paused(document, started: int, paused: int, reason="Waiting for the provider"):
    """A complaint-response clock started and paused so many working days ago."""
    clocks.start(document, "complaint-response", started=working_days_ago(started))
    return clocks.pause(
        document, "complaint-response", reason=reason, actor="officer", on=working_days_ago(paused)
    )


def test_recent_pause_and_resume_need_no_manager(document, events):
    clock = started_and_paused(document, 8, 5)
    assert clock.pauses[0].backdated == 0
    clock = clocks.resume(document, "complaint-response", on=working_days_ago(1))
    assert clock.pauses[0].end_backdated == 0
    assert "recorded" not in clock.explanation
    assert "backdated" not in events[-1].details


def test_pause_dated_too_far_back_needs_a_manager(document):
    started = working_days_ago(30)
    clocks.start(document, "complaint-response", started=started)
    with pytest.raises(BackdatingRefused, match="6 working days ago: only a Manager"):
        clocks.pause(document, "complaint-response", reason="x", actor="officer", on=working_days_ago(6))
    clock = clocks.get(document, "complaint-response")
    assert clock.state == "running" and clock.pauses == ()


def test_backdated_pause_by_a_manager_is_marked_everywhere(document, events):
    due_before = clocks.compute(clocks.configured_rules()["complaint-response"], working_days_ago(30)).due
    with api.env.adopt_roles(["Manager"]):
        clock = started_and_paused(document, 30, 12, "Complainant in hospital")
        assert clock.pauses[0].backdated == 12
        assert "(recorded 12 working days later)" in clock.explanation
        assert events[-1].details["backdated"] is True and events[-1].details["working_days_back"] == 12
        assert events[-1].details["recorded_on"] == london_today().isoformat()
        with pytest.raises(ReasonRequired, match="recorded late"):
            clocks.resume(document, "complaint-response", on=working_days_ago(7))
        clock = clocks.resume(
            document, "complaint-response", on=working_days_ago(7), reason="Letter found late"
        )
    assert clock.pauses[0].end_backdated == 7 and clock.pauses[0].end_reason == "Letter found late"
    assert clock.due > due_before
    assert clock.explanation.count("working days later)") == 2
    assert events[-1].details["backdated"] is True


def test_backdating_limit_is_a_registry_setting(document):
    clocks.start(document, "complaint-response", started=working_days_ago(10))
    api.portal.set_registry_record(clocks.BACKDATE_RECORD, 0)
    with pytest.raises(BackdatingRefused, match="more than 0 working days back"):
        clocks.pause(document, "complaint-response", reason="x", actor="officer", on=working_days_ago(1))
    clocks.pause(document, "complaint-response", reason="x", actor="officer")  # today is always allowed


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (date(1999, 12, 31), "before Saturday 1 January 2000"),
        (date(2024, 6, 2), "before the clock started"),
        ("2024-06-10", "must be a date"),
    ],
)
def test_dates_of_changes_before_2000_or_the_start_are_refused(document, manager, on, message):
    clocks.start(document, "complaint-response", started=date(2024, 6, 3))
    with pytest.raises(InvalidClockOperation, match=message):
        clocks.pause(document, "complaint-response", reason="x", actor="admin", on=on)


def test_start_before_1900_is_refused(document):
    with pytest.raises(InvalidClockOperation, match="1900"):
        clocks.start(document, "complaint-response", started=date(1899, 12, 31))


def test_until_extension_respects_the_maximum(document, manager):
    # Internal review, UK calendar: 20 working days following 3 June 2024 -> 1 July; at most 20 more:
    # 2-5, 8-11, (12 July: Battle of the Boyne, Northern Ireland), 15-19, 22-26, 29, 30 July.
    clocks.start(document, "foi-internal-review", started=date(2024, 6, 3))
    with pytest.raises(InvalidClockOperation, match="at most 20 working days in total, to 30 July 2024"):
        extend_in_june(document, "foi-internal-review", until=date(2030, 1, 1), reason="Complex")
    with pytest.raises(InvalidClockOperation, match="at most 20 working days"):
        extend_in_june(document, "foi-internal-review", until=date(2024, 7, 31), reason="Complex")
    clock = extend_in_june(document, "foi-internal-review", until=date(2024, 7, 15), reason="x")
    assert clock.due == date(2024, 7, 15)
    # A later extension by working days cannot go beyond the same latest date either.
    with pytest.raises(InvalidClockOperation, match="at most 20"):
        extend_in_june(document, "foi-internal-review", working_days=21, reason="More")
    clock = extend_in_june(document, "foi-internal-review", working_days=20, reason="More")
    assert clock.due == date(2024, 7, 30)


@pytest.mark.parametrize("amount", [261, 10**9, 0, -1, True, 2.5, "5"])
def test_absurd_extensions_are_refused_at_once(document, amount):
    clocks.start(document, "complaint-response", started=london_today())
    moment = time.perf_counter()
    with pytest.raises(InvalidClockOperation, match="whole number from 1 to 260"):
        clocks.extend(document, "complaint-response", working_days=amount, reason="x")
    assert time.perf_counter() - moment < 0.5
    assert clocks.get(document, "complaint-response").extensions == ()


def test_rules_without_a_maximum_still_have_a_sane_one(document, manager):
    clocks.start(document, "complaint-response", started=date(2024, 6, 3))
    with pytest.raises(InvalidClockOperation, match="at most 260 working days"):
        extend_in_june(document, "complaint-response", until=date(2099, 1, 1), reason="x")


# -- Met late and ended ---------------------------------------------------------------------------------
def test_met_late_counts_working_days_after_the_due_date(document, manager, events):
    # Due Monday 1 July 2024; met Monday 5 August 2024: 2 July .. 5 August = 25 working days.
    clocks.start(document, "complaint-response", started=date(2024, 6, 3))
    clock = clocks.stop(document, "complaint-response", on=date(2024, 8, 5))
    assert clock.met_late_days == 25
    assert clock.status_text() == "Met 25 working days late"
    assert "Met on Monday 5 August 2024, 25 working days late" in clock.explanation
    assert events[-1].details["met_late_days"] == 25
    assert clocks.outcome(clock) == "met_late"


def test_met_late_on_a_calendar_clock_counts_days(document, manager):
    clocks.start(document, "declaration-update", started=date(2024, 2, 1))  # due 29 February
    clock = clocks.stop(document, "declaration-update", on=date(2024, 3, 4))
    assert clock.met_late_days == 4 and clock.status_text() == "Met 4 days late"


def test_end_closes_a_clock_without_meeting_it(document, manager, events):
    clocks.start(document, "foi-response", started=date(2024, 6, 3))
    clock = clocks.end(document, "foi-response", reason="The request lapsed", on=date(2024, 9, 5))
    assert clock.state == "ended" and clock.status(date(2030, 1, 1)) == "ended"
    assert clock.met_late_days is None and clocks.outcome(clock) == "ended"
    assert clock.explanation.endswith("Ended on Thursday 5 September 2024: The request lapsed.")
    assert events[-1].action == "clock.ended"
    with pytest.raises(InvalidClockOperation):
        clocks.stop(document, "foi-response")
    with pytest.raises(InvalidClockOperation):
        clocks.extend(document, "foi-response", working_days=1, reason="x")


def test_deadline_figures_by_due_date(document, manager, clocks_portal):
    clocks.start(document, "complaint-response", started=date(2024, 6, 3))  # due 1 July 2024
    clocks.stop(document, "complaint-response", on=date(2024, 8, 5))  # 25 working days late
    clocks.start(document, "complaint-acknowledgement", started=date(2024, 6, 3))  # due 6 June 2024
    clocks.stop(document, "complaint-acknowledgement", on=date(2024, 6, 5))
    clocks.start(document, "foi-response", started=date(2024, 6, 3))  # due 1 July 2024, still open
    figures = clocks.deadline_figures(
        clocks_portal, date(2024, 6, 1), date(2024, 6, 30), today=date(2024, 9, 1)
    )
    assert figures == {
        ("Acknowledge the complaint", "met_on_time"): {"count": 1, "late_days": 0, "unit": "working day"}
    }
    figures = clocks.deadline_figures(
        clocks_portal, date(2024, 7, 1), date(2024, 7, 31), today=date(2024, 9, 1)
    )
    assert figures[("Respond to the complaint", "met_late")] == {
        "count": 1,
        "late_days": 25,
        "unit": "working day",
    }
    assert figures[("Answer the freedom of information request", "overdue")]["count"] == 1


def test_pause_kind_must_be_allowed_by_the_rule(document):
    clocks.start(document, "foi-response", started=london_today())
    with pytest.raises(InvalidClockOperation, match="allows restart, fee"):
        clocks.pause(document, "foi-response", reason="x", actor="staff")
    clocks.start(document, "complaint-response", started=london_today())
    with pytest.raises(InvalidClockOperation, match="allows pause"):
        clocks.pause(document, "complaint-response", reason="x", actor="staff", kind="fee")


def test_reasons_are_bounded(document):
    clocks.start(document, "complaint-response", started=london_today())
    with pytest.raises(InvalidClockOperation, match="at most 2,000 characters"):
        clocks.pause(document, "complaint-response", reason="x" * 2001, actor="staff")


def test_nothing_moves_a_deadline_that_has_passed(document, manager):
    # Due Monday 1 July 2024: a pause or an extension dated after it could only make it look met in time.
    clocks.start(document, "complaint-response", started=date(2024, 6, 3))
    with pytest.raises(InvalidClockOperation, match="due on 1 July 2024: a pause dated after that"):
        clocks.pause(document, "complaint-response", reason="x", actor="admin", on=date(2024, 7, 2))
    with pytest.raises(InvalidClockOperation, match="an extension decided after that"):
        clocks.extend(document, "complaint-response", working_days=5, reason="x", on=date(2024, 7, 2))
    clock = clocks.extend(
        document, "complaint-response", working_days=5, reason="Agreed", on=date(2024, 7, 1)
    )
    assert clock.due == date(2024, 7, 8)


def test_met_while_paused_is_judged_against_the_moved_due_date(document, manager):
    # Due 1 July 2024; paused 28 June; answered 10 July while still paused: 1-10 July were not counted,
    # so the clock was met on time, and its due date and explanation agree.
    clocks.start(document, "complaint-response", started=date(2024, 6, 3))
    clocks.pause(document, "complaint-response", reason="Waiting", actor="admin", on=date(2024, 6, 28))
    clock = clocks.stop(document, "complaint-response", on=date(2024, 7, 10))
    assert clock.met_late_days == 0
    assert clock.due == clock.computation().due == date(2024, 7, 11)
