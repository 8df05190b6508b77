"""Reading a confidential record through any channel writes a read-audit entry (#12)."""

import pytest

from links.content import words
from links.content.audit import readstore

#: Versions as they stand now (the end of today in England); a future date is refused.
TODAY = words.today().isoformat()


def _viewed(portal, uid):
    entries = readstore.read(portal.getId())
    return [e for e in entries if e.get("action") == "record.viewed" and e["uid"] == uid]


def test_search_with_full_objects_is_read_audited(records, session, functional_portal):
    complaint = records["complaint"]
    before = len(_viewed(functional_portal, complaint.UID()))
    response = session("officer").get("/@search", params={"portal_type": "Complaint", "fullobjects": 1})
    assert response.status_code == 200, response.text
    assert [item["UID"] for item in response.json()["items"]] == [complaint.UID()]
    entries = _viewed(functional_portal, complaint.UID())[before:]
    assert len(entries) == 1
    assert entries[0]["actor"] == "officer" and entries[0]["details"]["channel"] == "serializer"


def test_search_without_full_objects_reads_no_record(records, session, functional_portal):
    complaint = records["complaint"]
    before = len(_viewed(functional_portal, complaint.UID()))
    assert session("officer").get("/@search", params={"portal_type": "Complaint"}).status_code == 200
    assert len(_viewed(functional_portal, complaint.UID())) == before


@pytest.mark.parametrize("endpoint", ["", f"/@as-of?date={TODAY}", "/@history/0"])
def test_each_version_endpoint_is_read_audited_once(records, session, functional_portal, endpoint):
    request = records["foi"]
    before = len(_viewed(functional_portal, request.UID()))
    response = session("staff").get(f"/{request.getId()}{endpoint}")
    assert response.status_code == 200, response.text
    assert len(_viewed(functional_portal, request.UID())) == before + 1
