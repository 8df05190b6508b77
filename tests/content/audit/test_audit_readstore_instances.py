"""Read events of several instances sharing one audit folder: a chain per instance, never interleaved (#19).

Real processes append at the same time (multiprocessing, fork), as Zope clients on several machines
sharing the folder would; verification covers every instance's chain.
"""

import multiprocessing
import os

import pytest

from links.content.audit import readstore
from links.content.audit.verify import verify_readstore

SITE = "links"
PER_PROCESS = 40


def entry(n: int, day: int = 29) -> dict:
    return {
        "timestamp": f"2026-11-{day}T10:00:00.{n:06d}+00:00",
        "actor": "auditor",
        "action": "record.viewed",
        "uid": "",
        "path": "",
        "portal_type": "",
        "details": {"n": n},
    }


def write(audit_dir: str, instance: str, start) -> None:
    os.environ["LINKS_AUDIT_DIR"] = audit_dir
    if instance:
        os.environ["LINKS_INSTANCE_ID"] = instance
    else:
        os.environ.pop("LINKS_INSTANCE_ID", None)
    start.wait()
    for n in range(PER_PROCESS):
        readstore.append(SITE, entry(n))


@pytest.fixture
def audit_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("LINKS_AUDIT_DIR", str(tmp_path))
    monkeypatch.delenv("LINKS_INSTANCE_ID", raising=False)
    return tmp_path


def test_instances_write_their_own_chains_at_once(audit_dir):
    context = multiprocessing.get_context("fork")
    start = context.Event()
    writers = [
        context.Process(target=write, args=(str(audit_dir), instance, start))
        for instance in ("client1", "client2", "client2", "")  # two processes of client2: one chain, locked
    ]
    for process in writers:
        process.start()
    start.set()
    for process in writers:
        process.join(60)
        assert process.exitcode == 0
    folder = readstore.audit_dir(SITE)
    assert readstore.instances(folder) == ["", "client1", "client2"]
    names = sorted(path.name for path in readstore.files(folder))
    assert names == [
        "reads-2026-11-29.jsonl",
        "reads-client1-2026-11-29.jsonl",
        "reads-client2-2026-11-29.jsonl",
    ]
    result = verify_readstore(SITE)
    assert result["ok"], result
    assert {k: v["entries"] for k, v in result["instances"].items()} == {
        "": PER_PROCESS,
        "client1": PER_PROCESS,
        "client2": 2 * PER_PROCESS,
    }
    assert result["entries"] == 4 * PER_PROCESS
    for path in readstore.files(folder, "client1"):
        assert all('"n":' in line for line in path.read_text().splitlines())
    assert [e["seq"] for e in readstore.read(SITE, "client1")] == list(range(1, PER_PROCESS + 1))


def test_a_broken_instance_chain_is_named(audit_dir, monkeypatch):
    monkeypatch.setenv("LINKS_INSTANCE_ID", "client1")
    for n in range(3):
        readstore.append(SITE, entry(n))  # all on the 29th: one file
    monkeypatch.setenv("LINKS_INSTANCE_ID", "client2")
    readstore.append(SITE, entry(0))
    path = readstore.files(readstore.audit_dir(SITE), "client1")[0]
    lines = path.read_text().splitlines(keepends=True)
    path.write_text(lines[0] + lines[2])
    result = verify_readstore(SITE)
    assert not result["ok"] and result["broken_seq"] == 2
    assert result["reason"].startswith("instance 'client1': entry 2 is missing")


def test_files_without_an_instance_id_stay_one_chain(audit_dir):
    readstore.append(SITE, entry(0))
    assert [p.name for p in readstore.files(readstore.audit_dir(SITE))] == ["reads-2026-11-29.jsonl"]
    assert verify_readstore(SITE)["instances"] == {
        "": {"entries": 1, "head": next(readstore.read(SITE))["hash"]}
    }
