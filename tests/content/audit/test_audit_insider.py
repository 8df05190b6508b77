"""Tests that play the insider (#15): someone with shell access to the host rewrites, cuts or drops the trail,
re-hashes what they changed, rewrites zodb-head.json and even re-signs the stored checkpoints with the
site's own key. `links-verify log`, run by a witness with a checkpoint kept outside the host, names every
such attack; the site's own verification names what it can and says what it cannot prove."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from plone import api
from zope.annotation.interfaces import IAnnotations
from zope.interface import alsoProvides

from links.content.audit import api as audit
from links.content.audit import merkle
from links.content.audit import readstore
from links.content.audit.checkpoints import make
from links.content.audit.cli import log as links_verify_log
from links.content.audit.encoding import GENESIS
from links.content.audit.encoding import canonical
from links.content.audit.storage import ANNOTATION_KEY
from links.content.audit.storage import get_log
from links.content.audit.storage import rebuild_merkle
from links.content.integrity import decode
from links.content.integrity import encode
from links.content.integrity import sha256_hex
from links.content.interfaces import IConfidentialRecord
from links.content.keys.api import public_key_pem


@pytest.fixture
def site(portal, tmp_path, monkeypatch):
    monkeypatch.setenv("LINKS_AUDIT_DIR", str(tmp_path / "audit"))
    with api.env.adopt_roles(["Manager"]):
        for number in range(6):
            doc = api.content.create(
                container=portal, type="Document", id=f"doc-{number}", title=f"Doc {number}"
            )
            if number == 0:
                alsoProvides(doc, IConfidentialRecord)
    audit.chain_now(portal)
    return portal


class Witness:
    """What a council auditor keeps outside the host: the key, the checkpoints, copies of the trail."""

    def __init__(self, site, folder: Path):
        self.site, self.folder = site, folder
        folder.mkdir(exist_ok=True)
        self.key = folder / "key.pem"
        self.key.write_bytes(public_key_pem(site.getId()))
        self.count = 0

    def keep_checkpoint(self) -> Path:
        checkpoint = audit.checkpoint(self.site)
        self.count += 1
        path = self.folder / f"checkpoint-{self.count}.json"
        path.write_text(json.dumps(checkpoint))
        return path

    def export(self) -> Path:
        path = self.folder / "trail.jsonl"
        path.write_text("".join(audit.export_jsonl(log=get_log(self.site))))
        return path

    def reads_copy(self) -> Path:
        target = self.folder / "reads"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(readstore.audit_path(self.site.getId()), target)
        return target

    def verify(self, *args, checkpoint=None, capsys=None) -> tuple[int, str]:
        argv = [*args, "--checkpoint", str(checkpoint), "--public-key", str(self.key)]
        status = links_verify_log(argv)
        return status, capsys.readouterr().out if capsys else ""


@pytest.fixture
def witness(site, tmp_path):
    return Witness(site, tmp_path / "witness")


def _read(site, count=3):
    doc = site["doc-0"]
    for _ in range(count):
        audit.record_read("record.viewed", doc, {"view": "view"})


def _rewrite_from(log, seq, change):
    """The insider's rewrite: change entry ``seq``, re-hash every later entry, move the head, rebuild the
    Merkle tree, re-sign every stored checkpoint with the site's key and rewrite zodb-head.json."""
    prev = log.entries[seq - 1][1] if seq > 1 else GENESIS
    for number in range(seq, log.last_seq + 1):
        entry = decode(log.entries[number][0])
        if number == seq:
            change(entry)
        entry["prev_hash"] = prev
        body = canonical(entry)
        prev = sha256_hex(body)
        log.entries[number] = (body, prev)
    log.last_hash = prev
    _cover_tracks(log)


def _cover_tracks(log):
    rebuild_merkle(log)
    for size in list(log.checkpoints.keys()):
        del log.checkpoints[size]
    make(log, stamp=False)
    head = readstore.audit_dir(log.site_id) / "zodb-head.json"
    head.write_text(encode({"seq": log.last_seq, "hash": log.last_hash}))


def _cut_tail(log, keep):
    for number in range(keep + 1, log.last_seq + 1):
        del log.entries[number]
    for shard in log.shards.values():  # the indexes too, as a careful insider would
        for name in ("by_uid", "by_actor", "by_action", "by_type", "by_day"):
            for seqs in getattr(shard, name).values():
                for number in [s for s in seqs if s > keep]:
                    seqs.remove(number)
    log.last_seq, log.last_hash = keep, log.entries[keep][1]
    _cover_tracks(log)


def test_an_untouched_trail_verifies(site, witness, capsys):
    _read(site)
    checkpoint = witness.keep_checkpoint()
    status, out = witness.verify(
        str(witness.export()), "--reads", str(witness.reads_copy()), checkpoint=checkpoint, capsys=capsys
    )
    assert status == 0, out
    assert "VERIFIED" in out and "read-event files: OK, 3 entries" in out
    assert audit.verify(site)["ok"]


def test_rewritten_and_rehashed_history_is_named(site, witness, capsys):
    kept = witness.keep_checkpoint()
    log = get_log(site)
    _rewrite_from(log, 3, lambda entry: entry.update(actor="someone-else"))
    assert audit.verify(site)["zodb"]["ok"]  # the host's own evidence was rewritten consistently
    status, out = witness.verify(str(witness.export()), checkpoint=kept, capsys=capsys)
    assert status == 1
    assert "do not have the signed root (rewritten, replaced or re-hashed history)" in out


def test_a_tail_cut_consistently_is_named(site, witness, capsys):
    kept = witness.keep_checkpoint()
    log = get_log(site)
    _cut_tail(log, log.last_seq - 3)
    result = audit.verify(site)  # no KeyError, no 500: the host sees a consistent, shorter trail
    assert result["zodb"]["ok"] or result["zodb"]["reason"]
    status, out = witness.verify(str(witness.export()), checkpoint=kept, capsys=capsys)
    assert status == 1
    assert f"holds only {log.last_seq} verifiable entries (entries cut from the end" in out


def test_a_cut_that_leaves_the_indexes_is_named_by_the_site(site):
    log = get_log(site)
    keep = log.last_seq - 2
    for number in range(keep + 1, log.last_seq + 1):
        del log.entries[number]
    log.last_seq, log.last_hash = keep, log.entries[keep][1]
    result = audit.verify(site)
    assert not result["ok"]
    assert "entries cut from the end of the chain" in result["zodb"]["reason"]


def test_a_dropped_log_is_named(site, witness, capsys):
    kept = witness.keep_checkpoint()
    del IAnnotations(site)[ANNOTATION_KEY]
    result = audit.verify(site)
    assert not result["ok"] and "the audit log is missing" in result["zodb"]["reason"]
    status, out = witness.verify(str(witness.export_empty()), checkpoint=kept, capsys=capsys)
    assert status == 1 and "holds only 0 verifiable entries" in out


def _export_empty(self):
    path = self.folder / "trail.jsonl"
    log = get_log(self.site)
    path.write_text("".join(audit.export_jsonl(log=log)) if log is not None else "")
    return path


Witness.export_empty = _export_empty


@pytest.mark.parametrize("attack", ["truncate", "delete-day", "delete-all", "rehash"])
def test_read_event_attacks_are_named(site, witness, capsys, attack):
    _read(site, 4)
    kept = witness.keep_checkpoint()  # the checkpoint chains an anchor of the read-event head first
    folder = readstore.audit_path(site.getId())
    [day] = readstore.files(folder)
    lines = day.read_text().splitlines(keepends=True)
    if attack == "truncate":
        day.write_text("".join(lines[:-1]))
    elif attack in ("delete-day", "delete-all"):
        for path in readstore.files(folder):
            path.unlink()
    else:  # rewrite the last entry and re-hash it: a consistent chain, but not the anchored one
        entry = decode(lines[-1])
        entry["actor"] = "nobody"
        entry["hash"] = sha256_hex(canonical(entry))
        day.write_text("".join(lines[:-1]) + encode(entry) + "\n")
    result = audit.verify(site)
    assert not result["ok"] and not result["files"]["ok"]
    reason = result["files"]["reason"]
    expected = "rewritten and re-hashed" if attack == "rehash" else "the tail was cut, or day files deleted"
    assert expected in reason and "anchored by ZODB entry" in reason
    status, out = witness.verify(
        str(witness.export()), "--reads", str(witness.reads_copy()), checkpoint=kept, capsys=capsys
    )
    assert status == 1 and expected in out


def test_anchors_follow_each_chained_batch(site):
    log = get_log(site)
    _read(site, 2)
    audit.chain_now(site)
    anchor = decode(log.entries[log.last_seq][0])
    assert anchor["action"] == "reads.anchored"
    assert anchor["details"]["heads"] == {"": readstore.heads(site.getId())[""]}
    assert anchor["details"]["heads"][""]["seq"] == 2
    before = log.last_seq
    audit.chain_now(site)  # nothing moved: no new anchor
    assert log.last_seq == before


def test_a_deleted_witness_entry_is_named(site, witness, capsys):
    """Removing a version's witness entry means rewriting the chain after it: the outside root names it."""
    kept = witness.keep_checkpoint()
    log = get_log(site)
    witnesses = sorted(log.matching({"action": "version.saved"}) or ())
    assert witnesses, "the documents' versions are witnessed"
    victim = witnesses[0]
    entries = [decode(body) for _seq, (body, _h) in log.entries.items() if _seq != victim]
    for number in range(victim, log.last_seq + 1):
        del log.entries[number]
    log.last_seq, log.last_hash = victim - 1, log.entries[victim - 1][1]
    for entry in [*entries[victim - 1 :], entries[-1]]:  # one filler entry keeps the size the witness knows
        log.append_chained({k: v for k, v in entry.items() if k not in ("seq", "prev_hash", "hash")})
    _cover_tracks(log)
    assert audit.verify(site)["zodb"]["ok"]
    status, out = witness.verify(str(witness.export()), checkpoint=kept, capsys=capsys)
    assert status == 1 and "do not have the signed root" in out


def test_consistency_and_inclusion_proofs_offline(site, witness, capsys, tmp_path):
    old = witness.keep_checkpoint()
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=site, type="Document", id="later", title="Later")
    new = witness.keep_checkpoint()
    old_size, new_size = (json.loads(p.read_text())["size"] for p in (old, new))
    proof = tmp_path / "consistency.json"
    proof.write_text(json.dumps(audit.consistency_proof(old_size, new_size, site=site)))
    status, out = witness.verify(
        "--old", str(old), "--consistency", str(proof), checkpoint=new, capsys=capsys
    )
    assert status == 0 and "extends checkpoint" in out

    # A forked history: the old checkpoint of another trail does not fit.
    forged = json.loads(old.read_text())
    forged["root_hash"] = merkle.leaf_hash(b"forged").hex()
    site_key = __import__("links.content.keys.api", fromlist=["signing_key"]).signing_key(site.getId())
    from links.content.audit.checkpoints import message

    forged["signature"] = site_key.sign(message(forged)).hex()
    fork = tmp_path / "fork.json"
    fork.write_text(json.dumps(forged))
    status, out = witness.verify(
        "--old", str(fork), "--consistency", str(proof), checkpoint=new, capsys=capsys
    )
    assert status == 1 and "does NOT extend" in out

    entry_path, inclusion = tmp_path / "entry.json", tmp_path / "proof.json"
    trail = witness.export().read_text().splitlines()
    entry_path.write_text(trail[1])
    inclusion.write_text(json.dumps(audit.inclusion_proof(2, new_size, site=site)))
    status, out = witness.verify(
        "--proof", str(inclusion), "--entry", str(entry_path), checkpoint=new, capsys=capsys
    )
    assert status == 0 and "entry 2 is in the trail" in out
    altered = json.loads(trail[1])
    altered["actor"] = "someone-else"
    altered["hash"] = sha256_hex(canonical(altered))
    entry_path.write_text(json.dumps(altered))
    status, out = witness.verify(
        "--proof", str(inclusion), "--entry", str(entry_path), checkpoint=new, capsys=capsys
    )
    assert status == 1 and "NOT in the trail" in out


def test_a_checkpoint_not_signed_by_the_trusted_key_proves_nothing(site, witness, capsys, tmp_path):
    kept = json.loads(witness.keep_checkpoint().read_text())
    kept["size"] -= 1
    fake = tmp_path / "fake.json"
    fake.write_text(json.dumps(kept))
    status, out = witness.verify(str(witness.export()), checkpoint=fake, capsys=capsys)
    assert status == 1 and "NOT SIGNED by the trusted key" in out


@pytest.mark.parametrize(
    "argv",
    [
        [],  # no checkpoint
        ["--checkpoint", "/nonexistent.json", "--public-key", "/nonexistent.pem"],
    ],
)
def test_unusable_input_exits_2(argv, capsys):
    with pytest.raises(SystemExit) if not argv else _nothing():
        assert links_verify_log(argv) == 2


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_unusable_files_exit_2(site, witness, capsys, tmp_path):
    kept = witness.keep_checkpoint()
    garbage = tmp_path / "garbage.json"
    garbage.write_text("[1, 2")
    assert links_verify_log(["--checkpoint", str(garbage), "--public-key", str(witness.key), "x"]) == 2
    assert links_verify_log(["--checkpoint", str(kept), "--public-key", str(garbage), "x"]) == 2
    assert (
        links_verify_log(["--checkpoint", str(kept), "--public-key", str(witness.key)]) == 2
    )  # nothing to check
    assert "links-verify:" in capsys.readouterr().err


def test_the_verifier_runs_without_zope_or_plone(site, witness, tmp_path):
    """`links-verify log` with only the standard library, cryptography (and its cffi) on the path."""
    kept = witness.keep_checkpoint()
    trail = witness.export()
    eggs = [p for p in sys.path if Path(p).name.split("-")[0] in ("cryptography", "cffi", "pycparser")]
    source = str(Path(__import__("links.content.audit", fromlist=["x"]).__file__).parents[3])
    code = (
        "import sys; from links.content.cli import main; status = main(sys.argv[1:]); "
        "bad = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'zope', 'Zope2', 'ZODB', 'Products', 'plone', 'persistent', 'BTrees', 'transaction', "
        "'AccessControl'}); "
        "print('FOREIGN', bad); sys.exit(status)"
    )
    run = subprocess.run(
        [
            sys.executable,
            "-S",
            "-c",
            code,
            "log",
            str(trail),
            "--checkpoint",
            str(kept),
            "--public-key",
            str(witness.key),
        ],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": ":".join([source, *eggs])},
    )
    assert run.returncode == 0, run.stderr
    assert "VERIFIED" in run.stdout and "FOREIGN []" in run.stdout
