"""Audit trail figures: append cost at 1k vs 1M entries, full-chain verification rate, and the read-throughput
cost of auditing views of confidential records.

Run: bin/zopepy benchmarks/bench_audit.py   (BENCH_AUDIT_ENTRIES=200000 for a quicker, smaller log)

1. A real FileStorage log is built in bulk batches with the production encoding (canonical JSON, SHA-256,
   sharded entries and indexes, and the RFC 9162 Merkle tree through ``AuditLog.merkle_append``, the
   append API). Append cost = median time of a chainer transaction (the production
   ``chain()``: AuditLog.append_chained per entry) appending 10 entries and committing, measured at 1k
   entries and at 1M: once where a new shard starts, once near the end of a full shard.
   Proofs: RFC 9162 inclusion proofs (``api.inclusion_proof``'s work: ``merkle.inclusion_proof`` and the
   root over the stored subtree hashes) for random entries and consistency proofs for random sizes, at the
   full size, cold (a fresh connection: hashes read from the FileStorage) and warm.
2. Verification: ``verify_chain`` over the whole log, once cold (read from the FileStorage) and once warm
   (buckets in the ZODB cache, the hashing loop alone).
3. Confidential views: the same page of a record rendered through the publisher (in-process WSGI, a real
   Plone site), with and without the IConfidentialRecord marker; the difference is the cost of writing the
   hash-chained read-event file (fsync'd) on each view.
4. Witnessed versions: full verification of a site of 200 records with 3 versions each (every version
   retrieved from CMFEditions and re-hashed), against the chain alone.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time

import transaction
from ZODB import DB
from ZODB.FileStorage import FileStorage

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # zopepy execs the file: no script dir

from harness import report  # noqa: E402
from harness import size  # noqa: E402

TARGET = size("BENCH_AUDIT_ENTRIES", 1000000, 10000)
BATCH = 50_000
ACTIONS = ("record.modified", "record.created", "workflow.transition", "signature.added", "clock.started")


def _entry(number: int) -> dict:
    day = 1 + number // 2000  # about 2,000 entries a day: a long-lived, busy network
    return {
        "timestamp": f"20{20 + day // 336:02d}-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}"
        "T10:00:00.000000+00:00",
        "actor": f"member{number % 7}",
        "action": ACTIONS[number % 5],
        "uid": f"{number % 5000:032x}",
        "path": f"/links/records/record-{number % 5000}",
        "portal_type": "EnterAndViewReport",
        "details": {"fields": ["title"], "changes": {"title": {"before": "Visit", "after": "Visit 2"}}},
    }


def _append_once(db, oid, number, per_txn=10):
    """One chainer transaction (production ``chain()``) appending ``per_txn`` entries; its duration."""
    from links.content.audit.storage import chain

    manager = transaction.TransactionManager()
    conn = db.open(transaction_manager=manager)
    try:
        start = time.perf_counter()
        manager.begin()
        log = conn.get(oid)
        log.queue.add(f"{number:020d}", tuple(_entry(number + i) for i in range(per_txn)))
        chain(log)
        manager.commit()
        return time.perf_counter() - start
    finally:
        conn.close()


def _template():
    """The canonical body of a synthetic entry as a format string (bulk building without re-encoding each
    entry; checked against ``canonical()`` below, so the bodies are exactly the production encoding)."""
    from links.content.audit.encoding import canonical

    fields = ("actor", "action", "uid", "path", "timestamp", "prev_hash")
    sample = dict(_entry(0), seq=999_999_999, **{f: f"@@{f}@@" for f in fields})
    text = canonical(sample).replace("%", "%%").replace("999999999", "%(seq)d")
    for f in fields:
        text = text.replace(f"@@{f}@@", f"%({f})s")
    return text


def _grow(db, oid, upto):
    """Grow the log to ``upto`` entries in bulk: bodies in the production encoding (the chain is real and
    verifies), each batch added to its shard's entries tree and indexes with one update per key."""
    from BTrees.LLBTree import LLTreeSet

    from links.content.audit.encoding import canonical
    from links.content.audit.merkle import leaf_hash
    from links.content.audit.storage import INDEXES
    from links.content.integrity import sha256_hex as digest

    template = _template()
    manager = transaction.TransactionManager()
    conn = db.open(transaction_manager=manager)
    log = conn.get(oid)
    sha256 = __import__("hashlib").sha256
    while log.last_seq < upto:
        manager.begin()
        seq, prev = log.last_seq, log.last_hash
        items, keys = {}, {}  # per shard number
        for number in range(seq, min(upto, seq + BATCH)):
            seq += 1
            entry = _entry(number)
            entry["seq"], entry["prev_hash"] = seq, prev
            body = template % entry
            if number < 3:
                assert body == canonical(entry), "the template drifted from the canonical encoding"
            prev = sha256(body.encode("utf-8")).hexdigest()
            shard = log.shard_number(seq)
            items.setdefault(shard, {})[seq] = (body, prev)
            shard_keys = keys.setdefault(shard, {})
            for name, key in INDEXES.items():
                shard_keys.setdefault((name, entry[key]), []).append(seq)
            shard_keys.setdefault(("by_day", entry["timestamp"][:10]), []).append(seq)
        for number, shard_items in items.items():
            shard = log.shard_for(min(shard_items), create=True)
            shard.entries.update(shard_items)
            for item_seq in sorted(shard_items):  # the Merkle tree through the append API
                log.merkle_append(item_seq, leaf_hash(shard_items[item_seq][0]))
            for (name, key), seqs in keys[number].items():
                index = getattr(shard, name)
                if key not in index:
                    index[key] = LLTreeSet()
                index[key].update(seqs)
        log.last_seq, log.last_hash = seq, prev
        assert prev == digest(body)
        manager.commit()
        conn.cacheMinimize()
    conn.close()


def _new_log(path):
    from links.content.audit.storage import AuditLog

    db = DB(FileStorage(path), cache_size=200_000)
    with db.transaction() as conn:
        conn.root()["log"] = AuditLog("bench")
    return db, db.open().root()["log"]._p_oid


def _compare_appends(small_db, small_oid, big_db, big_oid, rounds, number):
    """Median append time on the small and the big log, in interleaved rounds (so changes in machine load
    hit both alike), after 10 warm-up rounds that load the trees' right edges from disk."""
    small, big = [], []
    for round_ in range(rounds + 10):
        small_time = _append_once(small_db, small_oid, number)
        big_time = _append_once(big_db, big_oid, number)
        if round_ >= 10:
            small.append(small_time)
            big.append(big_time)
        number += 10
    return statistics.median(small), statistics.median(big)


def bench_append_and_verify(workdir):
    from links.content.audit.verify import verify_chain

    small_db, small_oid = _new_log(os.path.join(workdir, "Small.fs"))
    _grow(small_db, small_oid, 1000)
    big_db, big_oid = _new_log(os.path.join(workdir, "Audit.fs"))
    start = time.perf_counter()
    _grow(big_db, big_oid, TARGET)
    report(f"audit: built a {TARGET:,}-entry log in", time.perf_counter() - start, "s")
    # The log is sharded (storage.SHARD_SIZE entries a shard): right after TARGET the appends start a new
    # shard, the best case. So the big log is measured twice: at TARGET, and again near the end of a full
    # shard (the worst case); the ratio goal applies to the worse of the two.
    rounds = 100
    small, at_target = _compare_appends(small_db, small_oid, big_db, big_oid, rounds, number=10**7)
    shard_size = big_db.open().get(big_oid).shard_size
    _grow(big_db, big_oid, TARGET + shard_size - rounds * 10 - 50)
    small_again, at_full = _compare_appends(small_db, small_oid, big_db, big_oid, rounds, number=2 * 10**7)
    report("audit append (10 entries + commit) at 1k entries", small * 1000, "ms")
    report(f"audit append (10 entries + commit) at {TARGET:,} entries, new shard", at_target * 1000, "ms")
    report("audit append (10 entries + commit) at 1k entries, second run", small_again * 1000, "ms")
    report(
        f"audit append (10 entries + commit) at {TARGET + shard_size - 1050:,} entries, full shard",
        at_full * 1000,
        "ms",
    )
    report(
        "audit append ratio big/1k (worse of the two)",
        max(at_target / small, at_full / small_again),
        "x",
        goal="<= 1.2",
    )
    small_db.close()
    big_db.close()
    bench_proofs(os.path.join(workdir, "Audit.fs"), big_oid)

    db = DB(FileStorage(os.path.join(workdir, "Audit.fs")), cache_size=2_000_000)  # cold: nothing cached
    conn = db.open()
    log = conn.get(big_oid)
    start = time.perf_counter()
    result = verify_chain(log)
    cold = time.perf_counter() - start
    assert result["ok"], result
    report("audit verification, cold (read from FileStorage)", result["entries"] / cold, "entries/s")
    start = time.perf_counter()
    result = verify_chain(log)
    warm = time.perf_counter() - start
    report("audit verification, warm (hashing loop)", result["entries"] / warm, "entries/s", goal=">= 300000")
    conn.close()
    db.close()


def bench_proofs(path, oid, count=200):
    """Inclusion and consistency proofs at the log's full size, cold and warm (the services' work)."""
    import random

    from links.content.audit import merkle

    db = DB(FileStorage(path, read_only=True), cache_size=200_000)
    conn = db.open()
    log = conn.get(oid)
    size = log.merkle_size
    assert size == log.last_seq, "the tree covers the whole log"
    chooser = random.Random(15)

    def inclusion():
        seq = chooser.randint(1, size)
        start = time.perf_counter()
        path = merkle.inclusion_proof(log.merkle_node, seq - 1, size)
        root = merkle.root(log.merkle_node, size)
        took = time.perf_counter() - start
        leaf = log.merkle_node(0, seq - 1)
        assert merkle.verify_inclusion(leaf, seq - 1, size, path, root)
        return took

    def consistency():
        first = chooser.randint(1, size - 1)
        start = time.perf_counter()
        proof = merkle.consistency_proof(log.merkle_node, first, size)
        old, new = merkle.root(log.merkle_node, first), merkle.root(log.merkle_node, size)
        took = time.perf_counter() - start
        assert merkle.verify_consistency(first, size, proof, old, new)
        return took

    for name, work in (("inclusion", inclusion), ("consistency", consistency)):
        first = work()  # the first proof after opening the database also loads the log and the top shards
        cold = [work() for _ in range(count)]  # each proof touches new, mostly uncached shards
        warm = [work() for _ in range(count)]
        label = f"audit {name} proof at {size:,} entries"
        report(f"{label}, first after opening the database", first * 1000, "ms")
        report(f"{label}, cold, median", statistics.median(cold) * 1000, "ms")
        report(f"{label}, cold, slowest of {count}", max(cold) * 1000, "ms", goal="< 50")
        report(f"{label}, warm, median", statistics.median(warm) * 1000, "ms")
    conn.close()
    db.close()


def bench_confidential_views():
    from harness import plone_site
    from plone import api
    from plone.testing.zope import Browser
    from zope.interface import alsoProvides

    from links.content.interfaces import IConfidentialRecord
    from links.content.testing import LINKS_CONTENT_FUNCTIONAL_TESTING

    with plone_site(LINKS_CONTENT_FUNCTIONAL_TESTING) as (app, portal):
        with api.env.adopt_roles(["Manager"]):
            plain = api.content.create(container=portal, type="Document", id="plain", title="A record")
            secret = api.content.create(container=portal, type="Document", id="secret", title="A record")
            alsoProvides(secret, IConfidentialRecord)
        transaction.commit()
        browser = Browser(app)
        browser.handleErrors = False
        browser.addHeader("Authorization", "Basic admin:secret")

        def views(url, count=40):
            start = time.perf_counter()
            for _ in range(count):
                browser.open(url)
            return (time.perf_counter() - start) / count

        views(plain.absolute_url(), 10)  # warm up templates and caches
        views(secret.absolute_url(), 10)
        plain_times, secret_times = [], []
        for _ in range(5):  # interleaved, so load changes on the machine hit both alike
            plain_times.append(views(plain.absolute_url()))
            secret_times.append(views(secret.absolute_url()))
        base, audited = statistics.median(plain_times), statistics.median(secret_times)
        report("page view of a record (not audited)", base * 1000, "ms")
        report("page view of a confidential record (audited read)", audited * 1000, "ms")
        report(
            "read-throughput cost of auditing confidential views",
            (audited / base - 1) * 100,
            "%",
            goal="<= 10",
        )


WITNESS_RECORDS = size("BENCH_AUDIT_WITNESS_RECORDS", 200, 20)


def bench_record_witnesses(records=WITNESS_RECORDS, versions=3):
    """Full verification (chain plus every witnessed version re-hashed from CMFEditions) of a site with
    ``records`` information requests of ``versions`` versions each."""
    from harness import plone_site
    from plone import api

    from links.content.audit import api as audit
    from links.content.history import api as history
    from links.content.testing import LINKS_CONTENT_FUNCTIONAL_TESTING

    with plone_site(LINKS_CONTENT_FUNCTIONAL_TESTING) as (app, portal):
        with api.env.adopt_roles(["Manager"]):
            for number in range(records):
                obj = api.content.create(
                    container=portal,
                    type="InformationRequest",
                    id=f"request-{number}",
                    title=f"Request {number}",
                    addressee="Northbridge ICB",
                    addressee_kind="commissioner",
                    questions="First wording",
                )
                for version in range(1, versions):
                    obj.questions = f"Wording {version}"
                    history.save(obj, f"Edit {version}")
                if number % 50 == 49:
                    transaction.commit()
        transaction.commit()
        transaction.begin()  # a fresh view: the chainer committed the last entries after our commit
        start = time.perf_counter()
        result = audit.verify(portal)
        elapsed = time.perf_counter() - start
        assert result["ok"], result
        start = time.perf_counter()
        audit.verify(portal, records=False)
        chain_only = time.perf_counter() - start
        checked = result["records"]["versions"]
        report(f"audit verify incl. {checked:,} witnessed versions", elapsed, "s")
        rate = checked / max(elapsed - chain_only, 1e-9)
        report("audit verify, witnessed versions re-hashed", rate, "versions/s")


def _views_in_test_environment():
    """The view benchmark needs the test layers (plone.testing), which bin/zopepy's path lacks: run it
    with the eggs of bin/pytest, in a child process."""
    import re
    import subprocess

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "bin", "pytest"), encoding="utf-8") as handle:
        script = handle.read()
    paths = re.findall(r"^  '([^']+)',$", script, flags=re.M)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths), BENCH_AUDIT_ONLY_VIEWS="1")
    python = re.match(r"#!(\S+)", script).group(1)
    subprocess.run([python, os.path.abspath(__file__)], env=env, check=True)


def main():
    workdir = tempfile.mkdtemp(prefix="bench-audit-")
    os.environ.setdefault("LINKS_KEYS_DIR", os.path.join(workdir, "keys"))
    os.environ.setdefault("LINKS_AUDIT_DIR", os.path.join(workdir, "audit"))
    if os.environ.get("BENCH_AUDIT_ONLY_VIEWS") != "1":
        print("== audit trail", flush=True)
    try:
        if os.environ.get("BENCH_AUDIT_ONLY_VIEWS") == "1":
            bench_confidential_views()
            bench_record_witnesses()
            return
        bench_append_and_verify(workdir)
        if os.environ.get("BENCH_AUDIT_VIEWS", "1") != "0":
            try:
                import plone.testing  # noqa: F401
            except ImportError:
                _views_in_test_environment()
            else:
                bench_confidential_views()
                bench_record_witnesses()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
