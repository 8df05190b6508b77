"""1006 -> 1007: the audit trail's Merkle tree and signed checkpoints (#15).

The XML (the witnesses registry record, the public "Audit checkpoints" site action) is re-imported by
``upgradeDepends`` in ``upgrades/configure.zcml``. Python builds the Merkle tree of an existing log from
its stored entry bodies (a savepoint every 10,000 leaves keeps memory flat) and signs a first checkpoint,
so a site upgraded from before has something to publish at once.
"""

from __future__ import annotations

import logging

import transaction
from plone import api

from links.content.audit.checkpoints import make
from links.content.audit.storage import get_log
from links.content.audit.storage import rebuild_merkle

logger = logging.getLogger(__name__)


def upgrade(context) -> None:
    """Build the tree of the site's audit log and sign a checkpoint of it."""
    log = get_log(api.portal.get())
    if log is None:
        return
    size = rebuild_merkle(log, savepoint=lambda: transaction.savepoint(optimistic=True))
    if size != log.last_seq:
        logger.error("Audit log: the Merkle tree stops at entry %d of %d (verify it)", size, log.last_seq)
        return
    make(log)
    logger.info("Audit log: Merkle tree of %d entries built and checkpoint signed", size)
