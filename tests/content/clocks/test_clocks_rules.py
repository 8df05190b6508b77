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
