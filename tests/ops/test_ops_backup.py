"""Backups that restore (#19): the drill on a real deployment, and what restore refuses.

Back up the running demo site, change a record (an audited edit), stop, restore: the record is as it was
at backup time, and the audit trail and the signatures of the signed-off transitional report verify.
"""

import json
import shutil
import subprocess

import pytest

from .deployment import REPO

pytestmark = pytest.mark.ops

RECORD = "/links/transitional-report"
JOBS = REPO / "tests/ops/jobs"


def backup_sh(deployment, *args, check=True):
    result = subprocess.run(
        [str(REPO / "scripts/backup.sh"), *map(str, args)],
        cwd=REPO,
        env=deployment.env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def drill(deployment, tmp_path_factory):
    """Back up the running site, then change a record after the backup."""
    root = tmp_path_factory.mktemp("backups")
    made = backup_sh(deployment, "backup", root).stdout
    folder = next(root.iterdir())
    assert f"Backup in {folder}" in made
    changed = json.loads(
        deployment.run("../tests/ops/jobs/change_records.py", RECORD).stdout.splitlines()[-1]
    )
    return {"folder": folder, "changed": changed, "root": root}


def test_a_backup_holds_everything_with_a_manifest(drill):
    folder = drill["folder"]
    assert folder.name.endswith("Z") and folder.name[:4].isdigit()  # dated, UTC
    for part in ("filestorage", "blobstorage", "keys/links", "audit/links"):
        assert (folder / part).is_dir(), part
    assert (folder / "keys/links/seal-ed25519.pem").stat().st_mode & 0o077 == 0  # keys stay private
    listed = (folder / "SHA256SUMS").read_text()
    assert "./keys/links/seal-ed25519.pem" in listed and "./audit/links/zodb-head.json" in listed
    assert any(".fsz" in line for line in listed.splitlines())  # repozo's full backup, gzipped


def test_restore_refuses_while_the_deployment_runs(deployment, drill):
    refused = backup_sh(deployment, "restore", drill["folder"], check=False)
    assert refused.returncode == 1 and "the deployment is running" in refused.stderr


@pytest.mark.parametrize(
    "damage, reason",
    [
        ("no-audit", "has no audit folder"),
        ("no-keys", "has no keys folder"),
        ("altered", "does not match its SHA-256"),
        ("extra", "not the ones its manifest lists"),
        ("no-manifest", "has no manifest"),
    ],
)
def test_restore_refuses_an_incomplete_or_altered_backup(deployment, drill, tmp_path, damage, reason):
    copy = tmp_path / "copy"
    shutil.copytree(drill["folder"], copy, symlinks=True)
    if damage == "no-audit":
        shutil.rmtree(copy / "audit")
    elif damage == "no-keys":
        shutil.rmtree(copy / "keys")
    elif damage == "altered":
        (copy / "backup.json").write_text("{}")
    elif damage == "extra":
        (copy / "keys/links/planted.pem").write_text("x")
    else:
        (copy / "SHA256SUMS").unlink()
    refused = backup_sh(deployment, "restore", copy, check=False)
    assert refused.returncode == 1
    assert reason in refused.stderr


def test_restore_drill(deployment, drill):
    changed = drill["changed"]
    assert changed["after"] != changed["before"]
    deployment.site("stop")
    restored = backup_sh(deployment, "restore", drill["folder"]).stdout
    assert "Restored" in restored
    assert deployment.run("../tests/ops/jobs/title_of.py", RECORD).stdout.strip() == changed["before"]
    audit = deployment.run("verify_audit.py", "links", check=False)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert "versions and signatures: OK" in audit.stdout
    signatures = deployment.run("verify_signatures.py", RECORD, check=False)
    assert signatures.returncode == 0, signatures.stdout + signatures.stderr
    assert "VALID" in signatures.stdout and "INVALID" not in signatures.stdout
