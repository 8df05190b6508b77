"""Export the site into one signed handover archive. Run with: bin/instance run scripts/handover_export.py

Environment: SITE_ID (default "links"), ARCHIVE (default var/handover/<site>-handover-<time>.zip),
PASSWORDS=1 to include password hashes, REPORT=0 to leave out the transitional report PDF, ENCRYPT_TO=age1...
to encrypt the archive for the successor (their recipient, from scripts/handover_keygen.py).
Prints progress on stderr, then the archive path and the handover fingerprint (SHA-256 of the DER public
key): give it to the successor by another channel (phone, letter), so they can check the archive came from
you. The archive holds everyone's personal data: it is written 0600 in a 0700 folder and deleted by the
export after LINKS_HANDOVER_KEEP_DAYS (30) days; delete it as soon as the successor confirms the import.
"""

import os
import sys

from Testing.makerequest import makerequest
from zope.component.hooks import setSite
from zope.globalrequest import setRequest

from links.policy.handover import api
from links.policy.site import run_as_site_builder


def main(app):
    app = makerequest(app)
    setRequest(app.REQUEST)
    run_as_site_builder(app)  # the Zope admin, as make create-site
    site = app[os.environ.get("SITE_ID") or "links"]
    setSite(site)
    summary = api.export_archive(
        site,
        os.environ.get("ARCHIVE") or None,
        include_passwords=os.environ.get("PASSWORDS", "") in ("1", "true", "yes"),
        include_report=os.environ.get("REPORT", "1") not in ("0", "false", "no"),
        encrypt_to=os.environ.get("ENCRYPT_TO") or None,
    )
    totals = summary["totals"]
    print(f"Archive: {summary['path']} ({summary['size']} bytes)")
    print(f"Records: {totals['items']}, versions: {totals['versions']}, files: {totals['blobs']}")
    print(f"Handover fingerprint (SHA-256 of the DER public key): {summary['fingerprint']}")
    print(
        "Encrypted for the successor (age)."
        if summary["encrypted"]
        else "Not encrypted (ENCRYPT_TO=age1...)."
    )
    for path in summary["removed"]:
        print(f"Deleted an archive older than the keep period: {path}")


if __name__ == "__main__":
    main(app)  # noqa: F821 (bin/instance run provides `app`)
    sys.exit(0)
