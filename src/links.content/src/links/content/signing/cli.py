"""``links-verify``: check a signed-off PDF and a record's signatures offline (no Zope needed).

Usage::

    links-verify pdf REPORT.pdf [--cert SITE-CERT.pem]
    links-verify signatures SIGNATURES.json --public-key SEAL-KEY.pem

``pdf`` validates the PAdES signature(s) with pyHanko: intact (the signed bytes are unchanged),
valid (the signature checks against the signer's certificate), whether the certificate is trusted
(only with ``--cert``: the site's certificate as the trust root), signer, signing time, and whether
the file was changed after signing. ``signatures`` checks the Ed25519 seal of every signature in a
saved ``GET <record>/@signatures`` answer against the site's seal public key
(``var/keys/<site>/seal-ed25519.pub.pem``, also given in that answer — prefer a copy you trust).

Exit status: 0 all valid, 1 something invalid, 2 unusable input.
"""

import argparse
import json
import sys
from pathlib import Path


def verify_pdf(data: bytes, cert_pem: bytes | None = None) -> list[dict]:
    """Validate every signature embedded in a PDF.

    :param data: the PDF bytes
    :param cert_pem: a trusted certificate (PEM) to validate the signer against, or None
    :returns: one dict per signature: ``field``, ``intact``, ``valid``, ``trusted``, ``signer``,
        ``time``, ``covers_whole_file``, ``modified_after_signing``, ``ok``
    """
    from io import BytesIO

    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(BytesIO(data), strict=False)
    context = None
    if cert_pem:
        context = ValidationContext(trust_roots=list(load_certs_from_pemder_data(cert_pem)))
    results = []
    from links.content.pdf.api import outside_event_loop

    for embedded in reader.embedded_signatures:
        status = outside_event_loop(lambda embedded=embedded: validate_pdf_signature(embedded, context))
        whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        modified = not whole
        result = {
            "field": embedded.field_name,
            "intact": bool(status.intact),
            "valid": bool(status.valid),
            "trusted": bool(status.trusted) if cert_pem else None,
            "signer": status.signing_cert.subject.human_friendly if status.signing_cert else None,
            "time": status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
            "covers_whole_file": whole,
            "modified_after_signing": modified,
        }
        result["ok"] = (
            result["intact"] and result["valid"] and not modified and result["trusted"] is not False
        )
        results.append(result)
    return results


def verify_signatures(data: dict | list, public_key_pem: bytes) -> list[dict]:
    """Check the seals of exported signature records.

    :param data: a ``@signatures`` answer (dict with ``items``) or a list of records
    :param public_key_pem: the site's Ed25519 seal public key (PEM)
    :returns: one dict per record: ``seq``, ``signer``, ``meaning``, ``version_id``, ``sha256``,
        ``seal_valid``
    """
    from links.content.integrity import load_public_key
    from links.content.integrity import verify_seal

    key = load_public_key(public_key_pem)
    items = data.get("items", []) if isinstance(data, dict) else data
    return [
        {
            "seq": r.get("seq"),
            "signer": r.get("signer"),
            "meaning": r.get("meaning"),
            "version_id": r.get("version_id"),
            "sha256": r.get("sha256"),
            "seal_valid": verify_seal(r, key),
        }
        for r in items
    ]


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``links-verify``."""
    parser = argparse.ArgumentParser(prog="links-verify", description="Verify LINk signatures offline.")
    sub = parser.add_subparsers(dest="command", required=True)
    pdf = sub.add_parser("pdf", help="validate the PAdES signature of a signed-off PDF")
    pdf.add_argument("file", type=Path)
    pdf.add_argument("--cert", type=Path, help="the site's certificate (PEM) to trust")
    sigs = sub.add_parser("signatures", help="check the seals of a saved @signatures JSON answer")
    sigs.add_argument("file", type=Path)
    sigs.add_argument("--public-key", type=Path, required=True, help="the site's seal public key (PEM)")
    args = parser.parse_args(argv)

    try:
        if args.command == "pdf":
            results = verify_pdf(args.file.read_bytes(), args.cert.read_bytes() if args.cert else None)
            if not results:
                print(f"{args.file}: no signature found")
                return 1
            for r in results:
                verdict = "VALID" if r["ok"] else "INVALID"
                print(f"{args.file}: signature {r['field']}: {verdict}")
                print(f"  signer: {r['signer']}")
                print(f"  signing time: {r['time']}")
                print(
                    f"  intact: {r['intact']}; cryptographically valid: {r['valid']}; trusted: {r['trusted']}"
                )
                print(f"  modified after signing: {'yes' if r['modified_after_signing'] else 'no'}")
            return 0 if all(r["ok"] for r in results) else 1
        results = verify_signatures(json.loads(args.file.read_text("utf-8")), args.public_key.read_bytes())
        for r in results:
            verdict = "VALID" if r["seal_valid"] else "INVALID"
            print(
                f"signature {r['seq']}: {verdict} seal — {r['signer']} {r['meaning']} "
                f"version {r['version_id']} "
                f"sha256 {r['sha256']}"
            )
        return 0 if results and all(r["seal_valid"] for r in results) else 1
    except (OSError, ValueError) as error:
        print(f"links-verify: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # a PDF too broken for pyHanko to read is "invalid", not a crash
        print(f"links-verify: cannot validate: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
