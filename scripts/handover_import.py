"""Import a handover archive. Run with: ARCHIVE=... bin/instance run scripts/handover_import.py

Environment: ARCHIVE (required), SITE_ID (default "links"), CREATE=1 to create the site first if missing
(empty, without demo data), FINGERPRINT (the outgoing host's key fingerprint; recommended), BATCH (records
per transaction, default 100). Verifies the whole archive first; refuses a damaged one and changes nothing.
Re-running after an interruption continues where it stopped. Ends with the verification report.
"""

import json
import os
import sys

from Testing.makerequest import makerequest
from zope.component.hooks import setSite
from zope.globalrequest import setRequest

from links.policy.handover import api
from links.policy.handover.exceptions import ArchiveRefused
from links.policy.handover.exceptions import HandoverError
from links.policy.handover.progress import Progress
from links.policy.site import run_as_site_builder


def main(app) -> int:
    app = makerequest(app)
    setRequest(app.REQUEST)
    run_as_site_builder(app)  # the Zope admin, as make create-site
    archive = os.environ.get("ARCHIVE")
    if not archive:
        print("Give the archive: make handover-import ARCHIVE=path/to/archive.zip", file=sys.stderr)
        return 2
    site_id = os.environ.get("SITE_ID") or "links"
    if site_id not in app.objectIds() and os.environ.get("CREATE", "1") in ("1", "true", "yes"):
        from links.policy.site import create_site

        create_site(app, site_id=site_id, demo=False)
    site = app[site_id]
    setSite(site)
    try:
        summary = api.import_archive(
            site,
            archive,
            os.environ.get("FINGERPRINT") or None,
            batch_size=int(os.environ.get("BATCH") or 100),
        )
    except ArchiveRefused as error:
        print("The archive was refused; nothing was imported:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except HandoverError as error:
        print(f"Import refused: {error}", file=sys.stderr)
        return 1
    print(f"Imported {summary['imported']} records, skipped {summary['skipped']} already there.")
    report = api.compare(site, archive, progress=Progress(site_id, "import"))
    print("Verification: identical" if report["identical"] else "Verification: DIFFERENCES")
    for difference in report["differences"]:
        print(json.dumps(difference, ensure_ascii=False))
    return 0 if report["identical"] else 3


if __name__ == "__main__":
    sys.exit(main(app))  # noqa: F821 (bin/instance run provides `app`)
