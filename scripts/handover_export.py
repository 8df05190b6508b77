"""Export the site into one signed handover archive. Run with: bin/instance run scripts/handover_export.py

Environment: SITE_ID (default "links"), ARCHIVE (default var/handover/<site>-handover-<time>.zip),
PASSWORDS=1 to include password hashes, REPORT=0 to leave out the transitional report PDF.
Prints progress on stderr, then the archive path and the signing key's fingerprint (give it to the
successor host by another channel, so they can check the archive came from you).
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
    )
    totals = summary["totals"]
    print(f"Archive: {summary['path']} ({summary['size']} bytes)")
    print(f"Records: {totals['items']}, versions: {totals['versions']}, files: {totals['blobs']}")
    print(f"Signing key fingerprint (SHA-256): {summary['fingerprint']}")


if __name__ == "__main__":
    main(app)  # noqa: F821 (bin/instance run provides `app`)
    sys.exit(0)
