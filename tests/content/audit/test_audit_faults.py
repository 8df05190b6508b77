"""Faults on a real FileStorage: a writer killed with SIGKILL mid-work (repeatedly) loses no committed entry
and leaves a verifiable chain; Zope Undo shows up as an event and never silently removes entries."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest
import transaction
from persistent.mapping import PersistentMapping
from ZODB import DB
from ZODB.FileStorage import FileStorage

from links.content.audit import undo
from links.content.audit.storage import AuditLog
from links.content.audit.storage import chain_in_own_transaction
from links.content.audit.storage import enqueue
from links.content.audit.verify import verify_chain
from links.content.integrity import decode

SITE = "faults"

WRITER = textwrap.dedent(
    """
    import sys
    import transaction
    from ZODB import DB
    from ZODB.FileStorage import FileStorage
    from links.content.audit.storage import enqueue

    db = DB(FileStorage(sys.argv[1]))
    run = int(sys.argv[2])
    conn = db.open()
    index = 0
    while True:
        root = conn.root()
        root["content"]["value"] = (run, index)
        for part in (0, 1):
            enqueue(root["log"], {"timestamp": "2026-11-23T10:00:00.000000+00:00", "actor": "writer",
                                  "action": "record.modified", "uid": "u", "path": "", "portal_type": "",
                                  "details": {"run": run, "txn": index, "part": part}})
        transaction.commit()  # chained by the after-commit hook, in its own transaction
        print(index, flush=True)  # only printed once the commit returned
        index += 1
    """
)


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("LINKS_KEYS_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("LINKS_AUDIT_DIR", str(tmp_path / "audit"))
    from links.content.keys.api import ensure_keys

    ensure_keys(SITE, SITE)  # what site creation does: checkpoints are sealed with them
    return tmp_path


def _new_db(path):
    database = DB(FileStorage(str(path)))
    with database.transaction() as conn:
        log = conn.root()["log"] = AuditLog(SITE)
        log.checkpoint_every = 25
        conn.root()["content"] = PersistentMapping()
    return database


def test_kill_9_repeatedly_loses_no_committed_entry(env):
    path = env / "Data.fs"
    _new_db(path).close()
    script = env / "writer.py"
    script.write_text(WRITER)
    child_env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    committed = {}
    for run in range(4):
        child = subprocess.Popen(
            [sys.executable, str(script), str(path), str(run)],
            stdout=subprocess.PIPE,
            env=child_env,
            text=True,
        )
        lines = []
        # Kill at a different point each run, mid-stream (the child never stops by itself).
        while len(lines) < 15 + 7 * run:
            line = child.stdout.readline()
            assert line, "the writer died on its own"
            lines.append(int(line))
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        committed[run] = lines

    database = DB(FileStorage(str(path)))
    try:
        oid = database.open().root()["log"]._p_oid
        chain_in_own_transaction(database, oid)  # batches committed but not yet chained when killed
        conn = database.open()
        log = conn.root()["log"]
        from links.content.keys.api import public_key

        result = verify_chain(log, public_key(SITE))
        assert result["ok"], result
        assert result["checkpoints"] >= 1
        chained = [decode(body)["details"] for body, _hash in log.entries.values()]
        keys = [(d["run"], d["txn"], d["part"]) for d in chained]
        assert len(keys) == len(set(keys)), "an entry was chained twice"
        for run, lines in committed.items():
            for index in lines:
                assert (run, index, 0) in keys and (run, index, 1) in keys, (run, index)
        conn.close()
    finally:
        database.close()


def _commit_change(database, value, note):
    manager = transaction.TransactionManager()
    conn = database.open(transaction_manager=manager)
    txn = manager.begin()
    txn.note(note)
    conn.root()["content"]["value"] = value
    enqueue(
        conn.root()["log"],
        {
            "timestamp": "2026-11-23T10:00:00.000000+00:00",
            "actor": "editor",
            "action": "record.modified",
            "uid": "u",
            "path": "",
            "portal_type": "",
            "details": {"value": value},
        },
        txn=txn,
    )
    manager.commit()
    conn.close()


def _undo(database, note):
    tid = next(t["id"] for t in database.undoLog(0, 50) if note in str(t["description"]))
    manager = transaction.TransactionManager()
    conn = database.open(transaction_manager=manager)
    manager.begin()
    database.undoMultiple([tid], manager.get())
    manager.commit()
    conn.close()


@pytest.fixture
def undo_db(env, monkeypatch):
    database = _new_db(env / "Data.fs")
    monkeypatch.setattr(undo, "find_logs", lambda conn: [conn.root()["log"]])
    yield database
    database.close()


def test_undo_of_a_change_is_recorded_and_keeps_its_entries(undo_db):
    _commit_change(undo_db, 1, "first edit")
    _commit_change(undo_db, 2, "second edit")
    _undo(undo_db, "second edit")
    conn = undo_db.open()
    log = conn.root()["log"]
    assert conn.root()["content"]["value"] == 1  # the change itself was undone
    entries = [decode(body) for body, _hash in log.entries.values()]
    assert [e["action"] for e in entries] == ["record.modified", "record.modified", "zope.undo"]
    assert "entries_removed" not in entries[-1]["details"]
    assert verify_chain(log)["ok"]
    conn.close()


def test_undo_of_the_chainer_is_recorded_and_the_entry_comes_back(undo_db):
    _commit_change(undo_db, 1, "first edit")
    _commit_change(undo_db, 2, "second edit")
    conn = undo_db.open()
    before = conn.root()["log"].entries[2]
    conn.close()
    _undo(undo_db, "links.content.audit: chain")  # the most recent chainer transaction
    conn = undo_db.open()
    log = conn.root()["log"]
    entries = [decode(body) for body, _hash in log.entries.values()]
    # The undo is itself recorded, saying which entries it took out of the chain...
    assert [e["action"] for e in entries] == ["record.modified", "record.modified", "zope.undo"]
    assert entries[-1]["details"]["entries_removed"] == {"from": 2, "to": 2}
    # ...and the undo put the batch back in the queue, so the same entry is chained again, unchanged.
    assert log.entries[2] == before
    assert verify_chain(log)["ok"]
    conn.close()


def test_entries_replaced_behind_the_outside_head_are_named(undo_db):
    _commit_change(undo_db, 1, "first edit")
    _commit_change(undo_db, 2, "second edit")
    with undo_db.transaction() as conn:
        log = conn.root()["log"]
        body, _hash = log.entries[2]
        # A restore of an older backup followed by new, different entries: same seq, another hash.
        from links.content.integrity import sha256_hex as digest

        altered = body.replace('"value":2', '"value":3')
        log.entries[2] = (altered, digest(altered))
        log.last_hash = digest(altered)
    conn = undo_db.open()
    result = verify_chain(conn.root()["log"])
    assert not result["ok"] and result["broken_seq"] == 2
    assert "chained earlier" in result["reason"]
    conn.close()
