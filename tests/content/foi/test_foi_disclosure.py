"""Held-information search at the request date, redactions, the signed disclosure bundle and the
disclosure log."""

import json
import subprocess
from datetime import date

import pytest
from DateTime import DateTime
from plone import api

from links.content.foi import api as foi
from links.content.foi.exceptions import InvalidRedaction
from links.content.foi.exceptions import InvalidSelection
from links.content.history import api as history
from links.content.integrity import verify_seal
from links.content.keys import api as keys

from .conftest import answer


@pytest.fixture
def records(foi_folder, version_clock):
    """Two information requests saved on 1 October 2026; one is edited on 20 November."""
    version_clock.set(2026, 10, 1, 9, 0)
    with api.env.adopt_roles(["Manager"]):
        first = api.content.create(
            container=foi_folder,
            type="InformationRequest",
            title="Discharge delays",
            addressee="Northbridge General Hospital",
            addressee_kind="provider",
            questions="Why was Mr Arthur Penhaligon kept waiting for discharge from Ward 7?",
        )
        second = api.content.create(
            container=foi_folder,
            type="InformationRequest",
            title="Staffing levels",
            addressee="Elm House",
            addressee_kind="provider",
            questions="How many night staff are on duty at Elm House?",
        )
        for obj in (first, second):
            obj.creation_date = DateTime("2026-10-01T09:00:00+00:00")
            obj.setModificationDate(DateTime("2026-10-01T09:00:00+00:00"))
            obj.reindexObject()
        version_clock.set(2026, 11, 20, 10, 0)
        first.questions = "Why are patients kept waiting for discharge?"
        history.save(first, "Name removed")
        # The catalog's "modified" must say the record changed after the request date.
        first.setModificationDate(DateTime("2026-11-20T10:00:00+00:00"))
        first.reindexObject()
    return first, second


def test_search_finds_text_as_it_was_on_the_request_date(new_request, records):
    first, second = records
    request = new_request(received=date(2026, 11, 2))
    with api.env.adopt_user(username="staff"):
        found = foi.find_held_information("Penhaligon", request.received)
        assert [(f["uid"], f["version"]) for f in found] == [(first.UID(), 0)]
        assert found[0]["fields"] == ["questions"]
        # Today the name is gone, so a search as of today finds nothing.
        assert foi.find_held_information("Penhaligon", date.today()) == []
        # Text added after the request date is not held information at that date.
        assert foi.find_held_information("patients", request.received) == []
        assert {f["uid"] for f in foi.find_held_information("staff duty", request.received)} == {second.UID()}


def test_search_before_a_record_existed_finds_nothing(foi_folder, records):
    with api.env.adopt_user(username="staff"):
        assert foi.find_held_information("Elm House", date(2026, 9, 1)) == []


def test_search_refuses_unknown_types(foi_folder, records):
    with pytest.raises(ValueError, match="Unknown record type"):
        foi.find_held_information("Elm", date(2026, 11, 2), portal_types=["Nonsense"])


def test_redaction_is_a_versioned_record_and_the_original_is_untouched(new_request, records):
    first, _ = records
    request = new_request()
    with api.env.adopt_user(username="staff"):
        redaction = foi.redact(
            request,
            first.UID(),
            0,
            "questions",
            "Mr Arthur Penhaligon",
            "s40",
            "Names a patient; disclosure would breach data protection principles.",
        )
    assert redaction.portal_type == "Redaction"
    assert redaction.redacted_by == "staff" and redaction.redacted_at is not None
    assert redaction.exemption == "s40" and redaction.target_version == 0
    with api.env.adopt_roles(["Manager"]):  # the test user may not view the records' versions
        assert len(history.versions(redaction)) >= 1
        assert "Penhaligon" in history.fields(first, 0)["questions"]["value"]


@pytest.mark.parametrize(
    "change,message",
    [
        ({"text": "Somebody Else"}, "does not occur"),
        ({"field": "nonsense"}, "has no field"),
        ({"version": 9}, "does not exist"),
        ({"exemption": "s99"}, "Unknown exemption"),
        ({"reason": " "}, "reason"),
        ({"target": "no-such-uid"}, "no record"),
    ],
)
def test_bad_redactions_are_refused(new_request, records, change, message):
    first, _ = records
    request = new_request()
    args = {
        "target": first.UID(),
        "version": 0,
        "field": "questions",
        "text": "Mr Arthur Penhaligon",
        "exemption": "s40",
        "reason": "Personal data.",
    }
    args.update(change)
    with api.env.adopt_user(username="staff"), pytest.raises(InvalidRedaction, match=message):
        foi.redact(request, **args)
    assert foi.redactions(request) == []


def _text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_bundle_is_one_signed_pdf_with_redactions_and_a_sealed_manifest(new_request, records, tmp_path):
    first, second = records
    request = new_request(received=date(2026, 11, 2))
    with api.env.adopt_user(username="staff"):
        foi.redact(request, first.UID(), 0, "questions", "Mr Arthur Penhaligon", "s40", "Names a patient.")
        manifest = foi.build_bundle(request, [{"uid": first.UID()}, {"uid": second.UID(), "version": 0}])
    assert [(i["uid"], i["version"]) for i in manifest["items"]] == [(first.UID(), 0), (second.UID(), 0)]
    assert all(len(i["sha256"]) == 64 for i in manifest["items"])
    assert manifest["items"][0]["redactions"][0]["exemption"] == "s40"
    assert verify_seal(manifest, keys.public_key())
    # The sha256 is recomputable from the version's fields.
    with api.env.adopt_user(username="staff"):  # as the builder reads them
        fields = {n: d["value"] for n, d in history.fields(first, 0).items()}
    document = {"type": "InformationRequest", "uid": first.UID(), "version": 0, "fields": fields}
    assert foi.content_sha256(document) == manifest["items"][0]["sha256"]
    pdf = request.bundle.data
    assert pdf.startswith(b"%PDF") and b"/ByteRange" in pdf
    text = _text(pdf)
    assert "Penhaligon" not in text
    assert "[Redacted: s.40 FOIA: personal data]" in text
    assert "How many night staff" in text
    assert manifest["items"][0]["sha256"][:16] in text
    path = tmp_path / "bundle.pdf"
    path.write_bytes(pdf)
    sig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    assert "Signature is Valid" in sig.stdout, sig.stdout
    assert foi.bundle_manifest(request)["seal"] == manifest["seal"]
    # The original record is untouched.
    with api.env.adopt_user(username="staff"):
        assert "Penhaligon" in history.fields(first, 0)["questions"]["value"]


def test_tampered_manifest_fails_its_seal(new_request, records):
    first, _ = records
    request = new_request(received=date(2026, 11, 2))
    with api.env.adopt_user(username="staff"):
        manifest = foi.build_bundle(request, [{"uid": first.UID()}])
    manifest["items"][0]["version"] = 1
    assert not verify_seal(manifest, keys.public_key())


def test_bundle_refuses_records_that_did_not_exist_at_receipt(new_request, records):
    first, _ = records
    request = new_request(received=date(2026, 9, 1))
    with api.env.adopt_user(username="staff"), pytest.raises(InvalidSelection, match="did not exist"):
        foi.build_bundle(request, [{"uid": first.UID()}])
    assert request.bundle is None


def test_disclosure_log_lists_answered_requests_without_requesters(new_request):
    open_request = new_request(summary="Still being handled")
    answered = answer(
        new_request(summary="Complaints statistics 2025"),
        outcome="part-disclosed",
        exemptions=["s40"],
        refusal_reasons="Some figures would identify individuals.",
    )
    total, entries = foi.disclosure_log()
    assert total == 1
    [entry] = entries
    assert entry["reference"] == answered.reference
    assert entry["summary"] == "Complaints statistics 2025"
    assert entry["exemptions"] == ["s.40 FOIA: personal data"]
    dumped = json.dumps(entries)
    assert "Brenda" not in dumped and "brenda@example.org" not in dumped
    assert open_request.reference not in dumped
