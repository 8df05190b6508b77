"""Check the PAdES signature of a PDF offline, against trust anchors the checker chooses (no Zope).

Integrity alone proves nothing about who signed: anyone can sign a PDF with a certificate of their own.
A signature is therefore "trusted" only when its certificate chains to an anchor given by the checker —
the network's certificate (``--cert``) or its SHA-256 fingerprint (``--fingerprint``), as the network
publishes them — and a result without an anchor is not ``ok``.

A signature with an RFC 3161 timestamp (PAdES B-T) whose authority is trusted is checked as of the
timestamp's time, so it still validates after the signer's certificate has expired.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from io import BytesIO

#: Said when no trust anchor was given.
NOT_TRUSTED = "signer not trusted"


def _certificates(pem: bytes | None) -> list:
    from pyhanko.keys import load_certs_from_pemder_data

    return list(load_certs_from_pemder_data(pem)) if pem else []


def certificate_fingerprint(cert) -> str:
    """SHA-256 (hex) of a certificate's DER encoding, as ``openssl x509 -fingerprint -sha256`` shows it."""
    return hashlib.sha256(cert.dump()).hexdigest()


def _normalise(fingerprint: str | None) -> str | None:
    return fingerprint.replace(":", "").strip().lower() if fingerprint else None


def _level(status, reader) -> str:
    if status.timestamp_validity is None:
        return "B-B"
    dss = reader.root.get("/DSS")
    return "B-LT" if dss is not None and "/Certs" in dss.get_object() else "B-T"


def verify_pdf(
    data: bytes,
    cert_pem: bytes | None = None,
    fingerprint: str | None = None,
    tsa_pem: bytes | None = None,
    moment: datetime | None = None,
) -> list[dict]:
    """Validate every signature embedded in a PDF.

    :param data: the PDF bytes
    :param cert_pem: trusted certificate(s) (PEM): the network's certificate or its CA
    :param fingerprint: SHA-256 of the network's certificate; the signer's certificate must be it
    :param tsa_pem: trusted root certificate(s) of timestamp authorities (PEM)
    :param moment: check as if it were then (default: now)
    :returns: one dict per signature: ``field``, ``intact``, ``valid``, ``trusted``, ``signer``,
        ``signer_fingerprint``, ``time`` (the signer's own claim), ``timestamp`` (``{time, tsa, intact,
        valid, trusted}`` or None), ``level`` (``B-B``/``B-T``/``B-LT``), ``covers_whole_file``,
        ``modified_after_signing``, ``problems`` (words), ``ok``
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    from links.content.pdf.api import outside_event_loop

    anchors = _certificates(cert_pem)
    tsa_anchors = _certificates(tsa_pem)
    wanted = _normalise(fingerprint)
    reader = PdfFileReader(BytesIO(data), strict=False)
    results = []
    for embedded in reader.embedded_signatures:
        problems = []
        signer_cert = embedded.signer_cert
        signer_fp = certificate_fingerprint(signer_cert) if signer_cert is not None else None
        roots = list(anchors)
        if wanted:
            if signer_fp == wanted:
                roots.append(signer_cert)
            else:
                problems.append(
                    f"{NOT_TRUSTED}: its certificate's SHA-256 fingerprint is {signer_fp}, not {wanted}"
                )
        if not anchors and not wanted:
            problems.append(
                f"{NOT_TRUSTED}: give the network's certificate (--cert) or its fingerprint (--fingerprint)"
            )

        def context(at=None, trust=roots):
            kwargs = {"moment": at} if at is not None else {}
            return ValidationContext(trust_roots=trust, allow_fetching=False, **kwargs)

        ts_context = context(moment, tsa_anchors + roots)

        def validate(at, embedded=embedded, ts_context=ts_context, context=context):
            return outside_event_loop(
                lambda: validate_pdf_signature(embedded, context(at), ts_validation_context=ts_context)
            )

        status = validate(moment)
        stamp = status.timestamp_validity
        timestamp = None
        if stamp is not None:
            timestamp = {
                "time": stamp.timestamp.isoformat(),
                "tsa": stamp.signing_cert.subject.human_friendly if stamp.signing_cert else None,
                "intact": bool(stamp.intact),
                "valid": bool(stamp.valid),
                "trusted": bool(stamp.trusted),
            }
            if not (stamp.intact and stamp.valid):
                problems.append("its timestamp token is broken")
            elif tsa_anchors and not stamp.trusted:
                problems.append("its timestamp authority is not one of the trusted ones given (--tsa-cert)")
            if stamp.intact and stamp.valid and stamp.trusted and roots and not status.trusted:
                # B-T: the signer's certificate is checked as of the time the TSA vouches for.
                status = validate(stamp.timestamp)
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        maintenance_only = (
            status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and status.modification_level is not None
            and status.modification_level <= ModificationLevel.LTA_UPDATES
        )
        modified = not (whole or maintenance_only)
        trusted = bool(status.trusted) and bool(roots)
        if not status.intact:
            problems.append("the signed bytes have changed")
        elif not status.valid:
            problems.append("the signature does not check against its certificate")
        if modified:
            problems.append("the file was changed after it was signed")
        if roots and not trusted and not any(p.startswith(NOT_TRUSTED) for p in problems):
            problems.append(f"{NOT_TRUSTED}: its certificate does not chain to the anchors given")
        result = {
            "field": embedded.field_name,
            "intact": bool(status.intact),
            "valid": bool(status.valid),
            "trusted": trusted,
            "signer": signer_cert.subject.human_friendly if signer_cert is not None else None,
            "signer_fingerprint": signer_fp,
            "time": status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
            "timestamp": timestamp,
            "level": _level(status, reader),
            "covers_whole_file": whole,
            "modified_after_signing": modified,
            "problems": problems,
        }
        result["ok"] = not problems
        results.append(result)
    return results
