"""The verification service answers, for a file or a SHA-256: genuine, altered, re-saved without its
signature, superseded, signed with a foreign key, withdrawn; and for confidential letters, to someone who
may not see them, only "genuine, issued on <date>"."""

import hashlib
import json

import pytest
from plone import api
from plone.app.testing import logout

from links.content.integrity import sha256_hex
from links.content.verify import api as verify
from links.content.verify import issued
from links.content.verify.exceptions import InvalidInput
from links.content.words import format_date

from .cases import altered
from .cases import foreign
from .cases import resaved
from .cases import signed_off
from .conftest import advance


@pytest.fixture
def genuine(record, signer):
    return signed_off(record, signer)


def test_genuine_file_names_record_version_signers_and_seal(record, genuine):
    answer = verify.check_file(genuine)
    assert answer["verdict"] == "genuine" and answer["issued"] is True
    assert answer["headline"].startswith(
        "Genuine: this is exactly the enter and view report “Visit to Elm House”"
    )
    document = answer["document"]
    assert (
        document["version_id"] == 0
        and document["record_sha256"] == issued.lookup(sha256_hex(genuine))[0]["record_sha256"]
    )
    assert [(s["name"], s["meaning"], s["seal_valid"]) for s in answer["signers"]] == [
        ("Member 1 Name", "approved", True),
        ("Member 2 Name", "approved", True),
    ]
    assert all(s["key"] == "this network's key" for s in answer["signers"])
    [seal] = answer["signatures"]
    assert seal["valid"] and seal["trusted"] and seal["key"] == "this network's certificate"
    assert seal["timestamp"]["tsa"]  # the layer's RFC 3161 authority dated it
    assert answer["superseded"] is None and answer["withdrawn"] is None


def test_genuine_by_hash_and_by_issue_id(genuine):
    sha256 = sha256_hex(genuine)
    assert verify.check_hash(sha256.upper())["verdict"] == "genuine"
    entry, _ = issued.lookup(sha256)
    by_link = verify.check_hash(entry["issue_id"])
    assert by_link["verdict"] == "issue-found" and by_link["issued"] is False
    assert "upload the file" in by_link["headline"]


def test_one_changed_byte_is_not_the_document_issued(genuine):
    answer = verify.check_file(altered(genuine))
    assert answer["verdict"] == "altered" and answer["issued"] is False
    assert answer["headline"].startswith(verify.NOT_ISSUED)


def test_resaved_copy_without_signature_is_not_the_file_issued_but_named(genuine):
    copy = resaved(genuine)
    answer = verify.check_file(copy)
    assert answer["verdict"] == "resaved" and answer["headline"] == verify.NOT_ISSUED
    assert answer["issue_id"] == issued.lookup(sha256_hex(genuine))[0]["issue_id"]
    assert "re-saved" in answer["notes"][0]
    assert verify.check_hash(sha256_hex(copy))["verdict"] == "not-issued"


def test_later_issue_supersedes(record, genuine):
    later = b"%PDF-1.7 a later version"
    issued.record_issue(later, record, "signed-record", issued.new_issue_id(), 1, "f" * 64)
    answer = verify.check_file(genuine)
    assert answer["verdict"] == "superseded" and answer["issued"] is True
    assert "(version 1)" in answer["superseded"]["text"]


def test_foreign_key_is_not_the_networks(portal):
    answer = verify.check_file(foreign())
    assert answer["verdict"] == "foreign" and answer["headline"].startswith(verify.NOT_ISSUED)
    assert "Another Network" in answer["notes"][0]


def test_earlier_hosts_pdf_in_the_record_of_issue_is_genuine(record):
    """After a handover the record of issue holds the earlier host's PDFs, sealed with its certificate."""
    data = foreign("earlier-host")
    assert verify.check_file(data)["verdict"] == "foreign"
    issued.record_issue(data, record, "signed-record", issued.new_issue_id(), 0, "d" * 64)
    answer = verify.check_file(data)
    assert answer["verdict"] == "genuine"
    [seal] = answer["signatures"]
    assert seal["valid"] and seal["key"] == "the certificate of an earlier host of this network"


def test_withdrawn_record_and_withdrawn_issue(record, genuine):
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(record, "withdraw")
    answer = verify.check_file(genuine)
    assert answer["verdict"] == "withdrawn" and "withdrawn" in answer["withdrawn"]["text"]
    issued.withdraw(sha256_hex(genuine), "Issued in error.")
    assert "Issued in error." in verify.check_file(genuine)["withdrawn"]["text"]


def test_confidential_letter_tells_anonymous_only_that_it_is_genuine(new_complaint):
    complaint = advance(new_complaint(), "closed")
    data = bytes(complaint.response_letter.data)
    with api.env.adopt_roles(["Manager"]):
        full = verify.check_file(data)
    assert full["document"]["title"] == complaint.Title()
    when = full["document"]["issued"]
    logout()
    answer = verify.check_file(data)
    assert answer == {
        "sha256": sha256_hex(data),
        "looked_up": "file",
        "verdict": "genuine",
        "issued": True,
        "headline": f"Genuine: issued by {api.portal.get().Title()} on {format_date(when)}.",
        "document": {"issued": full["document"]["issued"], "issued_text": full["document"]["issued_text"]},
    }
    assert complaint.Title() not in str(verify.check_file(resaved(data)))


@pytest.mark.parametrize("junk", [b"", b"not a pdf", b"%PDF-1.7\n garbage", b"%PDF-" + b"\x00" * 5000])
def test_anything_else_is_not_issued_never_an_error(portal, junk):
    answer = verify.check_file(junk)
    assert answer["verdict"] == "not-issued" and answer["headline"] == verify.NOT_ISSUED


@pytest.mark.parametrize("value", ["", "abc", "g" * 64, "0" * 63, None, 42])
def test_malformed_sha256_is_refused(portal, value):
    with pytest.raises(InvalidInput):
        verify.check_hash(value)


def test_checkpoint_signed_with_a_trusted_earlier_key(portal):
    """A checkpoint sealed before a handover or rotation checks against the key the site trusts for it."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from links.content.audit import api as audit
    from links.content.audit.checkpoints import seal_head
    from links.content.audit.storage import get_log
    from links.content.keys.api import trust_predecessor_key

    audit.record("test.entry", None, {})
    audit.chain_now()
    earlier = Ed25519PrivateKey.generate()
    checkpoint = seal_head(get_log(portal), key=earlier)
    text = json.dumps(checkpoint)
    assert verify.check_checkpoint(text)["signature_valid"] is False
    pem = earlier.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    der = earlier.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    fingerprint = trust_predecessor_key(pem, expected_fingerprint=hashlib.sha256(der).hexdigest())
    answer = verify.check_checkpoint(text)
    assert answer["ok"] is True and fingerprint in answer["notes"][0]
