"""Verify an archive, and compare a site with it.

Run with: ARCHIVE=... FINGERPRINT=... bin/instance run scripts/handover_verify.py

Environment: ARCHIVE (required), FINGERPRINT (the outgoing host's handover fingerprint: SHA-256 of the DER
public key, as `make handover-export` printed it; without it only the archive's integrity is checked, not
who made it), IDENTITY (the successor's age identity file, for an encrypted archive), SITE_ID (compare this
site with the archive; without it only the archive is checked). Exit code 0: good / identical.
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
        print("Give the archive: ARCHIVE=path/to/archive.zip", file=sys.stderr)
        return 2
    fingerprint = os.environ.get("FINGERPRINT") or None
    identity = os.environ.get("IDENTITY") or None
    try:
        manifest = api.verify_archive(archive, fingerprint, identity=identity)
    except ArchiveRefused as error:
        for problem in error.problems:
            print(f"REFUSED: {problem}")
        return 1
    except HandoverError as error:
        print(f"REFUSED: {error}")
        return 1
    where = f"{manifest['totals']['items']} records from site {manifest['source']['site_id']!r}"
    if fingerprint:
        print(f"Archive good: {where}, signed by the outgoing host's key {manifest['public_key_sha256']}")
    else:
        print(
            f"Archive intact ({where}), but authenticity NOT checked: no FINGERPRINT given, so anyone could "
            f"have signed it. Its key has handover fingerprint (SHA-256 of the DER public key) "
            f"{manifest['public_key_sha256']}: compare it with the one the outgoing host gave you."
        )
    site_id = os.environ.get("SITE_ID")
    if not site_id:
        return 0
    site = app[site_id]
    setSite(site)
    report = api.compare(site, archive, fingerprint, identity=identity, progress=Progress(site_id, "verify"))
    print("identical" if report["identical"] else f"{len(report['differences'])} differences")
    for difference in report["differences"]:
        print(json.dumps(difference, ensure_ascii=False))
    for reason in report["left_out"]:
        print(f"left out on import: {reason}")
    return 0 if report["identical"] else 3


if __name__ == "__main__":
    sys.exit(main(app))  # noqa: F821 (bin/instance run provides `app`)
