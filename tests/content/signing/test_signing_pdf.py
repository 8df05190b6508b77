"""Sign-off renders the signed version once into a PAdES-signed PDF that standard tools verify."""

import shutil
import subprocess

import pytest
from plone import api

from links.content.keys.api import certificate_pem
from links.content.signing import api as signing
from links.content.signing.cli import verify_pdf

PDFSIG = shutil.which("pdfsig")


def _sign_off(record, passwords):
    api.portal.set_registry_record(signing.QUORUM_RECORD, "2")
    for userid in ("gbm1", "gbm2"):
        signing.sign(record, userid, passwords(userid), "approve", request=record.REQUEST)
    assert api.content.get_state(record) == "signed_off"
    return signing.signed_pdf(record).data


def _pdfsig(tmp_path, data: bytes, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    result = subprocess.run([PDFSIG, str(path)], capture_output=True, text=True, timeout=60)
    return result.stdout + result.stderr


@pytest.mark.skipif(PDFSIG is None, reason="pdfsig (poppler-utils) is not installed")
def test_pdfsig_valid_and_tampering_detected(record, passwords, tmp_path):
    data = _sign_off(record, passwords)
    output = _pdfsig(tmp_path, data, "signed.pdf")
    assert "Signature is Valid" in output, output
    assert "Signature #1" in output
    # Alter one byte inside the signed range (the rendered report, well before the signature).
    position = len(data) // 3
    tampered = data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]
    output = _pdfsig(tmp_path, tampered, "tampered.pdf")
    assert "Signature is Valid" not in output, output


def test_pdf_lists_signers_and_is_never_rerendered(record, passwords):
    data = _sign_off(record, passwords)
    signoff = signing.latest_signoff(record)
    assert data.startswith(b"%PDF")
    assert signoff["sha256"] and signoff["version_id"] is not None
    # The same bytes come back on every read: the PDF is stored, not rendered on demand.
    assert signing.signed_pdf(record).data == data
    html = __import__("links.content.signing.report_pdf", fromlist=["record_html"]).record_html(
        record, signoff, signing.signatures(record, verify=False), []
    )
    assert "Member 1 Name" in html and "Member 2 Name" in html
    assert signoff["sha256"] in html
    assert "Findings" in html


def test_offline_verifier_checks_pdf_against_site_certificate(record, passwords):
    data = _sign_off(record, passwords)
    [result] = verify_pdf(data, certificate_pem())
    assert result["ok"] and result["intact"] and result["valid"] and result["trusted"]
    position = len(data) // 3
    tampered = data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]
    try:
        results = verify_pdf(tampered, certificate_pem())
    except Exception:  # pyHanko may refuse to parse a broken file at all: also "not valid"
        results = [{"ok": False}]
    assert not all(r["ok"] for r in results)


def test_signoff_recorded_as_event_and_pdf_download_view(record, passwords):
    _sign_off(record, passwords)
    view = api.content.get_view("signed-pdf", record, record.REQUEST)
    body = view()
    data = body if isinstance(body, bytes) else b"".join(body)
    assert data == signing.signed_pdf(record).data
    assert record.REQUEST.response.getHeader("Content-Type").startswith("application/pdf")


def test_command_line_verifier_offline(record, passwords, tmp_path):
    """scripts/verify_signatures.py (offline modes) accepts the real PDF and seals, rejects tampering."""
    import json
    from pathlib import Path

    from links.content.keys.api import public_key_pem

    data = _sign_off(record, passwords)
    (tmp_path / "report.pdf").write_bytes(data)
    (tmp_path / "cert.pem").write_bytes(certificate_pem())
    (tmp_path / "seal.pem").write_bytes(public_key_pem())
    items = signing.signatures(record, verify=False)
    (tmp_path / "sigs.json").write_text(json.dumps({"items": items}), "utf-8")
    forged = [dict(items[0], meaning="reject")] + items[1:]
    (tmp_path / "forged.json").write_text(json.dumps({"items": forged}), "utf-8")
    root = Path(__file__).parents[3]
    script = root / "scripts" / "verify_signatures.py"

    def run(*args):
        # bin/zopepy: the buildout's Python with every egg, as the README documents it.
        command = [str(root / "bin" / "zopepy"), str(script), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    ok = run("pdf", str(tmp_path / "report.pdf"), "--cert", str(tmp_path / "cert.pem"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "VALID" in ok.stdout
    ok = run("signatures", str(tmp_path / "sigs.json"), "--public-key", str(tmp_path / "seal.pem"))
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = run("signatures", str(tmp_path / "forged.json"), "--public-key", str(tmp_path / "seal.pem"))
    assert bad.returncode == 1 and "INVALID" in bad.stdout
