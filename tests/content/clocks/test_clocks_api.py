"""The clocks API on a real content object: storage, registry rules, events, indexes, bad input."""

import json
from datetime import date
from datetime import timedelta

import pytest
from plone import api
from zope.component import getGlobalSiteManager

from links.content.clocks import api as clocks
from links.content.clocks.behaviors import IHasStatutoryClocks
from links.content.clocks.behaviors import IStatutoryClocks
from links.content.clocks.exceptions import ClockNotFound
from links.content.clocks.exceptions import InvalidClockOperation
from links.content.clocks.exceptions import ReasonRequired
from links.content.clocks.exceptions import UnknownClockRule
from links.content.interfaces import IRecordEvent
from links.content.words import today as london_today


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


def test_rule_is_a_snapshot(document):
    clock = clocks.start(document, "complaint-acknowledgement", started=date(2024, 6, 7))
    rules = json.loads(api.portal.get_registry_record(clocks.RULES_RECORD))
    rules["complaint-acknowledgement"]["count"] = 5
    api.portal.set_registry_record(clocks.RULES_RECORD, json.dumps(rules))
    clocks.pause(
        document, "complaint-acknowledgement", reason="waiting", actor="complaints", on=date(2024, 6, 10)
    )
    clocks.resume(document, "complaint-acknowledgement", on=date(2024, 6, 10))
    assert clock.rule.count == 3
    assert clock.due == date(2024, 6, 12)


def test_unknown_rule(document):
    with pytest.raises(UnknownClockRule):
        clocks.start(document, "no-such-clock")


def test_pause_resume_moves_due_and_records_who_and_why(document, events):
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
    clock = clocks.resume(document, "information-request-response", on=date(2024, 6, 10), actor="staff")
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


def test_impossible_operations(document):
    with pytest.raises(ClockNotFound):
        clocks.pause(document, "foi-response", reason="x", actor="staff")
    with pytest.raises(InvalidClockOperation, match="future"):
        clocks.start(document, "foi-response", started=london_today() + timedelta(days=1))
    clocks.start(document, "foi-response", started=date(2024, 6, 3))
    with pytest.raises(InvalidClockOperation, match="running"):
        clocks.resume(document, "foi-response")
    with pytest.raises(InvalidClockOperation, match="before it started"):
        clocks.pause(document, "foi-response", reason="x", actor="staff", on=date(2024, 6, 1))
    with pytest.raises(InvalidClockOperation, match="future"):
        clocks.pause(
            document, "foi-response", reason="x", actor="staff", on=london_today() + timedelta(days=2)
        )


def test_extend(document, events):
    clocks.start(document, "foi-internal-review", started=date(2024, 6, 3))
    clock = clocks.extend(document, "foi-internal-review", working_days=5, reason="Complex", actor="staff")
    assert clock.due == date(2024, 7, 8)
    assert clock.extensions[0].working_days == 5 and clock.extensions[0].actor == "staff"
    with pytest.raises(InvalidClockOperation, match="at most 20"):
        clocks.extend(document, "foi-internal-review", working_days=16, reason="More", actor="staff")
    with pytest.raises(ReasonRequired):
        clocks.extend(document, "foi-internal-review", working_days=1)
    with pytest.raises(InvalidClockOperation):
        clocks.extend(document, "foi-internal-review", reason="x")
    with pytest.raises(InvalidClockOperation, match="after the current"):
        clocks.extend(document, "foi-internal-review", until=date(2024, 7, 1), reason="x")
    clock = clocks.extend(
        document, "foi-internal-review", until=date(2024, 8, 1), reason="Agreed", actor="staff"
    )
    assert clock.due == date(2024, 8, 1)
    assert events[-1].action == "clock.extended"


def test_calendar_clock_extends_only_to_a_date(document):
    clocks.start(document, "declaration-update", started=date(2024, 2, 1))
    with pytest.raises(InvalidClockOperation, match="calendar days"):
        clocks.extend(document, "declaration-update", working_days=3, reason="x")


def test_stop_marks_met_and_is_expired(document, events):
    clocks.start(document, "complaint-acknowledgement", started=date(2024, 6, 7))
    assert clocks.is_expired(document, "complaint-acknowledgement", today=date(2024, 6, 13))
    assert not clocks.is_expired(document, "complaint-acknowledgement", today=date(2024, 6, 12))
    assert clocks.get(document, "complaint-acknowledgement").status(date(2024, 6, 13)) == "overdue"
    clock = clocks.stop(document, "complaint-acknowledgement", on=date(2024, 6, 11), actor="complaints")
    assert clock.status(date(2030, 1, 1)) == "met" and clock.met_on == date(2024, 6, 11)
    assert not clocks.is_expired(document, "complaint-acknowledgement", today=date(2030, 1, 1))
    assert "Met on Tuesday 11 June 2024." in clock.explanation
    assert events[-1].action == "clock.stopped"
    assert not clocks.is_expired(document, "no-such-clock")


def test_restart_replaces_the_clock(document, events):
    clocks.start(document, "provider-response", started=date(2024, 6, 3))
    clock = clocks.start(document, "provider-response", started=date(2024, 6, 10))
    assert clocks.clocks(document) == [clock]
    assert events[-1].details["restarted"] is True


def test_extra_non_working_days_from_the_registry(document):
    api.portal.set_registry_record("links.content.clocks.extra_non_working_days", ("2024-06-10", "bad date"))
    clock = clocks.start(document, "complaint-acknowledgement", started=date(2024, 6, 7))
    assert clock.due == date(2024, 6, 13)
    assert "non-working day 10 June 2024" in clock.explanation


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
