"""Verify an archive, and compare a site with it.

Run with: ARCHIVE=... bin/instance run scripts/handover_verify.py

Environment: ARCHIVE (required), SITE_ID (compare this site with the archive; without it only the archive
is checked), FINGERPRINT (the outgoing host's key fingerprint). Exit code 0: good / identical.
"""

import json
import os
import sys

from Testing.makerequest import makerequest
from zope.component.hooks import setSite
from zope.globalrequest import setRequest

from links.policy.handover import api
from links.policy.handover.exceptions import ArchiveRefused
from links.policy.handover.progress import Progress
from links.policy.site import run_as_site_builder


def main(app) -> int:
    app = makerequest(app)
    setRequest(app.REQUEST)
    run_as_site_builder(app)  # the Zope admin, as make create-site
    archive = os.environ.get("ARCHIVE")
    if not archive:
        print("Give the archive: ARCHIVE=path/to/archive.zip", file=sys.stderr)
        return 2
    try:
        manifest = api.verify_archive(archive, os.environ.get("FINGERPRINT") or None)
    except ArchiveRefused as error:
        for problem in error.problems:
            print(f"REFUSED: {problem}")
        return 1
    print(
        f"Archive good: {manifest['totals']['items']} records from site {manifest['source']['site_id']!r}, "
        f"key {manifest['public_key_sha256']}"
    )
    site_id = os.environ.get("SITE_ID")
    if not site_id:
        return 0
    site = app[site_id]
    setSite(site)
    report = api.compare(site, archive, progress=Progress(site_id, "verify"))
    print("identical" if report["identical"] else f"{len(report['differences'])} differences")
    for difference in report["differences"]:
        print(json.dumps(difference, ensure_ascii=False))
    return 0 if report["identical"] else 3


if __name__ == "__main__":
    sys.exit(main(app))  # noqa: F821 (bin/instance run provides `app`)
