"""Persistent storage of the audit trail: a hash chain in a site annotation, written without a hot spot.

Layout (one ``AuditLog`` in the site's annotations under ``links.content.audit``):

- ``shards``: ``LOBTree`` shard number -> ``AuditShard``; shard ``n`` holds seqs ``n * shard_size + 1`` to
  ``(n + 1) * shard_size`` (5,000 by default). Each shard has its own ``entries`` (``LOBTree`` seq ->
  ``(body, hash)``; ``body`` is the canonical JSON of the entry, ``links.content.audit.encoding``, stored
  exactly as hashed so a verifier never re-encodes) and its own indexes ``by_uid``, ``by_actor``,
  ``by_action``, ``by_type``, ``by_day`` (``OOBTree`` key -> ``LLTreeSet`` of seqs), so per-record, actor,
  action, type and day lookups never scan the log. A date range is a range over the ``by_day`` keys
  ("YYYY-MM-DD") united with ``multiunion``, then refined on the entries' timestamps.
  Why shards: an append writes the right edge of every tree it touches. In one tree per index, the right
  edge of a log of a million entries has parent nodes of hundreds of children, rewritten at every bucket
  split, and per-record index sets that are cold on disk; in the current shard everything an append touches
  is small and recently written, so the append cost does not grow with the log (``make bench`` measures it).
  Reads go through ``log.entries`` (``ShardedEntries``, a mapping over all shards) and ``matching()``.
- Merkle tree (RFC 9162, ``merkle.py``): each shard's ``nodes`` (``LOBTree``) holds the hash of every
  complete subtree whose last leaf is one of the shard's seqs, keyed ``level << 40 | index``. An append
  writes only its own shard (one leaf, plus one node per level the leaf completes: two on average, log n at
  worst) and reads at most log n hashes; a root or a proof reads O(log n) stored hashes. ``merkle_size``
  is how many leaves the tree holds (equal to ``last_seq`` unless a log predates the tree and has not been
  upgraded: ``rebuild_merkle``).
- ``checkpoints``: ``LOBTree`` size -> signed checkpoint (see checkpoints.py).
- ``queue``: a ``PendingQueue`` of entries recorded but not yet chained.
- ``read_heads``: the heads of the read-event files (readstore.py) last anchored into the chain. Whenever
  the chainer runs and they have moved, it appends a ``reads.anchored`` entry naming them (after the batch,
  so every change anchors every read before it).

Why a queue and a chainer (no hot spot, no lost entry):
a hash chain cannot be merged blindly — two transactions appending at once would both take seq N+1 and the
same prev_hash. So a *writing* transaction never touches the chain. ``record()`` buffers entries per
transaction; one before-commit hook adds them as one batch to ``queue`` under a unique token
(``<time_ns>-<uuid4>``). ``PendingQueue._p_resolveConflict`` merges concurrent additions and removals of
distinct tokens, so concurrent writers never conflict and the entry commits atomically with the change.
The **chainer** (``chain()``) drains the queue in token order, assigns seq and prev_hash, writes entries
and indexes and moves the head. It runs after commit in its own connection and transaction, serialised by
a process lock; if it loses a conflict (another process chaining), it aborts and the batches simply wait
for the next run — a user transaction never fails because of the audit trail.

A side effect worth having: undoing a user's transaction after chaining cannot remove its audit entries
(the chainer's transaction holds them; the queue's conflict resolution turns the undo into a no-op there).
"""

import threading
import time
import uuid
from datetime import UTC
from datetime import datetime

import transaction
from BTrees.LLBTree import LLSet
from BTrees.LLBTree import LLTreeSet
from BTrees.LLBTree import intersection
from BTrees.LLBTree import multiunion
from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from ZODB.POSException import ConflictError
from zope.annotation.interfaces import IAnnotations

from links.content.audit import readstore
from links.content.audit.encoding import GENESIS
from links.content.audit.encoding import canonical
from links.content.audit.merkle import completed
from links.content.audit.merkle import leaf_hash
from links.content.audit.merkle import node_hash
from links.content.integrity import sha256_hex as digest

ANNOTATION_KEY = "links.content.audit"
#: Secondary index attribute -> entry key it indexes (also the name of the filter it answers).
INDEXES = {"by_uid": "uid", "by_actor": "actor", "by_action": "action", "by_type": "portal_type"}
#: Entries per shard: small enough that an append touches only small, warm nodes; large enough that a
#: read across a long log visits few shards (200 for a million entries).
SHARD_SIZE = 5_000

#: The entry that anchors the read-event files' heads into the chain, and who writes it.
ANCHOR_ACTION = "reads.anchored"
ANCHOR_ACTOR = "links.content.audit"

_chain_lock = threading.Lock()
_EMPTY = LLSet()
_BUFFER = object()  # key of the per-transaction buffer (Transaction.data keys by identity)


class PendingQueue(Persistent):
    """Batches recorded by committed transactions and not yet chained: token -> tuple of entry dicts."""

    def __init__(self):
        self.batches = {}

    def add(self, token: str, entries: tuple) -> None:
        self.batches[token] = entries
        self._p_changed = True

    def _p_resolveConflict(self, old, committed, new):
        """Merge two concurrent changes: tokens are unique, so additions and removals commute."""
        before, theirs, ours = old.get("batches", {}), committed["batches"], new["batches"]
        merged = dict(theirs)
        for token, batch in ours.items():
            if token not in before:
                merged[token] = batch
        for token in before:
            if token not in ours:
                merged.pop(token, None)
        state = dict(committed)
        state["batches"] = merged
        return state


#: Merkle node key: level in the high bits, index below (2**40 leaves is far beyond any log).
_LEVEL = 40


class AuditShard(Persistent):
    """One sequence range of the chain: its entries, its indexes and its Merkle nodes."""

    nodes = None  # shards made before the Merkle tree: rebuild_merkle() adds it

    def __init__(self):
        self.entries = LOBTree()
        self.nodes = LOBTree()
        self.by_day = OOBTree()
        for name in INDEXES:
            setattr(self, name, OOBTree())

    def add(self, seq: int, body: str, value: str, entry: dict) -> None:
        self.entries[seq] = (body, value)
        for name, key in INDEXES.items():
            _index(getattr(self, name), entry.get(key), seq)
        _index(self.by_day, entry["timestamp"][:10], seq)

    def matching(self, filters: dict):
        """Seqs of this shard matching ``filters`` (as cleaned by ``api.parse_filters``), from the indexes."""
        sets = [
            getattr(self, name).get(filters[key], _EMPTY) for name, key in INDEXES.items() if key in filters
        ]
        if "from_day" in filters or "to_day" in filters:
            low, high = filters.get("from_day"), filters.get("to_day")
            days = self.by_day.values(low.isoformat() if low else None, high.isoformat() if high else None)
            sets.append(multiunion(list(days)))
        result = sets[0]
        for other in sets[1:]:
            result = intersection(result, other)
        return result


def _index(index: OOBTree, key, seq: int) -> None:
    if key is None or key == "":
        return
    seqs = index.get(key)
    if seqs is None:
        seqs = index[key] = LLTreeSet()
    seqs.add(seq)


class ShardedEntries:
    """The chain's entries as one mapping ``seq -> (body, hash)`` over the shards, oldest first.

    Reads (``items``, ``values``, ``keys``, ``get``, ``in``, ``[]``) are what verifiers, exports and the API
    use; item assignment and deletion exist so fault tests can alter the stored log at ZODB level."""

    def __init__(self, log: "AuditLog"):
        self._log = log

    def _shards(self, low=None, high=None):
        log = self._log
        first = None if low is None else log.shard_number(low)
        last = None if high is None else log.shard_number(high)
        return log.shards.values(first, last)

    def items(self, min=None, max=None):  # noqa: A002 - the BTrees signature
        for shard in self._shards(min, max):
            yield from shard.entries.items(min, max)

    def keys(self, min=None, max=None):  # noqa: A002
        for shard in self._shards(min, max):
            yield from shard.entries.keys(min, max)

    def values(self, min=None, max=None):  # noqa: A002
        for shard in self._shards(min, max):
            yield from shard.entries.values(min, max)

    __iter__ = keys

    def __len__(self) -> int:
        return sum(len(shard.entries) for shard in self._log.shards.values())

    def get(self, seq: int, default=None):
        shard = self._log.shard_for(seq)
        return default if shard is None else shard.entries.get(seq, default)

    def __contains__(self, seq) -> bool:
        return self.get(seq) is not None

    def __getitem__(self, seq: int):
        value = self.get(seq)
        if value is None:
            raise KeyError(seq)
        return value

    def __setitem__(self, seq: int, value) -> None:
        self._log.shard_for(seq, create=True).entries[seq] = value

    def __delitem__(self, seq: int) -> None:
        shard = self._log.shard_for(seq)
        if shard is None:
            raise KeyError(seq)
        del shard.entries[seq]


class AuditLog(Persistent):
    """The hash-chained log. Only the chainer writes anything but ``queue``."""

    def __init__(self, site_id: str = "", shard_size: int = SHARD_SIZE):
        self.site_id = site_id
        self.shard_size = shard_size
        self.queue = PendingQueue()
        self.reset()
        self.checkpoint_every = 1000

    def reset(self) -> None:
        """Empty the chain (a handover import rebuilds it from the archive). The queue is kept."""
        self.shards = LOBTree()
        self.checkpoints = LOBTree()
        self.merkle_size = 0
        self.last_seq = 0
        self.last_hash = GENESIS

    merkle_size = 0  # logs made before the Merkle tree: rebuild_merkle()
    read_heads = None  # the read-event heads last anchored into the chain (chain() compares)

    def __len__(self) -> int:
        return self.last_seq

    @property
    def entries(self) -> ShardedEntries:
        return ShardedEntries(self)

    def shard_number(self, seq: int) -> int:
        return max(0, (seq - 1) // self.shard_size)

    def shard_for(self, seq: int, create: bool = False) -> AuditShard | None:
        number = self.shard_number(seq)
        shard = self.shards.get(number)
        if shard is None and create:
            shard = self.shards[number] = AuditShard()
        return shard

    def matching(self, filters: dict):
        """Seqs matching ``filters`` over every shard (an ``LLSet``), or None if nothing filters."""
        if not any(key in filters for key in (*INDEXES.values(), "from_day", "to_day")):
            return None
        return multiunion([shard.matching(filters) for shard in self.shards.values()])

    def append_chained(self, entry: dict) -> tuple[int, str]:
        """Chain one entry (seq and prev_hash assigned here). Chainer only: moves the head.

        :param entry: entry dict without seq, prev_hash, hash
        :returns: (seq, hash)
        """
        seq = self.last_seq + 1
        entry = dict(entry, seq=seq, prev_hash=self.last_hash)
        body = canonical(entry)
        value = digest(body)
        self.shard_for(seq, create=True).add(seq, body, value, entry)
        self.last_seq, self.last_hash = seq, value
        if self.merkle_size == seq - 1:
            self.merkle_append(seq, leaf_hash(body))
        return seq, value

    def merkle_node(self, level: int, index: int) -> bytes:
        """The stored hash of the complete subtree ``(level, index)`` (``merkle.Node``).

        :raises KeyError: if the tree does not hold it (beyond ``merkle_size``)
        """
        shard = self.shard_for((index + 1) << level)
        if shard is None or shard.nodes is None:
            raise KeyError((level, index))
        return shard.nodes[level << _LEVEL | index]

    def merkle_append(self, seq: int, leaf: bytes) -> None:
        """Add leaf ``seq`` (its ``leaf_hash``) and every subtree it completes, all kept in its own shard."""
        shard = self.shard_for(seq, create=True)
        if shard.nodes is None:
            shard.nodes = LOBTree()
        for level, index in completed(seq - 1):
            if level:
                leaf = node_hash(self.merkle_node(level - 1, 2 * index), leaf)
            shard.nodes[level << _LEVEL | index] = leaf
        self.merkle_size = seq


def rebuild_merkle(log: AuditLog, every: int = 10_000, savepoint=None) -> int:
    """(Re)build the Merkle tree of ``log`` from its stored bodies (upgrade of a log made before the tree).

    :param every: call ``savepoint()`` every this many leaves (keeps an upgrade's memory flat)
    :returns: the number of leaves
    """
    for shard in log.shards.values():
        shard.nodes = LOBTree()
    log.merkle_size = 0
    for seq, (body, _hash) in log.entries.items():
        if seq != log.merkle_size + 1:
            break  # a gap: verification names it; the tree stops where the chain does
        log.merkle_append(seq, leaf_hash(body))
        if savepoint is not None and seq % every == 0:
            savepoint()
    return log.merkle_size


def get_log(site, create: bool = False) -> AuditLog | None:
    """The site's audit log.

    :param site: the Plone site
    :param create: create it if missing (once, at install or on the first record)
    :returns: the log, or None if it does not exist and ``create`` is false
    """
    annotations = IAnnotations(site)
    log = annotations.get(ANNOTATION_KEY)
    if log is None and create:
        log = annotations[ANNOTATION_KEY] = AuditLog(site.getId())
    return log


def now_iso() -> str:
    """UTC now as ISO 8601 with microseconds, e.g. ``2026-11-23T14:05:00.123456+00:00``."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_token() -> str:
    """A unique, time-ordered batch token: the chainer links batches in this order."""
    return f"{time.time_ns():020d}-{uuid.uuid4().hex}"


def enqueue(log: AuditLog, entry: dict, txn=None) -> None:
    """Buffer an entry in the current transaction; one before-commit hook adds the whole batch.

    :param log: the site's log
    :param entry: entry dict (timestamp, actor, action, uid, path, portal_type, details)
    """
    txn = txn or transaction.get()
    try:
        buffer = txn.data(_BUFFER)
    except KeyError:
        buffer = None
    if buffer is None:
        buffer = {}
        txn.set_data(_BUFFER, buffer)
        txn.addBeforeCommitHook(_flush, (txn,))
    buffer.setdefault(id(log), (log, []))[1].append(entry)


def buffered(txn=None) -> list[dict]:
    """Entries recorded in the current transaction and not yet added to a queue (tests, diagnostics)."""
    txn = txn or transaction.get()
    try:
        buffer = txn.data(_BUFFER)
    except KeyError:
        return []
    return [entry for _log, entries in (buffer or {}).values() for entry in entries]


def _flush(txn) -> None:
    """Before commit: one queue batch per log. Hooks added later (records made by later before-commit
    hooks) get a fresh buffer, because the transaction keeps calling hooks until none are left.
    ``chain_now`` may have flushed already (buffer None)."""
    try:
        buffer = txn.data(_BUFFER)
    except KeyError:
        buffer = None
    txn.set_data(_BUFFER, None)
    for log, entries in (buffer or {}).values():
        log.queue.add(new_token(), tuple(entries))
        txn.addAfterCommitHook(chain_after_commit, (log,))


def flush_now(txn=None) -> None:
    """Move the current transaction's buffered entries to the queue now (before chaining in-transaction)."""
    _flush(txn or transaction.get())


def chain_after_commit(ok: bool, log: AuditLog) -> None:
    """After-commit hook: run the chainer (queued batches, moved read-event heads) in its own transaction."""
    if not ok or log._p_jar is None:
        return
    chain_in_own_transaction(log._p_jar.db(), log._p_oid, every=checkpoint_every())


def checkpoint_every() -> int | None:
    """Registry ``links.content.audit.checkpoint_every`` (entries between sealed checkpoints), or None
    outside a site (the log's own ``checkpoint_every`` then applies)."""
    try:
        from plone import api

        value = api.portal.get_registry_record("links.content.audit.checkpoint_every", default=None)
    except Exception:  # no site hook (scripts, raw ZODB)
        return None
    return int(value) if value else None


def chain(log: AuditLog, checkpoint=None, every: int | None = None) -> int:
    """Drain the queue into the chain, in token order (the chainer).

    :param log: the log, loaded in the transaction that will commit the result
    :param checkpoint: callable(log) sealing the head every ``every`` entries
    :param every: entries between checkpoints (default: the log's ``checkpoint_every``)
    :returns: number of entries chained
    """
    batches = log.queue.batches
    heads = read_heads_moved(log)
    if not batches and heads is None:
        return 0
    every = max(1, every or log.checkpoint_every)
    count = 0
    anchor = () if heads is None else (anchor_entry(heads),)
    for entries in (*(batches[token] for token in sorted(batches)), anchor):
        for entry in entries:
            log.append_chained(entry)
            count += 1
            if checkpoint is not None and log.last_seq % every == 0:
                checkpoint(log)
    if heads is not None:
        log.read_heads = heads
    if batches:
        log.queue.batches = {}
        log.queue._p_changed = True
    return count


def read_heads_moved(log) -> dict | None:
    """The read-event chains' heads if they moved since the last anchor, else None."""
    site_id = getattr(log, "site_id", "")
    if not site_id:
        return None
    heads = readstore.heads(site_id)
    return heads if heads and heads != dict(log.read_heads or {}) else None


def anchor_entry(heads: dict) -> dict:
    """The ``reads.anchored`` entry: the read-event chains' heads written into the ZODB chain, so that
    cutting, rewriting or deleting read-event files up to them is named by verification (#15)."""
    return {
        "timestamp": now_iso(),
        "actor": ANCHOR_ACTOR,
        "action": ANCHOR_ACTION,
        "details": {"heads": heads},
        "uid": "",
        "path": "",
        "portal_type": "",
    }


def chain_in_own_transaction(db, oid, attempts: int = 3, every: int | None = None, seal: bool = False) -> int:
    """Run the chainer in a fresh connection and transaction (after a user's commit, or from a script).

    :param db: the ZODB database
    :param oid: oid of the AuditLog
    :param seal: make sure a signed checkpoint of the new head exists (exports), even if nothing was
        waiting
    :returns: entries chained (0 if another process won every attempt: they wait for the next run)
    """
    from links.content.audit.checkpoints import seal_head

    with _chain_lock:
        manager = transaction.TransactionManager(explicit=True)
        conn = db.open(transaction_manager=manager)
        try:
            for _attempt in range(attempts):
                manager.begin()
                try:
                    log = conn.get(oid)
                    count = chain(log, checkpoint=seal_head, every=every)
                    # Exports need a checkpoint of the head; one already made at this size will do (a
                    # new one would replace a checkpoint witnesses may hold).
                    sealed = seal and log.last_seq not in log.checkpoints and seal_head(log) is not None
                    if not count and not sealed:
                        manager.abort()
                        return 0
                    manager.get().note("links.content.audit: chain")
                    head = (log.site_id, log.last_seq, log.last_hash)
                    manager.commit()
                except ConflictError:
                    manager.abort()
                    continue
                if head[0]:
                    readstore.write_zodb_head(*head)
                return count
            return 0
        finally:
            conn.close()


# Every Zope Undo must leave an audit entry (undo.py); wrapping DB.undoMultiple once, when the log's module
# is first imported (at ZCML load, through the subscribers), is the one hook that covers the ZMI,
# manage_undo_transactions and scripts alike.
from links.content.audit import undo  # noqa: E402

undo.install()
