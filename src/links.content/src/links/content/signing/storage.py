"""Where a record's signatures are kept: one persistent object in an annotation of the record.

Signature and recusal records are plain dicts written once into IOBTrees keyed by sequence number
and never changed afterwards (their seal covers them). What changes — whether a signature still
counts — is kept beside them: ``superseded`` (sequence -> when and why) and ``current``
(user id -> sequence of that member's signature on the current version), so counting signatures
never scans the whole log.
"""

from BTrees.IOBTree import IOBTree
from BTrees.OOBTree import OOBTree
from persistent import Persistent
from zope.annotation.interfaces import IAnnotations

KEY = "links.content.signing"


class SignatureStore(Persistent):
    """The signing state of one record."""

    #: Why the last attempt to sign off a reached quorum failed (``{"time", "message"}``), or None.
    signoff_error = None

    def __init__(self):
        self.signatures = IOBTree()  # seq -> sealed signature record (dict, immutable)
        self.superseded = IOBTree()  # seq -> {"time", "reason", "sha256", "actor"}
        self.current = OOBTree()  # userid -> seq of their signature on the current version
        self.recusals = IOBTree()  # seq -> recusal record (dict, immutable)
        # seq -> sign-off: version_id, sha256, time, transition, signatures, and "pdf", the
        # PAdES-signed PDF (NamedBlobFile) stored once and never re-rendered.
        self.signoffs = IOBTree()

    def _next(self, tree) -> int:
        return tree.maxKey() + 1 if len(tree) else 1

    def add_signature(self, record: dict) -> int:
        """Store a sealed signature record (its ``seq`` must be set by ``next_signature_seq``).

        :returns: the sequence number
        """
        seq = record["seq"]
        self.signatures[seq] = record
        self.current[record["signer"]] = seq
        return seq

    def next_signature_seq(self) -> int:
        return self._next(self.signatures)

    def add_recusal(self, record: dict) -> int:
        seq = self._next(self.recusals)
        self.recusals[seq] = dict(record, seq=seq)
        return seq

    def supersede(self, seqs: list[int], info: dict) -> list[int]:
        """Mark signatures superseded (they no longer count) and take them off the current proposal.

        :param seqs: sequence numbers of signatures in ``current``
        :param info: ``{"time", "reason", "sha256", "actor"}`` kept for each
        :returns: the sequence numbers superseded
        """
        for seq in seqs:
            self.superseded[seq] = dict(info)
            signer = self.signatures[seq]["signer"]
            if self.current.get(signer) == seq:
                del self.current[signer]
        return list(seqs)

    def status_of(self, seq: int) -> str:
        """``"valid"`` or ``"superseded"``."""
        return "superseded" if seq in self.superseded else "valid"

    def current_records(self) -> list[dict]:
        return [self.signatures[seq] for seq in self.current.values()]


def get_store(obj, create: bool = False) -> SignatureStore | None:
    """The record's signature store.

    :param obj: a signable record
    :param create: create the store when missing (only when writing)
    :returns: the store, or None when nothing was ever signed and ``create`` is False
    """
    annotations = IAnnotations(obj)
    store = annotations.get(KEY)
    if store is None and create:
        store = annotations[KEY] = SignatureStore()
    return store
