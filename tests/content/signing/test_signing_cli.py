"""``links-verify`` (console script of links.content): checks a signed PDF and saved signatures offline,
calls nothing valid without a trust anchor, and names a file it cannot read."""

import json
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from plone import api

from links.content.integrity import key_fingerprint
from links.content.keys.api import certificate_pem
from links.content.keys.api import public_key
from links.content.keys.api import public_key_pem
from links.content.signing import api as signing

ROOT = Path(__file__).parents[3]
COMMAND = ROOT / "bin" / "links-verify"


def run(*args, cwd=None):
    return subprocess.run(
        [str(COMMAND), *map(str, args)], capture_output=True, text=True, timeout=120, cwd=cwd
    )


@pytest.fixture
def files(record, signer, tsa, tmp_path):
    """A signed-off PDF, its certificate, the seal key and a saved @signatures answer: what a checker has."""
    api.portal.set_registry_record(signing.QUORUM_RECORD, "2")
    signer(record, "gbm1")
    signer(record, "gbm2")
    (tmp_path / "report.pdf").write_bytes(bytes(signing.signed_pdf(record).data))
    (tmp_path / "cert.pem").write_bytes(certificate_pem())
    (tmp_path / "tsa.pem").write_bytes(tsa.ca_pem)
    (tmp_path / "seal.pem").write_bytes(public_key_pem())
    answer = {
        "items": signing.signatures(record, verify=False),
        "public_key": public_key_pem().decode("ascii"),
    }
    (tmp_path / "sigs.json").write_text(json.dumps(answer), "utf-8")
    forged = dict(answer, items=[dict(answer["items"][0], meaning="reject"), *answer["items"][1:]])
    (tmp_path / "forged.json").write_text(json.dumps(forged), "utf-8")
    return tmp_path


def test_the_console_script_is_installed_and_lists_its_commands():
    result = run("--help")
    assert result.returncode == 0
    assert "pdf" in result.stdout and "signatures" in result.stdout
    assert run("nonsense").returncode == 2


def test_pdf_valid_with_the_networks_certificate_or_fingerprint(files):
    result = run("pdf", files / "report.pdf", "--cert", files / "cert.pem", "--tsa-cert", files / "tsa.pem")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VALID" in result.stdout and "PAdES B-LT" in result.stdout and "authority trusted" in result.stdout
    fingerprint = x509.load_pem_x509_certificate(certificate_pem()).fingerprint(hashes.SHA256()).hex()
    assert run("pdf", files / "report.pdf", "--fingerprint", fingerprint).returncode == 0


def test_pdf_without_a_trust_anchor_is_not_trusted(files):
    result = run("pdf", files / "report.pdf")
    assert result.returncode == 1
    assert "NOT TRUSTED" in result.stdout and "signer not trusted" in result.stdout
    assert run("pdf", files / "report.pdf", "--fingerprint", "00" * 32).returncode == 1


def test_pdf_tampered_is_invalid_and_a_missing_file_is_named(files):
    data = (files / "report.pdf").read_bytes()
    position = len(data) // 3
    (files / "bad.pdf").write_bytes(data[:position] + bytes([data[position] ^ 1]) + data[position + 1 :])
    bad = run("pdf", files / "bad.pdf", "--cert", files / "cert.pem")
    assert bad.returncode == 1 and ": VALID" not in bad.stdout
    missing = run("pdf", files / "report.pdf", "--cert", files / "no-such-cert.pem")
    assert missing.returncode == 2 and "no-such-cert.pem" in missing.stderr


def test_signatures_need_the_key_or_its_fingerprint(files):
    ok = run("signatures", files / "sigs.json", "--public-key", files / "seal.pem")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.count("VALID seal") == 2
    by_fingerprint = run("signatures", files / "sigs.json", "--fingerprint", key_fingerprint(public_key()))
    assert by_fingerprint.returncode == 0, by_fingerprint.stdout
    untrusted = run("signatures", files / "sigs.json")
    assert untrusted.returncode == 1 and "signer not trusted" in untrusted.stdout
    wrong = run("signatures", files / "sigs.json", "--fingerprint", "ab" * 32)
    assert wrong.returncode == 1 and "signer not trusted" in wrong.stdout
    forged = run("signatures", files / "forged.json", "--public-key", files / "seal.pem")
    assert forged.returncode == 1 and "INVALID" in forged.stdout


def test_the_script_passes_offline_checks_on_to_links_verify(files):
    script = ROOT / "scripts" / "verify_signatures.py"
    result = subprocess.run(
        [
            str(ROOT / "bin" / "zopepy"),
            str(script),
            "pdf",
            str(files / "report.pdf"),
            "--cert",
            str(files / "cert.pem"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
