"""Due-date computation, checked against dates worked out by hand from the published bank holidays."""

from datetime import UTC
from datetime import date
from datetime import datetime

import pytest

from links.content.clocks.calendar import WorkingCalendar
from links.content.clocks.calendar import bank_holidays
from links.content.clocks.exceptions import ClockError
from links.content.clocks.rules import Rule
from links.content.clocks.rules import compute
from links.content.clocks.rules import latest_due
from links.content.clocks.rules import working_days_between
from links.content.clocks.storage import Extension
from links.content.clocks.storage import Pause
from links.content.words import add_months
from links.content.words import format_days

D = date
NOW = datetime(2024, 1, 1, tzinfo=UTC)
FOLLOWING = {"counting": "following"}
BEGINNING = {"counting": "beginning_with"}
TREAT = {"non_working_receipt": "treat_next_working_day_as_receipt"}
UK = {"calendar": "uk"}


def rule(count, **kw):
    return Rule(kind=kw.pop("kind", "working"), count=count, **kw)


CASES = [
    # (why, rule, start, expected due)
    ("plain weekdays and weekends, following", rule(20, **FOLLOWING), D(2024, 6, 3), D(2024, 7, 1)),
    ("plain weekdays, beginning with", rule(20, **BEGINNING), D(2024, 6, 3), D(2024, 6, 28)),
    ("acknowledgement over a weekend", rule(3, **FOLLOWING), D(2024, 6, 7), D(2024, 6, 12)),
    ("Christmas and Boxing Day 2024", rule(3, **FOLLOWING), D(2024, 12, 24), D(2024, 12, 31)),
    ("2021 substitute days 27 and 28 December", rule(3, **FOLLOWING), D(2021, 12, 23), D(2021, 12, 30)),
    ("2022 substitute day 27 December", rule(3, **FOLLOWING), D(2022, 12, 23), D(2022, 12, 30)),
    ("New Year's Day 2022 moved to Monday 3 January", rule(3, **FOLLOWING), D(2021, 12, 31), D(2022, 1, 6)),
    (
        "Easter 2024: Good Friday 29 March, Easter Monday 1 April",
        rule(3, **FOLLOWING),
        D(2024, 3, 28),
        D(2024, 4, 4),
    ),
    ("Easter 2025: 18 and 21 April", rule(3, **FOLLOWING), D(2025, 4, 17), D(2025, 4, 24)),
    ("Easter 2019, five-day policy", rule(5, **FOLLOWING), D(2019, 4, 17), D(2019, 4, 26)),
    ("early May 2020 moved to Friday 8 May", rule(3, **FOLLOWING), D(2020, 5, 7), D(2020, 5, 13)),
    ("Monday 4 May 2020 was a working day", rule(1, **FOLLOWING), D(2020, 5, 1), D(2020, 5, 4)),
    ("state funeral 19 September 2022", rule(3, **FOLLOWING), D(2022, 9, 16), D(2022, 9, 22)),
    ("coronation 8 May 2023", rule(3, **FOLLOWING), D(2023, 5, 5), D(2023, 5, 11)),
    ("OSC referral over Christmas, beginning with", rule(20, **BEGINNING), D(2024, 12, 16), D(2025, 1, 15)),
    ("same dates, following", rule(20, **FOLLOWING), D(2024, 12, 16), D(2025, 1, 16)),
    ("receipt on a Saturday, England and Wales", rule(20, **FOLLOWING), D(2024, 12, 21), D(2025, 1, 22)),
    (
        "FOI receipt on a Saturday, ICO reading (UK: 2 Jan)",
        rule(20, **FOLLOWING, **UK),
        D(2024, 12, 21),
        D(2025, 1, 23),
    ),
    (
        "FOI receipt on a Saturday, next day as receipt",
        rule(20, **FOLLOWING, **UK, **TREAT),
        D(2024, 12, 21),
        D(2025, 1, 24),
    ),
    (
        "FOI receipt on a bank holiday, ICO reading",
        rule(20, **FOLLOWING, **UK),
        D(2024, 8, 26),
        D(2024, 9, 23),
    ),
    (
        "FOI receipt on a bank holiday, next day as receipt",
        rule(20, **FOLLOWING, **UK, **TREAT),
        D(2024, 8, 26),
        D(2024, 9, 24),
    ),
    ("beginning with a Saturday: Monday is day 1", rule(1, **BEGINNING), D(2024, 6, 8), D(2024, 6, 10)),
    (
        "UK calendar: St Andrew's Day observed 2 December 2024",
        rule(3, **FOLLOWING, **UK),
        D(2024, 11, 29),
        D(2024, 12, 5),
    ),
    ("England only: 2 December 2024 is working", rule(3, **FOLLOWING), D(2024, 11, 29), D(2024, 12, 4)),
    (
        "UK calendar: Battle of the Boyne 12 July 2024",
        rule(1, **FOLLOWING, **UK),
        D(2024, 7, 11),
        D(2024, 7, 15),
    ),
    ("England only: 12 July 2024 is working", rule(1, **FOLLOWING), D(2024, 7, 11), D(2024, 7, 12)),
    ("calendar month from 31 January 2023", rule(1, kind="calendar_month"), D(2023, 1, 31), D(2023, 2, 28)),
    (
        "calendar month from 31 January 2024 (leap)",
        rule(1, kind="calendar_month"),
        D(2024, 1, 31),
        D(2024, 2, 29),
    ),
    ("calendar month, same date", rule(1, kind="calendar_month"), D(2024, 3, 15), D(2024, 4, 15)),
    ("calendar month across the year end", rule(1, kind="calendar_month"), D(2024, 12, 31), D(2025, 1, 31)),
    ("twelve months from 29 February", rule(12, kind="calendar_month"), D(2024, 2, 29), D(2025, 2, 28)),
    ("28 calendar days following", rule(28, kind="calendar", **FOLLOWING), D(2024, 2, 1), D(2024, 2, 29)),
    (
        "28 calendar days beginning with",
        rule(28, kind="calendar", **BEGINNING),
        D(2024, 2, 1),
        D(2024, 2, 28),
    ),
]


@pytest.mark.parametrize(("why", "the_rule", "start", "due"), CASES, ids=[c[0] for c in CASES])
def test_due_date(why, the_rule, start, due):
    assert compute(the_rule, start).due == due


def pause(start, end, reason="waiting for clarification"):
    return Pause(start, end, reason, "complaints", NOW)


def test_pause_moves_due_by_working_days_not_counted():
    result = compute(rule(20), D(2024, 6, 3), pauses=[pause(D(2024, 6, 5), D(2024, 6, 10))])
    assert result.due == D(2024, 7, 4)  # 6, 7 and 10 June not counted
    assert "3 working days not counted" in result.explanation
    assert "waiting for clarification" in result.explanation


def test_pause_over_a_bank_holiday_counts_only_working_days():
    # Without the pause: 23 Aug, (26 Aug holiday), 27, 28 -> 28 Aug. Paused 23 -> 27 Aug: 27 not counted.
    result = compute(rule(3), D(2024, 8, 22), pauses=[pause(D(2024, 8, 23), D(2024, 8, 27))])
    assert result.due == D(2024, 8, 29)
    assert "1 working day not counted" in result.explanation


def test_open_pause_freezes_due_date():
    result = compute(rule(20), D(2024, 6, 3), pauses=[pause(D(2024, 6, 5), None)])
    assert result.due == D(2024, 7, 1)
    assert "The due date moves when the clock resumes" in result.explanation


def test_calendar_rule_pause_adds_calendar_days():
    result = compute(rule(28, kind="calendar"), D(2024, 2, 1), pauses=[pause(D(2024, 2, 5), D(2024, 2, 12))])
    assert result.due == D(2024, 3, 7)


def test_extension_by_working_days_and_until():
    by_days = Extension(D(2024, 6, 20), 5, None, "complex request", "complaints", NOW)
    assert compute(rule(20), D(2024, 6, 3), extensions=[by_days]).due == D(2024, 7, 8)
    until = Extension(D(2024, 6, 20), None, D(2024, 7, 15), "agreed with the complainant", "complaints", NOW)
    result = compute(rule(20), D(2024, 6, 3), extensions=[until])
    assert result.due == D(2024, 7, 15)
    assert "Extended until Monday 15 July 2024: agreed with the complainant." in result.explanation


def test_extra_non_working_days_are_skipped_and_named():
    result = compute(rule(3), D(2024, 12, 23), extra_days={D(2024, 12, 24), D(2024, 12, 27)})
    assert result.due == D(2025, 1, 2)
    assert "the network's non-working days 24 and 27 December 2024" in result.explanation


def test_explanation_walks_through_the_count():
    result = compute(rule(20), D(2024, 12, 21))
    assert result.explanation == (
        "Received Saturday 21 December 2024, a non-working day. Counting 20 working days following receipt "
        "(using England and Wales bank holidays), skipping weekends and the bank holidays 25 and 26 December "
        "2024 and 1 January 2025: day 1 is Monday 23 December 2024 and day 20 is Wednesday 22 January 2025. "
        "Due Wednesday 22 January 2025."
    )


def test_explanation_of_receipt_treated_as_next_working_day():
    result = compute(rule(20, **TREAT), D(2024, 12, 21))
    assert "treated as received on the next working day, Monday 23 December 2024" in result.explanation
    assert result.day_one == D(2024, 12, 24)


def test_explanation_of_short_month():
    text = compute(rule(1, kind="calendar_month"), D(2023, 1, 31)).explanation
    assert "last day of the month, Tuesday 28 February 2023" in text


def test_bank_holidays_come_from_the_library_and_are_cached():
    first = bank_holidays("england-and-wales", 2012)
    assert D(2012, 6, 4) in first and D(2012, 6, 5) in first  # diamond jubilee
    assert D(2012, 5, 28) not in first  # spring bank holiday moved to 4 June that year
    assert bank_holidays("england-and-wales", 2012) is first
    assert D(2011, 4, 29) in bank_holidays("england-and-wales", 2011)  # royal wedding


def test_uk_calendar_is_the_union_of_all_four_nations():
    uk = bank_holidays("uk", 2024)
    assert D(2024, 3, 18) in uk  # St Patrick's Day observed (Northern Ireland)
    assert D(2024, 8, 5) in uk  # Scotland's summer bank holiday
    assert D(2024, 8, 26) in uk  # England's
    assert D(2024, 3, 18) not in bank_holidays("england-and-wales", 2024)


def test_working_calendar():
    cal = WorkingCalendar("england-and-wales", {D(2024, 6, 14)})
    assert cal.why_not_working(D(2024, 6, 15)) == "weekend"
    assert cal.why_not_working(D(2024, 12, 25)) == "bank holiday"
    assert cal.why_not_working(D(2024, 6, 14)) == "non-working day"
    assert cal.next_working_day(D(2024, 12, 24)) == D(2024, 12, 27)


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "hours"},
        {"count": 0},
        {"counting": "after"},
        {"calendar": "scotland"},
        {"non_working_receipt": "x"},
    ],
)
def test_invalid_rule_is_refused(bad):
    with pytest.raises(ClockError):
        Rule(**bad)


def test_add_months_and_format_days():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)
    assert (
        format_days([D(2025, 1, 1), D(2024, 12, 26), D(2024, 12, 25)])
        == "25 and 26 December 2024 and 1 January 2025"
    )


# -- The statutory rules of RULES.md, with dates worked out by hand ------------------------------------
FOI = rule(20, **FOLLOWING, **UK, pause_kinds=("restart", "fee"))
SAR = rule(1, kind="calendar_month", due_on_non_working_day="next_working_day", max_extension=2)
FEE_PAYMENT = rule(3, kind="calendar_month", **BEGINNING, pause_kinds=())


def waiting(start, end, kind, reason="reason"):
    return Pause(start, end, reason, "staff", NOW, kind)


def test_foi_clarification_restarts_the_twenty_working_days():
    # Received Monday 3 June 2024; clarification asked Wednesday 5 June, received Monday 10 June 2024:
    # day 1 is Tuesday 11 June, then 11-14 (4), 17-21 (9), 24-28 (14), 1-5 July (19), Monday 8 July (20).
    # (As a pause it would have been 4 July: the two days already used are not carried over.)
    clarification = waiting(D(2024, 6, 5), D(2024, 6, 10), "restart", "Clarification asked of the requester")
    result = compute(FOI, D(2024, 6, 3), pauses=[clarification])
    assert result.due == D(2024, 7, 8)
    assert result.day_one == D(2024, 6, 11)
    assert (
        "Clarification asked on Wednesday 5 June 2024 (Clarification asked of the requester). It arrived on "
        "Monday 10 June 2024, so the request counts as received that day and the 20 working days start "
        "again from then." in result.explanation
    )
    assert "Counting 20 working days following the day the clarification arrived" in result.explanation


def test_foi_clarification_arriving_on_a_saturday_counts_from_the_monday():
    # Arrived Saturday 8 June 2024 (ICO reading): day 1 Monday 10 June ... day 20 Friday 5 July 2024.
    result = compute(FOI, D(2024, 6, 3), pauses=[waiting(D(2024, 6, 5), D(2024, 6, 8), "restart")])
    assert result.due == D(2024, 7, 5)
    assert "Saturday 8 June 2024 is a non-working day." in result.explanation


def test_foi_waiting_for_clarification_says_what_will_happen():
    result = compute(FOI, D(2024, 6, 3), pauses=[waiting(D(2024, 6, 5), None, "restart")])
    assert result.due == D(2024, 7, 1)  # unchanged until the clarification arrives
    assert "When it arrives, the request counts as received that day" in result.explanation


def test_second_clarification_restarts_from_the_last_one():
    pauses = [
        waiting(D(2024, 6, 5), D(2024, 6, 10), "restart"),
        waiting(D(2024, 6, 12), D(2024, 6, 17), "restart"),
    ]
    # 20 working days following Monday 17 June 2024: 18-21 (4), 24-28 (9), 1-5 July (14), 8-11 (18),
    # (12 July: Battle of the Boyne, a UK bank holiday), 15, 16 July (20).
    result = compute(FOI, D(2024, 6, 3), pauses=pauses)
    assert result.due == D(2024, 7, 16)
    assert "An earlier clarification was asked on Wednesday 5 June 2024" in result.explanation


def test_fees_notice_disregards_the_notice_day_and_the_fee_day():
    # FOI Act s.10(2): received Monday 3 June 2024, notice Wednesday 5 June, fee Monday 10 June: 5, 6, 7
    # and 10 June are disregarded. Day 1 is 4 June, day 2 is 11 June ... day 20 is Friday 5 July 2024.
    fee = waiting(D(2024, 6, 5), D(2024, 6, 10), "fee", "Fees notice given")
    result = compute(FOI, D(2024, 6, 3), pauses=[fee])
    assert result.due == D(2024, 7, 5)
    assert (
        "Fees notice given on Wednesday 5 June 2024 (Fees notice given) and the fee received on Monday "
        "10 June 2024: the working days beginning with the day the notice was given and ending with the day "
        "the fee was received are disregarded; 4 working days not counted." in result.explanation
    )


def test_fees_notice_open_freezes_the_due_date():
    result = compute(FOI, D(2024, 6, 3), pauses=[waiting(D(2024, 6, 5), None, "fee")])
    assert result.due == D(2024, 7, 1)
    assert "so the due date moves when the fee arrives" in result.explanation


def test_fee_unpaid_for_three_months_beginning_with_the_notice():
    # Three months beginning with Wednesday 5 June 2024 end on Wednesday 4 September 2024.
    assert compute(FEE_PAYMENT, D(2024, 6, 5)).due == D(2024, 9, 4)
    # Beginning with 30 November 2024: there is no 30 February, so the period ends on 28 February 2025.
    assert compute(FEE_PAYMENT, D(2024, 11, 30)).due == D(2025, 2, 28)
    assert "the period ends on Wednesday 4 September 2024" in compute(FEE_PAYMENT, D(2024, 6, 5)).explanation


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (D(2025, 1, 31), D(2025, 2, 28)),  # no 31 February: the last day of the month, a Friday
        (D(2025, 3, 4), D(2025, 4, 4)),  # a Friday: stays
        (D(2025, 4, 5), D(2025, 5, 6)),  # Monday 5 May 2025 is the early May bank holiday
        (D(2023, 11, 25), D(2023, 12, 27)),  # Monday 25 December, then Boxing Day: Wednesday 27th
        (D(2025, 6, 14), D(2025, 7, 14)),  # Monday
        (D(2025, 6, 12), D(2025, 7, 14)),  # Saturday 12 July 2025 (not a bank holiday in England)
    ],
)
def test_subject_access_is_one_month_moved_to_a_working_day(received, due):
    assert compute(SAR, received).due == due


def test_subject_access_explains_why_the_date_moved():
    text = compute(SAR, D(2025, 4, 5)).explanation
    assert (
        "Monday 5 May 2025 is not a working day (a bank holiday, May Day), so the deadline moves to the next "
        "working day, Tuesday 6 May 2025." in text
    )


def test_subject_access_extension_by_two_months():
    # 5 April 2025 + 3 months = Saturday 5 July 2025 -> Monday 7 July 2025.
    extension = Extension(D(2025, 4, 20), None, None, "complex request", "staff", NOW, None, 2)
    result = compute(SAR, D(2025, 4, 5), extensions=[extension])
    assert result.due == D(2025, 7, 7)
    assert "Extended by 2 calendar months: complex request." in result.explanation


def test_subject_access_paused_for_clarification():
    # Received Monday 3 March 2025, clarification asked Wednesday 5 March, answered Monday 10 March:
    # 3 April + 5 days = Tuesday 8 April 2025.
    result = compute(
        SAR, D(2025, 3, 3), pauses=[waiting(D(2025, 3, 5), D(2025, 3, 10), "pause", "clarification")]
    )
    assert result.due == D(2025, 4, 8)
    assert "Paused from Wednesday 5 March 2025 to Monday 10 March 2025: clarification; 5 days added." in (
        result.explanation
    )


def test_declaration_update_is_28_days_following_the_change():
    result = compute(rule(28, kind="calendar", **FOLLOWING), D(2026, 11, 2))
    assert result.due == D(2026, 11, 30)


def test_latest_due_is_the_whole_allowance():
    assert latest_due(SAR, D(2025, 4, 5)) == D(2025, 7, 7)
    assert latest_due(rule(20, max_extension=20, **UK), D(2024, 6, 3)) == D(2024, 7, 30)
    assert latest_due(rule(20), D(2024, 6, 3)) > D(2025, 6, 1)  # no maximum: a year of working days


def test_working_days_between():
    assert working_days_between("england-and-wales", (), D(2024, 12, 20), D(2024, 12, 27)) == 3  # 23, 24, 27
    assert working_days_between("england-and-wales", (), D(2024, 12, 27), D(2024, 12, 20)) == 0


@pytest.mark.parametrize(
    "bad",
    [
        {"count": 261},
        {"count": True},
        {"max_extension": 0},
        {"max_extension": 300},
        {"pause_kinds": ("nap",)},
        {"pause_kinds": "fee"},
        {"due_on_non_working_day": "never"},
        {"extension_notice_within_period": "yes"},
        {"calendar": ["uk"]},
        {"kind": ["working"]},
    ],
)
def test_invalid_new_rule_keys_are_refused(bad):
    with pytest.raises(ClockError):
        Rule(**bad)


def test_rule_from_json_lists():
    assert Rule.from_dict({"pause_kinds": ["restart", "fee"]}).pause_kinds == ("restart", "fee")
    with pytest.raises(ClockError):
        Rule.from_dict(["not", "a", "rule"])
