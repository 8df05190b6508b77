"""Signed checkpoints and proofs over HTTP (#15): the public @audit-checkpoint, its page and key, checkpoints
made at exports and e-mailed to the witnesses after commit, and RFC 9162 inclusion and consistency proofs
for auditors that check against the published roots; bad parameters are 400, never 500."""

import hashlib
import json

import pytest
import transaction
from plone import api
from Products.CMFPlone.tests.utils import MockMailHost

from links.content import testing as links_testing
from links.content.audit import api as audit
from links.content.audit import merkle
from links.content.audit.checkpoints import SIGNED
from links.content.audit.checkpoints import check
from links.content.audit.checkpoints import message
from links.content.audit.storage import get_log
from links.content.integrity import key_fingerprint
from links.content.integrity import load_public_key
from links.content.roles import COUNCIL_AUDITOR
from links.content.roles import HOST_STAFF
from links.content.testing import add_users
from links.content.timestamps.api import check_token

PASSWORD = "secret-password-1"


SENT: list = []


class RecordingMailHost(MockMailHost):
    """Records in memory: the witnesses' mail leaves after the commit, when no object may change (module
    level: the site holds it, and savepoints pickle the site)."""

    def send(self, messageText, mto=None, mfrom=None, subject=None, encode=None, immediate=False, **kw):  # noqa: N803
        SENT.append((mto, messageText.as_string() if hasattr(messageText, "as_string") else messageText))


@pytest.fixture
def site(functional_portal):
    portal = functional_portal
    with api.env.adopt_roles(["Manager"]):
        add_users(portal, {"auditor": [COUNCIL_AUDITOR], "staff": [HOST_STAFF]}, PASSWORD)
        for number in range(5):
            api.content.create(container=portal, type="Document", id=f"minutes-{number}", title="Minutes")
    transaction.commit()
    return portal


@pytest.fixture
def mailhost(site):
    links_testing.install_mailhost(site, RecordingMailHost("MailHost"))
    api.portal.set_registry_record("links.content.audit.witnesses", ["auditor", "keeper@example.org"])
    transaction.commit()
    SENT.clear()
    return SENT


def _sign(site) -> dict:
    transaction.begin()
    checkpoint = audit.checkpoint(site)
    transaction.commit()
    return checkpoint


def _public_key(request_factory):
    response = request_factory(api=False).get("/@@audit-public-key")
    assert response.status_code == 200 and response.text.startswith("-----BEGIN PUBLIC KEY-----")
    return load_public_key(response.content)


def test_checkpoint_is_public_signed_and_names_its_key(site, request_factory, mailhost):
    anonymous = request_factory()
    assert anonymous.get("/@audit-checkpoint").status_code in (200, 404)  # whatever the layer left
    first = _sign(site)
    response = anonymous.get("/@audit-checkpoint")
    assert response.status_code == 200, response.text
    published = response.json()
    # The layer's site has a (local, real) TSA: the checkpoint carries its token over the signed message.
    assert set(published) == {*SIGNED, "signature", "timestamp_token"}
    assert published == first
    tsa_root = api.portal.get_registry_record("links.content.timestamps.trusted_certificates")
    stamp = check_token(published["timestamp_token"], hashlib.sha256(message(published)).digest(), tsa_root)
    assert stamp["ok"] and stamp["trusted"]
    key = _public_key(request_factory)
    assert published["key_fingerprint"] == key_fingerprint(key)
    assert check(published, key)
    key.verify(bytes.fromhex(published["signature"]), message(published))
    assert not check(dict(published, root_hash="0" * 64), key)
    assert not check(dict(published, size=published["size"] - 1), key)

    # The root is the RFC 9162 root of the exported entries' bodies.
    auditor = request_factory(basic_auth=("auditor", PASSWORD))
    lines = auditor.get("/@audit-export", params={"format": "jsonl"}).text.splitlines()
    bodies = [audit_body(line) for line in lines[: published["size"]]]
    assert merkle.reference_root([merkle.leaf_hash(b) for b in bodies]).hex() == published["root_hash"]

    # The export itself signed a newer checkpoint; the first stays available by its size.
    transaction.begin()
    newest = anonymous.get("/@audit-checkpoint").json()
    assert newest["size"] == get_log(site).last_seq
    assert anonymous.get("/@audit-checkpoint", params={"size": first["size"]}).json() == first


def audit_body(line: str) -> str:
    from links.content.audit.encoding import canonical

    return canonical(json.loads(line))


def test_checkpoints_are_mailed_to_the_witnesses_after_commit(site, mailhost):
    transaction.begin()
    checkpoint = audit.checkpoint(site)
    assert checkpoint and mailhost == []  # nothing leaves before the commit
    transaction.abort()
    assert mailhost == []  # nor when the transaction does not commit
    checkpoint = _sign(site)
    assert sorted(to for to, _raw in mailhost) == ["auditor@example.org", "keeper@example.org"]
    body = mailhost[0][1]
    assert json.dumps(checkpoint, sort_keys=True, separators=(",", ":")) in body


@pytest.mark.parametrize(
    ("params", "status"),
    [({"size": "ten"}, 400), ({"size": "0"}, 400), ({"size": "-3"}, 400), ({"size": "99999999"}, 404)],
)
def test_bad_checkpoint_requests(site, request_factory, params, status):
    _sign(site)
    response = request_factory().get("/@audit-checkpoint", params=params)
    assert response.status_code == status, response.text
    assert response.json()["message"]


def test_public_page_links_the_checkpoint_and_key(site, request_factory):
    checkpoint = _sign(site)
    page = request_factory(api=False).get("/@@audit-checkpoints")
    assert page.status_code == 200
    assert checkpoint["root_hash"] in page.text and "@audit-checkpoint" in page.text
    assert "@@audit-public-key" in page.text
    front = request_factory(api=False).get("/minutes-0/@@view")
    assert "@@audit-checkpoints" in front.text  # the site action, on every public page


def test_inclusion_proofs_check_against_the_published_root(site, request_factory):
    old = _sign(site)
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=site, type="Document", id="later", title="Later")
    transaction.commit()
    new = _sign(site)
    auditor = request_factory(basic_auth=("auditor", PASSWORD))
    export = auditor.get("/@audit-export", params={"format": "jsonl"}).text.splitlines()
    for seq in (1, old["size"] // 2, old["size"]):
        for checkpoint in (old, new):
            response = auditor.get("/@audit-proof", params={"seq": seq, "size": checkpoint["size"]})
            assert response.status_code == 200, response.text
            proof = response.json()
            assert proof["leaf_index"] == seq - 1 and proof["tree_size"] == checkpoint["size"]
            leaf = merkle.leaf_hash(audit_body(export[seq - 1]))
            assert proof["leaf_hash"] == leaf.hex()
            path = [bytes.fromhex(h) for h in proof["audit_path"]]
            root = bytes.fromhex(checkpoint["root_hash"])
            assert merkle.verify_inclusion(leaf, seq - 1, checkpoint["size"], path, root)

    response = auditor.get("/@audit-consistency", params={"from": old["size"], "to": new["size"]})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["first"], answer["second"]) == (old["size"], new["size"])
    assert merkle.verify_consistency(
        old["size"],
        new["size"],
        [bytes.fromhex(h) for h in answer["proof"]],
        bytes.fromhex(old["root_hash"]),
        bytes.fromhex(new["root_hash"]),
    )


@pytest.mark.parametrize(
    ("endpoint", "params", "message"),
    [
        ("@audit-proof", {}, "required"),
        ("@audit-proof", {"seq": "x"}, "whole number"),
        ("@audit-proof", {"seq": "0"}, "between"),
        ("@audit-proof", {"seq": "99999999"}, "between"),
        ("@audit-proof", {"seq": "3", "size": "2"}, "greater"),
        ("@audit-proof", {"seq": "1", "size": "99999999"}, "between"),
        ("@audit-proof", {"seq": "1", "size": "1.5"}, "whole number"),
        ("@audit-consistency", {}, "required"),
        ("@audit-consistency", {"from": "0"}, "between"),
        ("@audit-consistency", {"from": "4", "to": "3"}, "greater"),
        ("@audit-consistency", {"from": "1", "to": "99999999"}, "between"),
        ("@audit-consistency", {"from": "one"}, "whole number"),
    ],
)
def test_bad_proof_parameters_are_400(site, request_factory, endpoint, params, message):
    response = request_factory(basic_auth=("auditor", PASSWORD)).get(f"/{endpoint}", params=params)
    assert response.status_code == 400, response.text
    assert message in response.json()["message"]


@pytest.mark.parametrize("who", [None, ("staff", PASSWORD)])
@pytest.mark.parametrize("endpoint", ["@audit-proof", "@audit-consistency"])
def test_proofs_are_for_auditors_only(site, request_factory, who, endpoint):
    client = request_factory(basic_auth=who) if who else request_factory()
    response = client.get(f"/{endpoint}", params={"seq": 1, "from": 1})
    assert response.status_code in (401, 403)
