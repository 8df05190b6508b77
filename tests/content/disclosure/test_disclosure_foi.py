"""FOI search, redactions and disclosure bundles disclose only fields the handler may read (#12)."""

import pytest
from plone import api

from links.content import disclosure
from links.content import words
from links.content.foi import api as foi
from links.content.foi.exceptions import InvalidRedaction

from .conftest import SENSITIVE
from .conftest import make_records


@pytest.fixture
def records(portal):
    return make_records(portal)


def _search(userid, text):
    with api.env.adopt_user(username=userid):
        return foi.find_held_information(text, words.today())


def test_search_does_not_look_into_fields_the_searcher_may_not_read(records):
    # Host staff handle FOI requests but may not read a member's sensitive interest.
    assert _search("staff", "Brother manages") == []
    [found] = _search("auditor", "Brother manages")
    assert found["uid"] == records["declaration"].UID() and found["fields"] == ["sensitive_details"]
    # The rest of the declaration is searchable for staff.
    assert [r["uid"] for r in _search("staff", "practice nurse")] == [records["declaration"].UID()]


def test_redaction_is_no_oracle_for_hidden_fields(records):
    declaration, request = records["declaration"], records["foi"]
    with api.env.adopt_user(username="staff"), pytest.raises(InvalidRedaction, match="that you may read"):
        foi.redact(request, declaration.UID(), 0, "sensitive_details", "Brother", "s40", "Third party.")
    with api.env.adopt_user(username="staff"):
        redaction = foi.redact(request, declaration.UID(), 0, "employment", "nurse", "s40", "Identifies.")
    assert redaction.field == "employment"


def test_bundle_leaves_out_fields_the_builder_may_not_read(records):
    declaration, request = records["declaration"], records["foi"]
    with api.env.adopt_user(username="staff"):
        item = foi._item(request, {"uid": declaration.UID(), "version": 0})
        manifest = foi.build_bundle(request, [{"uid": declaration.UID(), "version": 0}])
    assert "sensitive_details" not in item["fields"] and "employment" in item["fields"]
    assert manifest["items"][0]["uid"] == declaration.UID()
    text = _pdf_text(request.bundle.data)
    assert "Retired nurse" in text
    assert SENSITIVE not in text


def test_gate_answers_per_user(records):
    declaration = records["declaration"]
    assert "sensitive_details" in disclosure.readable_fields(declaration, api.user.get(userid="auditor"))
    assert "sensitive_details" not in disclosure.readable_fields(declaration, api.user.get(userid="staff"))
    assert disclosure.readable_fields(records["foi"], api.user.get(userid="member")) == frozenset()
    assert disclosure.may_read_free_text(records["foi"], api.user.get(userid="staff"))
    assert not disclosure.may_read_free_text(records["foi"], api.user.get(userid="auditor"))


def _pdf_text(pdf: bytes) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
