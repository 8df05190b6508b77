"""Render HTML into a PDF with weasyprint (A4, tagged for accessibility).

Only ``data:`` URLs are fetched while rendering: record text is user input, and a PDF renderer
that follows arbitrary URLs would let an editor make the server fetch internal addresses.
The base stylesheet ``styles.css`` next to this module is always applied.
"""

from pathlib import Path
from zoneinfo import ZoneInfo

STYLESHEET = Path(__file__).with_name("styles.css")
LONDON = ZoneInfo("Europe/London")

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


def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """Render an HTML document to PDF bytes.

    :param html: a complete HTML document (UTF-8 text); set ``<html lang>`` and ``<title>``
    :param base_url: base for relative URLs (only ``data:`` URLs are actually fetched)
    :returns: the PDF (PDF/UA-1 variant, tagged, A4 via the base stylesheet)
    """
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher())
    return document.write_pdf(stylesheets=[_stylesheet()], pdf_variant="pdf/ua-1", pdf_tags=True)


def sign_pdf(pdf: bytes, reason: str, location: str | None = None, site_id: str | None = None) -> bytes:
    """Sign a PDF with the site certificate (PAdES baseline B, SHA-256), as an incremental update.

    :param pdf: the PDF to sign
    :param reason: the /Reason of the signature, e.g. "Signed off by the governing body"
    :param location: the /Location, e.g. the network's name
    :param site_id: Plone site id whose certificate signs; defaults to the current site
    :returns: the signed PDF bytes (the input is a prefix of the output)
    """
    from io import BytesIO

    from pyhanko.keys.internal import translate_pyca_cryptography_cert_to_asn1
    from pyhanko.keys.internal import translate_pyca_cryptography_key_to_asn1
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter
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

    signer = LoadedKeySigner(
        signing_cert=asn1_cert,
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        cert_registry=SimpleCertificateStore.from_certs([asn1_cert]),
    )
    meta = signers.PdfSignatureMetadata(
        field_name="SignOff",
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )

    def run() -> bytes:
        writer = IncrementalPdfFileWriter(BytesIO(pdf))
        out = BytesIO()
        # A fixed reservation (an RSA 3072 CMS with one certificate needs about 3 kB) spares pyHanko a
        # dry-run signature to estimate the size.
        signers.PdfSigner(meta, signer=signer).sign_pdf(writer, output=out, bytes_reserved=16384)
        return out.getvalue()

    return outside_event_loop(run)


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
