"""Verify LINk e-signatures.

Online, against the site's database (seals, version hashes and the stored signed PDF)::

    bin/instance run scripts/verify_signatures.py /links/reports/report-awaiting-signoff [--json]

The site's own certificates (current and retired) are the trust anchors of the stored PDF. Offline,
without Zope, use ``bin/links-verify`` (``links-verify pdf|signatures``, see README); this script passes
``pdf`` and ``signatures`` on to it.

Exit status: 0 everything valid, 1 something invalid or missing, 2 unusable input.
"""

import json
import sys


def verify_record(app, path: str) -> dict:
    """Verify every signature of the record at ``path`` and its stored signed PDF.

    :param app: the Zope application root
    :param path: physical path of the record, e.g. ``/links/reports/visit``
    :returns: ``{"record", "state", "signatures", "pdf", "ok"}``
    """
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.SpecialUsers import system
    from Testing.makerequest import makerequest
    from zope.component.hooks import setSite
    from zope.globalrequest import setRequest

    from links.content.keys.api import trusted_certificates_pem
    from links.content.pdf.verify import verify_pdf
    from links.content.signing import api as signing
    from links.content.timestamps import api as timestamps

    app = makerequest(app)
    setRequest(app.REQUEST)
    newSecurityManager(None, system)
    obj = app.unrestrictedTraverse(path.strip("/"))
    portal = obj
    while portal is not None and portal.meta_type != "Plone Site":
        portal = getattr(portal, "aq_parent", None)
    setSite(portal)
    items = signing.signatures(obj)
    pdf = signing.signed_pdf(obj)
    tsa = timestamps.settings().trusted_pem.encode("ascii") or None
    pdf_results = (
        verify_pdf(bytes(pdf.data), trusted_certificates_pem(), tsa_pem=tsa) if pdf is not None else []
    )
    ok = bool(items) and all(
        i["verification"]["seal_valid"] and i["verification"]["hash_matches"] for i in items
    )
    ok = ok and all(r["ok"] for r in pdf_results)
    return {
        "record": path,
        "state": signing.status(obj)["state"],
        "signatures": [
            {
                k: i[k]
                for k in (
                    "seq",
                    "signer",
                    "meaning",
                    "version_id",
                    "sha256",
                    "time",
                    "status",
                    "verification",
                )
            }
            for i in items
        ],
        "pdf": pdf_results,
        "ok": ok,
    }


def _print(result: dict) -> None:
    print(f"{result['record']} ({result['state']})")
    if not result["signatures"]:
        print("  no signatures")
    for s in result["signatures"]:
        v = s["verification"]
        verdict = "VALID" if v["seal_valid"] and v["hash_matches"] else "INVALID"
        print(
            f"  signature {s['seq']}: {verdict} ({s['status']}) {s['signer']} {s['meaning']} version "
            f"{s['version_id']} at {s['time']}; seal {'ok' if v['seal_valid'] else 'BROKEN'}, "
            f"version hash {'matches' if v['hash_matches'] else 'DOES NOT MATCH'}"
        )
    for r in result["pdf"]:
        stamp = f"timestamp {r['timestamp']['time']}" if r["timestamp"] else "no timestamp"
        print(
            f"  signed PDF: {'VALID' if r['ok'] else 'INVALID'} (PAdES {r['level']}, signer {r['signer']}, "
            f"{stamp}){'; ' + '; '.join(r['problems']) if r['problems'] else ''}"
        )
    print("OK" if result["ok"] else "NOT OK")


def _args() -> list[str]:
    """Arguments after the script name (``bin/instance run`` keeps its own in front)."""
    for index, arg in enumerate(sys.argv):
        if arg.endswith("verify_signatures.py"):
            return sys.argv[index + 1 :]
    return sys.argv[1:]


if __name__ == "__main__":
    args = _args()
    if "app" in globals() and args and args[0] not in ("pdf", "signatures"):
        result = verify_record(app, args[0])  # noqa: F821 (bin/instance run provides `app`)
        print(json.dumps(result, indent=2)) if "--json" in args else _print(result)
        sys.exit(0 if result["ok"] else 1)
    from links.content.cli import main

    sys.exit(main(args))
