"""The tamper-evident audit trail: a hash chain of every event that matters (see storage.py, encoding.py)."""

from links.content.audit import undo

# Every Zope Undo must leave an audit entry (undo.py); wrapping DB.undoMultiple once at import is the one
# hook that covers the ZMI, manage_undo_transactions and scripts alike.
undo.install()
