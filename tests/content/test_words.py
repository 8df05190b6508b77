"""The shared words for people and integrity primitives (no site needed)."""

from datetime import UTC
from datetime import date
from datetime import datetime

import pytest

from links.content import integrity
from links.content import words


@pytest.mark.parametrize(
    "value, expected",
    [
        (date(2026, 8, 1), "1 August 2026"),
        ("2026-08-01", "1 August 2026"),
        (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), "1 July 2026"),  # London is an hour ahead in summer
        (None, ""),
    ],
)
def test_format_date_is_uk_style_without_leading_zeros(value, expected):
    assert words.format_date(value) == expected


def test_format_datetime_in_london_time():
    summer = datetime(2026, 7, 8, 9, 0, tzinfo=UTC)
    assert words.format_datetime(summer) == "8 July 2026, 10:00"
    assert words.format_datetime(summer, zone=True) == "8 July 2026, 10:00 BST"
    assert words.format_datetime("2026-11-08T10:00:00+00:00") == "8 November 2026, 10:00"
    assert words.format_datetime(0) == "1 January 1970, 01:00"  # epoch seconds; London was on BST all year


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_keeps_the_date_or_takes_the_last_day(start, months, expected):
    assert words.add_months(start, months) == expected


def test_and_join_and_plural():
    assert words.and_join(["a"]) == "a"
    assert words.and_join(["a", "b", "c"]) == "a, b and c"
    assert words.plural(1, "working day") == "1 working day"
    assert words.plural(3, "reply", "replies") == "3 replies"


def test_canonical_json_is_sorted_compact_utf8():
    assert integrity.dumps({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()
    assert integrity.sha256_hex("abc") == integrity.sha256_hex(b"abc")
    assert integrity.sha256_hex(b"") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_versions_are_counted_from_one():
    assert words.version_number(0) == 1
    assert words.version_label("3") == "Version 4"


@pytest.mark.parametrize(
    "action, title",
    [
        ("signature.added", "Signed (approved)"),
        ("signature.rejected", "Signed (rejected)"),
        ("report.submitted", "Submitted for sign-off"),
        ("annual_report.copies_sent", "Copies sent"),
        ("some.new_thing_happened", "New thing happened"),  # not listed: its name in words, never the id
    ],
)
def test_action_titles(action, title):
    assert words.action_title(action) == title


def test_every_action_the_product_announces_has_a_title():
    """Each RecordEvent subclass's action (and the trail's own actions) is in ACTION_TITLES."""
    import importlib
    import inspect
    import pkgutil

    import links.content
    from links.content.events import RecordEvent

    actions = set()
    for module_info in pkgutil.walk_packages(links.content.__path__, "links.content."):
        if module_info.name.endswith(".events"):
            module = importlib.import_module(module_info.name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, RecordEvent) and cls is not RecordEvent:
                    actions.add(cls.action)
    assert len(actions) > 40
    assert not actions - set(words.ACTION_TITLES), sorted(actions - set(words.ACTION_TITLES))


def test_humanise_and_display_value():
    assert words.humanise("met_late_days") == "Met late days"
    assert words.humanise("part-disclosed") == "Part disclosed"
    assert words.display_value("2026-08-01") == "1 August 2026"
    assert words.display_value("2026-11-08T10:00:00+00:00") == "8 November 2026, 10:00"
    assert words.display_value(None) == "(empty)"
