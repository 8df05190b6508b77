"""The signed transitional report travels in the handover archive: as a record with its signatures and
sealed PDF, and as the well-known member report/transitional-report.pdf named in the manifest; on the
successor its signatures and its PDF still verify."""

import json
import zipfile

import pytest
from plone import api
from zope.component.hooks import setSite

from links.policy.handover import api as handover
from links.policy.site import create_site


@pytest.fixture
def archive(source, tmp_path):
    path = tmp_path / "handover.zip"
    handover.export_archive(source, path)
    return path


def test_manifest_names_the_signed_report_and_round_trips(functional, source, archive):
    from links.content.keys.api import certificate_pem
    from links.content.signing import api as signing_api
    from links.content.signing.cli import verify_pdf

    report = source["transitional-report"]
    signed_bytes = bytes(signing_api.signed_pdf(report).data)
    manifest = handover.verify_archive(archive)
    entry = manifest["transitional_report"]
    assert entry["signed"] is True
    assert (entry["uid"], entry["path"], entry["review_state"]) == (
        report.UID(),
        "transitional-report",
        "signed_off",
    )
    assert (
        entry["signatures"] >= 4 and entry["version_sha256"] == signing_api.latest_signoff(report)["sha256"]
    )
    item = next(i for i in manifest["items"] if i["uid"] == report.UID())
    assert item["type"] == "TransitionalReport"
    with zipfile.ZipFile(archive) as zf:
        member = zf.read(entry["file"])
        record = json.loads(zf.read(f"items/{report.UID()}.json"))
    assert member == signed_bytes
    assert entry["sha256"] == manifest["files"][entry["file"]]
    assert record["fields"]["expenditure"].startswith("Staff salaries")

    app = functional["app"]
    target, created = create_site(app, site_id="successor-transitional", demo=False, title="Successor host")
    assert created
    setSite(target)
    handover.import_archive(target, archive, handover.verify_archive(archive)["public_key_sha256"])
    assert handover.compare(target, archive)["identical"]
    imported = target["transitional-report"]
    assert imported.UID() == report.UID()
    assert api.content.get_state(imported) == "signed_off"
    records = signing_api.signatures(imported)
    assert len(records) >= entry["signatures"]
    assert all(r["verification"] == {"seal_valid": True, "hash_matches": True} for r in records)
    pdf = bytes(signing_api.signed_pdf(imported).data)
    assert pdf == signed_bytes
    # The sealed PDF was signed with the outgoing host's certificate: it verifies against that one.
    with api.env.adopt_roles(["Manager"]):
        setSite(source)
        outgoing = certificate_pem()
    [result] = verify_pdf(pdf, outgoing)
    assert result["ok"] and result["intact"]
