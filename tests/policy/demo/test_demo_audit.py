"""The demo site's whole audit trail verifies: the chain, and every version and signature it witnesses
(every record type, signed reports, the signed transitional report)."""

from links.content.audit import api as audit


def test_demo_trail_verifies_with_its_versions_and_signatures(functional):
    # The chain head kept outside the ZODB is per site id and every test layer's site is "plone": this
    # relies on tests/conftest.py giving each test its own LINKS_AUDIT_DIR.
    portal = functional["portal"]
    result = audit.verify(portal)
    assert result["ok"], result["records"].get("reason") or result
    assert result["records"]["versions"] > 20
    assert result["records"]["signatures"] >= 4
