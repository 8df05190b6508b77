"""Many writers append at once to one audit log in a real FileStorage: no error, no lost or doubled
entry, and the chain verifies (the queue + chainer design of links.content.audit.storage)."""

import threading

import pytest
import transaction
from persistent.mapping import PersistentMapping
from ZODB import DB
from ZODB.FileStorage import FileStorage

from links.content.audit.storage import AuditLog
from links.content.audit.storage import chain_in_own_transaction
from links.content.audit.storage import enqueue
from links.content.audit.verify import verify_chain
from links.content.integrity import decode
from links.content.keys.api import ensure_keys

THREADS = 8
TRANSACTIONS = 50


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("LINKS_KEYS_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("LINKS_AUDIT_DIR", str(tmp_path / "audit"))
    ensure_keys("concurrency", "Concurrency")  # what site creation does: checkpoints are sealed with them
    database = DB(FileStorage(str(tmp_path / "Data.fs")))
    with database.transaction() as conn:
        log = conn.root()["log"] = AuditLog("concurrency", shard_size=37)  # many shards, crossed mid-batch
        log.checkpoint_every = 97  # seal several checkpoints while writers run
        for number in range(THREADS):
            conn.root()[f"content-{number}"] = PersistentMapping()
    yield database
    database.close()


def _writer(db, number, errors):
    manager = transaction.TransactionManager()
    conn = db.open(transaction_manager=manager)
    try:
        for index in range(TRANSACTIONS):
            txn = manager.begin()
            root = conn.root()
            log = root["log"]
            # Each transaction also changes "content" of its own, as a real edit would.
            root[f"content-{number}"]["value"] = index
            for part in (0, 1):
                entry = {
                    "timestamp": "2026-11-23T10:00:00.000000+00:00",
                    "actor": f"user{number}",
                    "action": "record.modified",
                    "uid": f"uid-{number}",
                    "path": "",
                    "portal_type": "",
                    "details": {"writer": number, "txn": index, "part": part},
                }
                enqueue(log, entry, txn=txn)
            manager.commit()
    except Exception as error:  # any failure of a writer fails the test below
        errors.append(repr(error))
        manager.abort()
    finally:
        conn.close()


def test_parallel_writers_lose_nothing_and_chain_verifies(db):
    errors = []
    threads = [threading.Thread(target=_writer, args=(db, n, errors)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    chain_in_own_transaction(db, db.open().root()["log"]._p_oid)  # anything still waiting

    conn = db.open()
    log = conn.root()["log"]
    assert not log.queue.batches
    seen = [tuple(sorted(decode(body)["details"].items())) for body, _hash in log.entries.values()]
    expected = {
        (("part", p), ("txn", t), ("writer", w))
        for w in range(THREADS)
        for t in range(TRANSACTIONS)
        for p in (0, 1)
    }
    assert len(seen) == len(expected) == THREADS * TRANSACTIONS * 2
    assert set(seen) == expected
    from links.content.keys.api import public_key

    result = verify_chain(log, public_key("concurrency"))
    assert result["ok"], result
    assert result["entries"] == THREADS * TRANSACTIONS * 2
    assert result["checkpoints"] == (THREADS * TRANSACTIONS * 2) // 97
    # Both parts of one transaction are chained next to each other (one batch per transaction).
    parts = [decode(body)["details"] for body, _hash in log.entries.values()]
    for first, second in zip(parts[::2], parts[1::2], strict=True):
        assert (first["writer"], first["txn"], first["part"], second["part"]) == (
            second["writer"],
            second["txn"],
            0,
            1,
        )
    conn.close()
