"""Sign-off renders the signed version once into a readable, tagged PDF sealed with PAdES B-T/B-LT, which
standard tools (poppler's pdfsig and pdftotext, OpenSSL, pyHanko's validator) check independently."""

import hashlib
import re
import shutil
import subprocess
from datetime import timedelta
from io import BytesIO

import pytest
from plone import api

from links.content.keys.api import certificate_pem
from links.content.pdf.verify import verify_pdf
from links.content.signing import api as signing
from links.content.signing.report_pdf import displayed_fields

PDFSIG = shutil.which("pdfsig")
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")
OPENSSL = shutil.which("openssl")
needs_poppler = pytest.mark.skipif(not (PDFSIG and PDFTOTEXT and PDFINFO), reason="poppler-utils missing")


def _sign_off(record, signer, quorum="2"):
    api.portal.set_registry_record(signing.QUORUM_RECORD, quorum)
    for userid in ("gbm1", "gbm2")[: int(quorum)]:
        signer(record, userid)
    assert api.content.get_state(record) in ("signed_off", "adopted"), signing.status(record)["signoff_error"]
    return bytes(signing.signed_pdf(record).data)


def _run(*command, cwd=None) -> str:
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=cwd)
    return result.stdout + result.stderr


def _saved(tmp_path, data: bytes):
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    return path


def _text(tmp_path, data: bytes) -> str:
    return _run(PDFTOTEXT, "-layout", str(_saved(tmp_path, data)), "-")


def _words(text: str) -> str:
    """Text with every run of white space made one space (pdftotext breaks lines where the page does)."""
    return re.sub(r"\s+", " ", text).strip()


def _tampered(data: bytes) -> bytes:
    position = len(data) // 3
    return data[:position] + bytes([data[position] ^ 0x01]) + data[position + 1 :]


@needs_poppler
def test_pdfsig_valid_whole_file_and_tampering_detected(record, signer, tmp_path):
    data = _sign_off(record, signer)
    path = _saved(tmp_path, data)
    output = _run(PDFSIG, str(path))
    assert "Signature is Valid" in output, output
    assert "Total document signed" in output, output  # validation data inside the signed revision
    assert "ETSI.CAdES.detached" in output
    path.write_bytes(_tampered(data))
    assert "Signature is Valid" not in _run(PDFSIG, str(path))


@pytest.mark.skipif(not (PDFSIG and OPENSSL), reason="pdfsig or openssl missing")
def test_openssl_checks_the_timestamp_token_pdfsig_dumps(record, signer, tsa, tmp_path):
    """The RFC 3161 token in the signature is the TSA's, over the signature value (RFC 3161 appendix A)."""
    from asn1crypto import cms

    data = _sign_off(record, signer)
    (tmp_path / "signed.pdf").write_bytes(data)
    _run(PDFSIG, "-dump", "signed.pdf", cwd=tmp_path)
    signed_data = cms.ContentInfo.load((tmp_path / "signed.pdf.sig0").read_bytes(), strict=False)["content"]
    signer_info = signed_data["signer_infos"][0]
    [token] = [
        value
        for attribute in signer_info["unsigned_attrs"]
        if attribute["type"].native == "signature_time_stamp_token"
        for value in attribute["values"]
    ]
    (tmp_path / "token.der").write_bytes(token.dump())
    (tmp_path / "ca.pem").write_bytes(tsa.ca_pem)
    digest = hashlib.sha256(signer_info["signature"].native).hexdigest()
    check = [OPENSSL, "ts", "-verify", "-token_in", "-in", "token.der", "-CAfile", "ca.pem", "-digest"]
    output = _run(*check, digest, cwd=tmp_path)
    assert "Verification: OK" in output, output
    output = _run(*check, hashlib.sha256(b"something else").hexdigest(), cwd=tmp_path)
    assert "Verification: OK" not in output


def test_pyhanko_validator_needs_a_trust_anchor(record, signer, tsa):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    data = _sign_off(record, signer)
    [result] = verify_pdf(data, certificate_pem(), tsa_pem=tsa.ca_pem)
    assert result["ok"] and result["intact"] and result["valid"] and result["trusted"], result
    assert result["level"] == "B-LT"
    assert result["timestamp"]["trusted"] and "LINk test TSA" in result["timestamp"]["tsa"]
    assert not result["modified_after_signing"]
    # Without an anchor nothing is called valid, however intact.
    [anonymous] = verify_pdf(data)
    assert anonymous["intact"] and not anonymous["ok"]
    assert anonymous["problems"][0].startswith("signer not trusted")
    # The network's published fingerprint is an anchor; any other fingerprint is not.
    fingerprint = x509.load_pem_x509_certificate(certificate_pem()).fingerprint(hashes.SHA256()).hex()
    assert verify_pdf(data, fingerprint=fingerprint)[0]["ok"]
    assert not verify_pdf(data, fingerprint="ab" * 32)[0]["ok"]
    try:
        results = verify_pdf(_tampered(data), certificate_pem())
    except Exception:  # pyHanko may refuse to parse a broken file at all: also "not valid"
        results = [{"ok": False}]
    assert not all(r["ok"] for r in results)


@pytest.fixture
def issued_certificate(portal, tmp_path, monkeypatch):
    """The site signs with a certificate a CA issued for a year (as a trust service's would be): a copy of
    the keys folder with such a certificate. Yields the CA's PEM, the trust anchor of its PDFs."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    from links.content.keys import api as keys

    original = keys.keys_dir()
    directory = tmp_path / "keys" / original.name
    shutil.copytree(original, directory)
    monkeypatch.setenv("LINKS_KEYS_DIR", str(tmp_path / "keys"))
    now = datetime.datetime.now(datetime.UTC)

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Test trust service CA"))
        .issuer_name(name("Test trust service CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=7000))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = (
        x509.CertificateBuilder()
        .subject_name(name("Northbridge LINk"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    (directory / keys.PDF_KEY).write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    (directory / keys.PDF_CERT).write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    keys._cache.clear()
    yield ca.public_bytes(serialization.Encoding.PEM), leaf.not_valid_after_utc
    keys._cache.clear()


def test_timestamp_keeps_the_pdf_valid_after_the_certificate_expired(record, signer, tsa, issued_certificate):
    """PAdES B-T: checked as of the TSA's time, the signature outlives the signing certificate."""
    ca_pem, expiry = issued_certificate
    data = _sign_off(record, signer)
    [now] = verify_pdf(data, ca_pem, tsa_pem=tsa.ca_pem)
    assert now["ok"], now
    later = expiry + timedelta(days=30)
    [result] = verify_pdf(data, ca_pem, tsa_pem=tsa.ca_pem, moment=later)
    assert result["ok"], result
    # Without a timestamp authority to vouch for the time, the same check then fails: the certificate
    # has expired.
    [untimed] = verify_pdf(data, ca_pem, moment=later)
    assert not untimed["trusted"] and not untimed["ok"]


@needs_poppler
def test_pdf_text_is_the_signed_versions_fields(portal, record, signer, tmp_path):
    """What the PDF says is, field by field, the signed version retrieved from the history, in words."""
    from links.content.history import relations

    data = _sign_off(record, signer)
    signoff = signing.latest_signoff(record)
    version = signing.retrieve_version(record, signoff["version_id"])
    text = _words(_text(tmp_path, data))
    shown = displayed_fields(version, relations.relations_at(record.UID(), signoff["version_id"]))
    assert {item["name"] for item in shown} >= {
        "provider",
        "premises",
        "visit_date",
        "announcement",
        "findings",
    }
    for item in shown:
        assert _words(item["label"]) in text, item
        values = item.get("items") or [item.get("text") or re.sub(r"<[^>]+>", " ", item["html"])]
        for value in values:
            assert _words(value) in text, (item["name"], value)
    # In words: labels not ids, names not user ids, vocabulary titles, UK dates, times without seconds.
    assert "Elm House Care Home" in text and "Rosa Ellison" in text
    assert "Announced or unannounced Announced" in text
    assert re.search(r"Date of visit \d{1,2} [A-Z][a-z]+ \d{4}", text)
    for raw in ("label_", "rep1", "Not given", ":00:00", "creators", "contributors", "None"):
        assert raw not in text, raw
    # The signature page says what was signed and how to check it.
    assert signoff["sha256"] in text.replace(" ", "")
    assert "Member 1 Name Approved" in text and "Member 2 Name Approved" in text
    assert "How to check this document" in text and "links-verify pdf" in text
    assert "independent timestamp authority" in text


@needs_poppler
def test_pdf_is_tagged_with_language_and_title(record, signer, tmp_path):
    from pyhanko.pdf_utils.reader import PdfFileReader

    data = _sign_off(record, signer)
    path = _saved(tmp_path, data)
    info = _run(PDFINFO, str(path))
    assert re.search(r"Tagged:\s+yes", info)
    assert re.search(r"Title:\s+Visit to Elm House", info)
    root = PdfFileReader(BytesIO(data)).root
    assert str(root["/Lang"]) == "en-GB"
    assert "pdfuaid:part" in _run(PDFINFO, "-meta", str(path))


@needs_poppler
def test_constitution_pdf_shows_the_signed_version_not_the_adoption_date(portal, members, signer, tmp_path):
    """The adoption date is set by the transition: saved afterwards as a new version of its own (audited)
    and shown on the record, never in the sealed PDF of the version the members signed."""
    from plone.app.textfield.value import RichTextValue

    from links.content.audit import api as audit
    from links.content.history import api as history

    with api.env.adopt_roles(["Manager"]):
        constitution = api.content.create(
            container=portal,
            type="Constitution",
            title="Constitution of the network",
            version_label="4.0",
            terms_of_reference=RichTextValue("<p>The network listens.</p>", "text/html", "text/x-html-safe"),
            decision_procedures=RichTextValue("<p>By majority.</p>", "text/html", "text/x-html-safe"),
        )
        api.content.transition(constitution, transition="propose")
    data = _sign_off(constitution, signer)
    assert api.content.get_state(constitution) == "adopted"
    signoff = signing.latest_signoff(constitution)
    assert constitution.adopted_on is not None
    assert signing.retrieve_version(constitution, signoff["version_id"]).adopted_on is None
    text = _words(_text(tmp_path, data))
    assert "The network listens." in text
    assert "Adopted on" not in text
    latest = history.versions(constitution)[-1]
    assert latest["version_id"] > signoff["version_id"]
    assert "Set by the sign-off" in latest["comment"] and "Adopted on" in latest["comment"]
    audit.chain_now(portal)
    [entry] = [
        e
        for e in audit.iter_entries(audit.parse_filters({"action": "signoff.fields_set"}), site=portal)
        if e["uid"] == constitution.UID()
    ]
    assert entry["details"]["fields"] == ["adopted_on"]
    assert entry["details"]["values"]["adopted_on"] == constitution.adopted_on.isoformat()
    assert entry["details"]["version_id"] == latest["version_id"]
    assert len(history.versions(constitution)) == signoff["version_id"] + 2  # exactly one version more
    # The signatures still check against the version they signed.
    assert all(i["verification"]["hash_matches"] for i in signing.signatures(constitution))


def test_type_body_adapter_gets_the_signed_version(portal, record, signer):
    """ISignedRecordBody (the transitional and annual reports use it) is called on the retrieved version."""
    from zope.component import getGlobalSiteManager

    from links.content.interfaces import ISignedRecordBody
    from links.content.records.report import IEnterAndViewReport

    seen = []

    class Body:
        def __init__(self, context):
            self.context = context

        def __call__(self):
            seen.append(self.context)
            return f"<p>Laid out: {self.context.premises}</p>"

    gsm = getGlobalSiteManager()
    gsm.registerAdapter(Body, (IEnterAndViewReport,), ISignedRecordBody)
    try:
        _sign_off(record, signer)
    finally:
        gsm.unregisterAdapter(Body, (IEnterAndViewReport,), ISignedRecordBody)
    [version] = seen
    assert version is not record and version.premises == record.premises
    assert getattr(version, "version_id", None) == signing.latest_signoff(record)["version_id"]


@pytest.mark.parametrize(
    ("setup", "says"),
    [
        ("error", "answered HTTP 500"),
        ("unreachable", "could not be reached"),
        ("unconfigured", "No timestamp authority is configured"),
    ],
)
def test_tsa_failure_fails_the_signoff_cleanly(record, signer, tsa, setup, says):
    from links.content.timestamps import api as timestamps

    if setup == "error":
        tsa.mode = "error"
    elif setup == "unreachable":
        api.portal.set_registry_record(timestamps.URL, "http://127.0.0.1:9/tsa")
    else:
        api.portal.set_registry_record(timestamps.URL, "")
    api.portal.set_registry_record(signing.QUORUM_RECORD, "2")
    signer(record, "gbm1")
    last = signer(record, "gbm2")  # reaches the quorum: the signature is kept, the sign-off is not made
    assert api.content.get_state(record) == "pending_signoff"
    assert signing.signed_pdf(record) is None
    status = signing.status(record)
    assert status["reached"] and says in status["signoff_error"]["message"]
    assert "links.content.timestamps" in status["signoff_error"]["message"]  # says what to fix
    assert all(i["status"] == "valid" and i["verification"]["seal_valid"] for i in signing.signatures(record))
    assert [i["seq"] for i in signing.signatures(record)][-1] == last["seq"]
    # Fixed: any member completes the sign-off, and the error is gone.
    tsa.mode = "ok"
    api.portal.set_registry_record(timestamps.URL, tsa.url)
    signing.complete_signoff(record, actor="gbm3")
    assert api.content.get_state(record) == "signed_off"
    assert signing.status(record)["signoff_error"] is None
    assert signing.latest_signoff(record)["timestamp"]


@needs_poppler
def test_optional_timestamps_sign_without_and_say_so(record, signer, tmp_path):
    from links.content.timestamps import api as timestamps

    api.portal.set_registry_record(timestamps.REQUIRED, False)
    api.portal.set_registry_record(timestamps.URL, "http://127.0.0.1:9/tsa")
    try:
        data = _sign_off(record, signer)
    finally:
        api.portal.set_registry_record(timestamps.REQUIRED, True)
    signoff = signing.latest_signoff(record)
    assert signoff["level"] == "B-B" and signoff["timestamp"] is None
    assert any("could not be reached" in note for note in signoff["notes"])
    assert "carries no independent timestamp" in _words(_text(tmp_path, data))
    [result] = verify_pdf(data, certificate_pem())
    assert result["ok"] and result["timestamp"] is None and result["level"] == "B-B"


def test_pdf_is_stored_once_and_served_as_stored(record, signer):
    data = _sign_off(record, signer)
    assert signing.signed_pdf(record).data == data
    view = api.content.get_view("signed-pdf", record, record.REQUEST)
    body = view()
    assert (body if isinstance(body, bytes) else b"".join(body)) == data
    assert record.REQUEST.response.getHeader("Content-Type").startswith("application/pdf")
