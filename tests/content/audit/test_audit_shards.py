"""The audit log is sharded by sequence range (storage.AuditLog.shards): reads, filters and verification
see one chain across shard boundaries, and damage in any shard is named."""

import pytest

from links.content.audit.api import parse_filters
from links.content.audit.storage import AuditLog
from links.content.audit.verify import verify_chain

SHARD = 4


def _entry(number: int) -> dict:
    return {
        "timestamp": f"2026-11-{10 + number // 5:02d}T10:00:00.000000+00:00",
        "actor": f"member{number % 3}",
        "action": "record.modified" if number % 2 else "record.created",
        "uid": f"uid-{number % 4}",
        "path": f"/links/record-{number % 4}",
        "portal_type": "EnterAndViewReport",
        "details": {"number": number},
    }


@pytest.fixture
def log():
    log = AuditLog("shards", shard_size=SHARD)
    for number in range(23):
        log.append_chained(_entry(number))
    return log


def test_entries_are_spread_over_shards_by_sequence_range(log):
    assert list(log.shards.keys()) == [0, 1, 2, 3, 4, 5]
    assert list(log.shards[0].entries.keys()) == [1, 2, 3, 4]
    assert list(log.shards[5].entries.keys()) == [21, 22, 23]
    assert log.shard_for(4) is log.shards[0] and log.shard_for(5) is log.shards[1]


def test_entries_view_reads_one_chain_across_shards(log):
    assert list(log.entries.keys()) == list(range(1, 24))
    assert [seq for seq, _value in log.entries.items(3, 10)] == list(range(3, 11))
    assert len(log.entries) == 23 and 23 in log.entries and 24 not in log.entries
    assert log.entries[9] == log.shards[2].entries[9]
    assert log.entries.get(99) is None
    with pytest.raises(KeyError):
        log.entries[99]


def test_filters_unite_the_shards(log):
    by_uid = list(log.matching(parse_filters({"uid": "uid-1"})))
    assert by_uid == [n + 1 for n in range(23) if n % 4 == 1]
    both = list(log.matching(parse_filters({"uid": "uid-1", "actor": "member0"})))
    assert both == [n + 1 for n in range(23) if n % 4 == 1 and n % 3 == 0]
    days = list(log.matching(parse_filters({"from": "2026-11-11", "to": "2026-11-12"})))
    assert days == list(range(6, 16))
    assert list(log.matching(parse_filters({"uid": "nobody"}))) == []
    assert log.matching({}) is None


def test_chain_verifies_across_shard_boundaries(log):
    result = verify_chain(log)
    assert result["ok"] and result["entries"] == 23


def test_a_deleted_entry_in_a_middle_shard_is_named(log):
    del log.entries[9]  # first entry of shard 2
    result = verify_chain(log)
    assert not result["ok"] and result["broken_seq"] == 9


def test_an_emptied_shard_is_named(log):
    log.shards[2].entries.clear()  # entries 9 to 12 gone
    result = verify_chain(log)
    assert not result["ok"] and result["broken_seq"] == 9
    assert "missing" in result["reason"]


def test_reset_starts_a_new_chain(log):
    log.reset()
    assert len(log) == 0 and not list(log.entries.keys()) and not log.shards
    seq, _value = log.append_chained(_entry(0))
    assert seq == 1 and verify_chain(log)["ok"]
