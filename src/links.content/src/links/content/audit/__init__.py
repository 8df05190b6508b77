"""The tamper-evident audit trail: a hash chain of every event that matters (see storage.py, encoding.py),
with an RFC 9162 Merkle tree (merkle.py) and signed checkpoints (checkpoints.py).

Nothing is imported here: the offline verifier (``links-verify log``, cli.py) imports this package's
pure modules without Zope. The Zope Undo hook is installed by storage.py.
"""
