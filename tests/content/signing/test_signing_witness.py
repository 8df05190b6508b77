"""Signatures are witnessed by their audit entries: verification names the entry of a signature that was
altered or removed at ZODB level, and checks versions witnessed the same way (links.content.audit.witness)."""

from links.content.audit import api as audit
from links.content.audit.storage import get_log
from links.content.audit.witness import verify_records
from links.content.audit.witness import witness
from links.content.signing import api as signing
from links.content.signing.storage import get_store


def _signed(portal, record, passwords):
    signature = signing.sign(record, "gbm1", passwords("gbm1"), "approve", request=record.REQUEST)
    witness(record)  # what the before-commit hook does when a request commits
    audit.chain_now(portal)
    entry = next(
        e
        for e in audit.entries(audit.parse_filters({"action": "signature.added"}), limit=100, site=portal)[1]
        if e["uid"] == record.UID()
    )
    return signature, entry


def test_intact_signatures_and_versions_verify(portal, record, passwords):
    _signed(portal, record, passwords)
    result = verify_records(get_log(portal))
    assert result["ok"], result
    assert result["signatures"] == 1 and result["versions"] >= 1


def test_an_altered_signature_is_named(portal, record, passwords):
    signature, entry = _signed(portal, record, passwords)
    store = get_store(record)
    store.signatures[signature["seq"]] = dict(signature, signer="gbm2")
    result = verify_records(get_log(portal))
    assert not result["ok"] and result["broken_seq"] == entry["seq"]
    assert "differs from entry" in result["reason"]


def test_a_forged_seal_is_named(portal, record, passwords):
    signature, entry = _signed(portal, record, passwords)
    get_store(record).signatures[signature["seq"]] = dict(signature, reason="changed after sealing")
    result = verify_records(get_log(portal))
    assert not result["ok"] and result["broken_seq"] == entry["seq"]
    assert "seal" in result["reason"]


def test_a_removed_signature_is_named(portal, record, passwords):
    signature, entry = _signed(portal, record, passwords)
    del get_store(record).signatures[signature["seq"]]
    result = verify_records(get_log(portal))
    assert not result["ok"] and result["broken_seq"] == entry["seq"]
    assert "has been removed" in result["reason"]
