"""Several Zope processes on one PostgreSQL database (RelStorage) behind HAProxy (#19).

The cluster profile is built into a folder of its own (this checkout's eggs), on a database of its own on
the PostgreSQL server at 127.0.0.1:5432 (`.ci/run` starts Debian's when none runs). Two Zope clients start
behind HAProxy; then two Zope processes write at the same time: every case reference is unique and
gap-free, and the audit trail is one verified chain with each creation in it exactly once.
"""

import json
import os
import shutil
import subprocess
import urllib.request
import uuid

import pytest

from .deployment import REPO
from .deployment import free_port

pytestmark = pytest.mark.ops
PER_PROCESS = 12


def postgres_available() -> bool:
    return shutil.which("psql") is not None and (
        subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432"], capture_output=True).returncode == 0
    )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    if not postgres_available():
        pytest.fail("No PostgreSQL at 127.0.0.1:5432: .ci/run starts one (scripts/system-deps.sh cluster).")
    if shutil.which("haproxy") is None:
        pytest.fail("No haproxy: scripts/system-deps.sh cluster installs it.")
    root = tmp_path_factory.mktemp("cluster")
    port, dbname = free_port(), f"links_test_{uuid.uuid4().hex[:8]}"
    (root / "buildout.cfg").write_text(
        f"""[buildout]
extends = {REPO}/profiles/relstorage.cfg
directory = {root}
develop =
    {REPO}/src/links.content
    {REPO}/src/links.policy
eggs-directory = {REPO}/eggs
parts = instance

[settings]
http-address = 127.0.0.1:{port}
relstorage-dsn = dbname='{dbname}' host='127.0.0.1' port='5432' user='postgres'
"""
    )
    build = subprocess.run(
        [str(REPO / ".venv/bin/buildout"), "-N", "-c", str(root / "buildout.cfg")],
        cwd=root,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    env = dict(os.environ, LINKS_BIN=str(root / "bin"), SITE_ID="links", DEMO="0", START_TIMEOUT="150")
    cluster = {"root": root, "port": port, "env": env, "db": dbname}
    try:
        cluster["start"] = cluster_sh(cluster, "start", "2")
        yield cluster
    finally:
        cluster_sh(cluster, "stop", check=False)
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", dbname], timeout=60)


def cluster_sh(cluster, *args, check=True):
    result = subprocess.run(
        [str(REPO / "scripts/cluster.sh"), *args],
        cwd=REPO,
        env=cluster["env"],
        capture_output=True,
        text=True,
        timeout=500,
    )
    assert result.returncode == 0 or not check, result.stdout + result.stderr
    return result


def client_run(cluster, client: int, script: str, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [str(cluster["root"] / f"var/cluster/client{client}/instance"), "run", script, *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, out + err
    return out.strip().splitlines()[-1]


def test_two_clients_serve_behind_haproxy(cluster):
    assert "2 clients" in cluster["start"].stdout
    status = cluster_sh(cluster, "status").stdout
    assert "client1: running" in status and "client2: running" in status and "HAProxy: running" in status
    for port in (cluster["port"], cluster["port"] + 1, cluster["port"] + 2):
        with urllib.request.urlopen(f"http://localhost:{port}/links", timeout=60) as response:
            assert response.status == 200


def test_two_processes_writing_at_once_keep_references_and_the_audit_chain(cluster):
    jobs = REPO / "tests/ops/jobs"
    writers = [
        client_run(cluster, i, str(jobs / "concurrent_writes.py"), f"p{i}", str(PER_PROCESS)) for i in (1, 2)
    ]
    results = [json.loads(finished(writer)) for writer in writers]
    done = [item for result in results for item in result["done"]]
    references = sorted(item["reference"] for item in done)
    assert len(done) == 2 * PER_PROCESS
    assert references == [f"C-2026-{n:04d}" for n in range(1, 2 * PER_PROCESS + 1)]  # unique, no gap
    verified = client_run(cluster, 2, "scripts/verify_audit.py", "links", "--chain-only")
    out, err = verified.communicate(timeout=300)
    assert verified.returncode == 0, out + err
    assert "ZODB chain: OK" in out
    created = json.loads(finished(client_run(cluster, 1, str(jobs / "audit_paths.py"))))
    for item in done:
        assert created.count(item["path"]) == 1, item


def test_backup_and_restore_on_postgresql(cluster, tmp_path):
    """The RelStorage drill: pg_dump while the clients serve, a change, stop, pg_restore: as at backup."""
    backups = tmp_path / "backups"
    env = cluster["env"]

    def backup_sh(*args):
        return subprocess.run(
            [str(REPO / "scripts/backup.sh"), *map(str, args)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
        )

    made = backup_sh("backup", backups)
    assert made.returncode == 0, made.stdout + made.stderr
    folder = next(backups.iterdir())
    assert (folder / "database.pgdump").stat().st_size > 0 and (folder / "keys/links").is_dir()
    assert "./database.pgdump" in (folder / "SHA256SUMS").read_text()
    refused = backup_sh("restore", folder)
    assert refused.returncode == 1 and "the deployment is running" in refused.stderr
    jobs = REPO / "tests/ops/jobs"
    after = json.loads(finished(client_run(cluster, 1, str(jobs / "concurrent_writes.py"), "late", "1")))
    assert after["done"][0]["reference"] == f"C-2026-{2 * PER_PROCESS + 1:04d}"
    cluster_sh(cluster, "stop")
    restored = backup_sh("restore", folder)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    created = json.loads(finished(client_run(cluster, 1, str(jobs / "audit_paths.py"))))
    assert "/links/late-0" not in created and "/links/p1-0" in created
    verified = client_run(cluster, 1, "scripts/verify_audit.py", "links", "--chain-only")
    out, err = verified.communicate(timeout=300)
    assert verified.returncode == 0, out + err
