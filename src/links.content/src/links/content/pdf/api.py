"""Render HTML into tagged PDFs with weasyprint, and seal PDFs with the site's certificate (PAdES).

Only ``data:`` URLs are fetched while rendering: record text is user input, and a PDF renderer that
follows arbitrary URLs would let an editor make the server fetch internal addresses. The base stylesheet
``styles.css`` next to this module is always applied.

Sealing makes a PAdES baseline signature with pyHanko: B-T when the timestamp authority of
``links.content.timestamps`` answers (its RFC 3161 token dates the signature), with the certificates of
the signer and of the TSA in the document security store (B-LT as far as the chains allow: a self-signed
site certificate has no revocation service to ask).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

STYLESHEET = Path(__file__).with_name("styles.css")
#: Space reserved in the file for the signature (CMS with certificates, timestamp token and its chain).
SIGNATURE_BYTES = 32768

_css = None


def _stylesheet():
    """The parsed base stylesheet (parsed once per process)."""
    global _css
    if _css is None:
        from weasyprint import CSS

        _css = CSS(filename=str(STYLESHEET))
    return _css


def _fetcher():
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",))


def with_footer(html: str, footer_html: str) -> str:
    """Put ``footer_html`` in the running footer of every page (``styles.css``: ``.running-footer``).

    Kept apart so that every issued PDF can get the same footer (say, a verification line and a QR code)
    by passing it to ``render_pdf``.
    """
    element = f'<div class="running-footer">{footer_html}</div>'
    match = re.search(r"<body[^>]*>", html)
    return html[: match.end()] + element + html[match.end() :] if match else element + html


def render_pdf(html: str, base_url: str | None = None, footer_html: str | None = None) -> bytes:
    """Render an HTML document to PDF bytes.

    :param html: a complete HTML document (UTF-8 text); set ``<html lang>`` and ``<title>`` (PDF/UA
        needs both: they become the document's language and title)
    :param base_url: base for relative URLs (only ``data:`` URLs are actually fetched)
    :param footer_html: trusted HTML shown at the foot of every page (values escaped by the caller)
    :returns: the PDF (PDF/UA-1 variant, tagged, A4 via the base stylesheet)
    """
    from weasyprint import HTML

    if footer_html:
        html = with_footer(html, footer_html)
    document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher())
    return document.write_pdf(stylesheets=[_stylesheet()], pdf_variant="pdf/ua-1", pdf_tags=True)


@dataclass
class SealedPdf:
    """A sealed PDF and what its signature carries.

    :ivar data: the signed PDF
    :ivar level: ``"B-LT"``, ``"B-T"`` or ``"B-B"`` (PAdES baseline level reached)
    :ivar timestamp: ``{"time", "tsa"}`` of the signature's RFC 3161 timestamp, or None
    :ivar notes: why a higher level was not reached (for the record and the administrator)
    """

    data: bytes
    level: str
    timestamp: dict | None = None
    notes: list[str] = field(default_factory=list)


def _signer(site_id: str | None):
    """A pyHanko signer holding the site's certificate and its already loaded RSA key."""
    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
    from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    from links.content.keys.api import certificate_and_key

    cert, key = certificate_and_key(site_id)
    asn1_cert = translate_pyca_cryptography_cert_to_asn1(cert)

    class LoadedKeySigner(signers.SimpleSigner):
        """pyHanko re-parses the DER key on every signature (0.5 s for RSA 3072 with its checks);
        sign with the key already loaded (and cached) by keys.api instead."""

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
            from pyhanko.sign.general import get_pyca_cryptography_hash

            if self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo == "rsassa_pkcs1v15":
                return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            return super().sign_raw(data, digest_algorithm)

    return LoadedKeySigner(
        signing_cert=asn1_cert,
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        cert_registry=SimpleCertificateStore.from_certs([asn1_cert]),
    )


def seal_pdf(
    pdf: bytes,
    reason: str,
    location: str | None = None,
    site_id: str | None = None,
    stamping=None,
) -> SealedPdf:
    """Sign a PDF with the site certificate (PAdES, SHA-256, one revision) and timestamp the signature.

    :param pdf: the PDF to sign
    :param reason: the /Reason of the signature, e.g. "Signed off by the governing body"
    :param location: the /Location, e.g. the network's name
    :param site_id: Plone site id whose certificate signs; defaults to the current site
    :param stamping: a checked timestamp client (``links.content.timestamps.api.prepare``; default: one
        prepared now from the current site's settings)
    :returns: the sealed PDF and the level reached
    :raises links.content.timestamps.exceptions.TimestampError: timestamps are required and none could
        be obtained (nothing is signed; the message says what to fix)
    :raises links.content.keys.exceptions.KeyMissing: the site's certificate or key file is missing
    """
    import asyncio
    from io import BytesIO

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.signers.pdf_signer import DSSContentSettings
    from pyhanko.sign.signers.pdf_signer import SigDSSPlacementPreference
    from pyhanko.sign.timestamps import TimestampRequestError
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.errors import PathBuildingError
    from pyhanko_certvalidator.errors import PathValidationError

    from links.content.timestamps import api as timestamps_api
    from links.content.timestamps.exceptions import TimestampUnavailable

    signer = _signer(site_id)
    stamping = stamping if stamping is not None else timestamps_api.prepare()
    client, notes = stamping.client, list(stamping.notes)
    roots = [signer.signing_cert, *timestamps_api.trusted_certificates(stamping.config), *stamping.roots]

    def metadata(long_term: bool):
        extra = {}
        if long_term:
            extra = {
                "embed_validation_info": True,
                "validation_context": ValidationContext(
                    trust_roots=roots, allow_fetching=True, revocation_mode="soft-fail"
                ),
                # Validation data in the signed revision: the signature covers the whole file.
                "dss_settings": DSSContentSettings(
                    placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE, include_vri=False
                ),
            }
        return signers.PdfSignatureMetadata(
            field_name="SignOff",
            md_algorithm="sha256",
            subfilter=SigSeedSubFilter.PADES,
            reason=reason,
            location=location,
            **extra,
        )

    async def sign(long_term: bool) -> bytes:
        out = BytesIO()
        await signers.PdfSigner(metadata(long_term), signer=signer, timestamper=client).async_sign_pdf(
            IncrementalPdfFileWriter(BytesIO(pdf)), output=out, bytes_reserved=SIGNATURE_BYTES
        )
        return out.getvalue()

    def run(long_term: bool) -> bytes:
        return outside_event_loop(lambda: asyncio.run(sign(long_term)))

    try:
        try:
            data, level = run(long_term=True), ("B-LT" if client is not None else "B-B")
        except (PathBuildingError, PathValidationError) as error:
            if client is None:
                raise
            # No complete chain for the validation data: the timestamp alone still holds.
            notes.append(
                "Long-term validation data left out: the timestamp authority's certificate chain could not "
                f"be completed ({error}). Add its root certificate to {timestamps_api.TRUSTED}."
            )
            data, level = run(long_term=False), "B-T"
    except (TimestampRequestError, OSError) as error:  # the TSA failed after answering the check
        raise TimestampUnavailable(timestamps_api.explain(error, stamping.config)) from error
    return SealedPdf(data=data, level=level, timestamp=_timestamp_of(data), notes=notes)


def _timestamp_of(data: bytes) -> dict | None:
    """Time and TSA of the signature timestamp in a freshly signed PDF (None without one)."""
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter

    [embedded] = PdfFileReader(BytesIO(data)).embedded_signatures[-1:]
    token = next(extract_tst_data_iter(embedded.signer_info, signed=False), None)
    if token is None:
        return None
    info = token["encap_content_info"]["content"].parsed
    tsa = info["tsa"]
    return {
        "time": info["gen_time"].native.isoformat(),
        "tsa": tsa.chosen.human_friendly if tsa.native is not None else None,
    }


def outside_event_loop(func):
    """Call ``func()``; in a worker thread when this thread already runs an asyncio event loop.

    pyHanko's synchronous API calls ``asyncio.run``, which fails inside a running loop (e.g. a
    server or test harness driven by asyncio). ``func`` must not touch the ZODB or the site hook,
    which are thread-local.

    :param func: a callable without arguments
    :returns: its result (exceptions propagate)
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return func()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(func).result()
