"""Zope Undo leaves a trace: ``ZODB.DB.DB.undoMultiple`` is wrapped so every undo (ZMI "Undo" tab,
``manage_undo_transactions``, ``db.undo``) records ``zope.undo`` in each site's audit trail after the undo
commits, in its own transaction (the undo's own transaction may be rewriting the log's objects).

Undoing a user's transaction never removes chained entries (see storage.py). Undoing the chainer's own
transaction would remove entries: verification then reports the gap against the sealed checkpoints and the
head file kept outside the ZODB (readstore.write_zodb_head), and this event says who did it.
"""

import logging

import transaction
from AccessControl import getSecurityManager
from ZODB.DB import DB

logger = logging.getLogger(__name__)

_original = DB.undoMultiple


def find_logs(conn) -> list:
    """Every site's AuditLog reachable from the Zope application in ``conn``."""
    from links.content.audit.storage import ANNOTATION_KEY

    app = conn.root().get("Application")
    logs = []
    for site in app.objectValues("Plone Site") if app is not None else ():
        log = getattr(site, "__annotations__", {}).get(ANNOTATION_KEY)
        if log is not None:
            logs.append(log)
    return logs


def _record_undo(ok, db, tids, actor, note):
    if not ok:
        return
    from links.content.audit import readstore
    from links.content.audit.api import make_entry
    from links.content.audit.storage import chain_in_own_transaction
    from links.content.audit.storage import new_token

    manager = transaction.TransactionManager(explicit=True)
    conn = db.open(transaction_manager=manager)
    oids = []
    try:
        manager.begin()
        for log in find_logs(conn):
            details = {"transactions": tids, "note": note}
            # An undo of the chainer's own transaction takes the chain backwards: say so in the event
            # (verification reports it too, from the head kept outside the ZODB).
            outside = readstore.read_zodb_head(log.site_id) if log.site_id else None
            if outside and outside["seq"] > log.last_seq:
                details["entries_removed"] = {"from": log.last_seq + 1, "to": outside["seq"]}
            log.queue.add(new_token(), (make_entry("zope.undo", None, details, actor),))
            oids.append(log._p_oid)
        manager.get().note("links.content.audit: record undo")
        manager.commit()
    except Exception:
        manager.abort()
        logger.exception("Could not record an undo in the audit trail")
        return
    finally:
        conn.close()
    for oid in oids:
        chain_in_own_transaction(db, oid)


def undoMultiple(self, ids, txn=None):
    result = _original(self, ids, txn)
    current = txn or transaction.get()
    tids = [tid.decode("ascii", "replace") if isinstance(tid, bytes) else str(tid) for tid in ids]
    user = getSecurityManager().getUser()
    actor = (user.getId() if user is not None else None) or "system"
    current.addAfterCommitHook(_record_undo, (self, tids, actor, current.description))
    return result


def install():
    """Wrap DB.undoMultiple once (called when the audit package's ZCML loads)."""
    if DB.undoMultiple is not undoMultiple:
        DB.undoMultiple = undoMultiple
