"""The record of issue: every path that issues a PDF records its SHA-256 (audit trail and index), and puts
the verification mark (line and QR code, one link) on every page."""

import re
import subprocess
from datetime import date

from plone import api

from links.content.audit import api as audit
from links.content.audit.api import iter_entries
from links.content.integrity import sha256_hex
from links.content.signing import api as signing
from links.content.verify import issued

from .conftest import advance


def _pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return re.sub(r"\s+", " ", result.stdout.decode())


def _link_uris(data: bytes) -> set[str]:
    """The URIs of the link annotations on every page."""
    from io import BytesIO

    from pypdf import PdfReader

    uris = set()
    for page in PdfReader(BytesIO(data)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                uris.add(str(action["/URI"]))
    return uris


def _tagged_link_count(data: bytes) -> int:
    """Link elements in the PDF's structure tree (what a screen reader announces as a link)."""
    from io import BytesIO

    from pypdf import PdfReader

    count, todo = 0, [PdfReader(BytesIO(data)).trailer["/Root"]["/StructTreeRoot"]]
    while todo:
        node = todo.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            count += node.get("/S") == "/Link"
            if "/K" in node:
                todo.append(node["/K"])
        elif isinstance(node, list):
            todo.extend(node)
    return count


def _issued_entries(action="pdf.issued") -> list[dict]:
    audit.chain_now()
    return [e for e in iter_entries() if e["action"] == action]


def _assert_recorded(data: bytes, obj, kind: str) -> dict:
    sha256 = sha256_hex(data)
    entry, how = issued.lookup(sha256)
    assert how == "file" and entry["kind"] == kind and entry["uid"] == obj.UID()
    assert issued.lookup(entry["issue_id"]) == (entry, "issue")
    [logged] = [e for e in _issued_entries() if e["details"]["sha256"] == sha256]
    assert logged["uid"] == obj.UID() and logged["details"]["issue_id"] == entry["issue_id"]
    assert logged["details"]["kind"] == kind
    text = _pdf_text(data)
    assert "Check this document" in text and entry["issue_id"] in text
    url = f"{api.portal.get().absolute_url()}/@@verify?sha256={entry['issue_id']}"
    assert url in _link_uris(data)
    assert url in text.replace(" ", "")  # printed in full in the closing sentence
    assert _tagged_link_count(data) >= 1  # that sentence's link is tagged for screen readers
    return entry


def test_signoff_records_the_sealed_pdf(record, signer):
    api.portal.set_registry_record(signing.QUORUM_RECORD, "2")
    signer(record, "gbm1")
    signer(record, "gbm2")
    signoff = signing.latest_signoff(record)
    data = bytes(signoff["pdf"].data)
    entry = _assert_recorded(data, record, "signed-record")
    assert entry["version_id"] == signoff["version_id"] and entry["record_sha256"] == signoff["sha256"]
    assert signoff["pdf_sha256"] == entry["sha256"] and signoff["issue_id"] == entry["issue_id"]
    assert issued.issues_of(record.UID()) == [entry]


def test_complaint_letter_is_recorded(new_complaint):
    complaint = advance(new_complaint(), "closed")
    _assert_recorded(bytes(complaint.response_letter.data), complaint, "complaint-letter")


def test_disclosure_bundle_is_recorded(new_request, foi_folder):
    with api.env.adopt_roles(["Manager"]):
        held = api.content.create(
            container=foi_folder, type="InformationRequest", title="Staffing", addressee="Elm House",
            addressee_kind="provider", questions="How many night staff?",
        )  # fmt: skip
    request = new_request(received=date.today())
    from links.content.foi import api as foi

    with api.env.adopt_user(username="staff"):
        foi.build_bundle(request, [{"uid": held.UID()}])
    _assert_recorded(bytes(request.bundle.data), request, "foi-bundle")


def test_unknown_file_and_unknown_id_are_not_found(portal):
    assert issued.lookup("0" * 64) == (None, None)
