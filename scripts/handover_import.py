"""Import a handover archive: ARCHIVE=... FINGERPRINT=... bin/instance run scripts/handover_import.py

Environment (or the same options as flags after the script name):
ARCHIVE / --archive (required); FINGERPRINT / --fingerprint: the outgoing host's handover fingerprint
(SHA-256 of the DER public key, as `make handover-export` printed it), required unless
INSECURE_NO_FINGERPRINT=1 / --insecure-no-fingerprint, which imports an archive nobody checked the signer
of (recorded in the audit trail and the report); SITE_ID (default "links"): the site is created for the
import if missing (CREATE=0 to refuse instead) and removed again if the import stops; IDENTITY /
--identity: the successor's age identity file for an encrypted archive; ADMIN_ROLES=1 / --admin-roles,
PASSWORD_HASHES=1 / --password-hashes, ALL_REGISTRY_RECORDS=1 / --all-registry-records: take these from
the archive too (left out by default); BATCH: records between savepoints (default 100).

The archive is verified completely first; the import is one transaction, kept only when the site then
compares identical with the archive. Exit codes: 0 imported and identical, 1 refused, 2 bad usage,
3 rolled back because of differences.
"""

import argparse
import json
import os
import sys

from Testing.makerequest import makerequest
from zope.component.hooks import setSite
from zope.globalrequest import setRequest

from links.policy.handover import api
from links.policy.handover.exceptions import ArchiveRefused
from links.policy.handover.exceptions import HandoverError
from links.policy.handover.exceptions import NotIdentical
from links.policy.site import run_as_site_builder

FLAGS = ("insecure_no_fingerprint", "admin_roles", "password_hashes", "all_registry_records")


def _yes(name: str) -> bool:
    return os.environ.get(name.upper(), "") in ("1", "true", "yes")


def arguments(argv):
    parser = argparse.ArgumentParser(prog="handover_import.py")
    parser.add_argument("--archive", default=os.environ.get("ARCHIVE") or None)
    parser.add_argument("--fingerprint", default=os.environ.get("FINGERPRINT") or None)
    parser.add_argument("--site-id", default=os.environ.get("SITE_ID") or "links")
    parser.add_argument("--identity", default=os.environ.get("IDENTITY") or None)
    parser.add_argument("--batch", type=int, default=int(os.environ.get("BATCH") or 100))
    for flag in FLAGS:
        parser.add_argument(f"--{flag.replace('_', '-')}", action="store_true", default=_yes(flag))
    return parser.parse_args(argv)


def print_report(summary: dict) -> None:
    report = summary["verification"]
    print(f"Authenticity: {report['authenticity']} (handover fingerprint {report['fingerprint']})")
    print("Verification: identical" if report["identical"] else "Verification: DIFFERENCES")
    for difference in report["differences"]:
        print(json.dumps(difference, ensure_ascii=False))
    if summary.get("left_out"):
        print(f"Left out on purpose ({len(summary['left_out'])}):")
        for reason in summary["left_out"]:
            print(f"  - {reason}")


def main(app, argv) -> int:
    args = arguments(argv)
    if not args.archive:
        print(
            "Give the archive: make handover-import ARCHIVE=path/to/archive.zip FINGERPRINT=...",
            file=sys.stderr,
        )
        return 2
    if args.insecure_no_fingerprint and not args.fingerprint:
        print(
            "WARNING: --insecure-no-fingerprint: the archive's signer is NOT checked. Anyone could have "
            "made or re-signed it. Its key will not be trusted; this is recorded in the audit trail.",
            file=sys.stderr,
        )
    app = makerequest(app)
    setRequest(app.REQUEST)
    run_as_site_builder(app)  # the Zope admin, as make create-site
    options = api.ImportOptions(**{flag: getattr(args, flag) for flag in FLAGS})
    kwargs = {"options": options, "identity": args.identity, "batch_size": args.batch}
    try:
        if args.site_id in app.objectIds():
            site = app[args.site_id]
            setSite(site)
            summary = api.import_archive(site, args.archive, args.fingerprint, **kwargs)
        elif os.environ.get("CREATE", "1") in ("1", "true", "yes"):
            summary = api.import_into_new_site(app, args.site_id, args.archive, args.fingerprint, **kwargs)
        else:
            print(f"There is no site {args.site_id!r} (CREATE=0).", file=sys.stderr)
            return 2
    except ArchiveRefused as error:
        print("The archive was refused; nothing was imported:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    except NotIdentical as error:
        print(f"{error}", file=sys.stderr)
        print_report({"verification": error.report})
        return 3
    except HandoverError as error:
        print(f"Import refused: {error}", file=sys.stderr)
        return 1
    if summary.get("already_imported"):
        print(f"This archive was already imported into {args.site_id!r} on {summary['already_imported']}.")
    else:
        print(f"Imported {summary['imported']} records into {args.site_id!r}.")
    print_report(summary)
    return 0 if summary["verification"]["identical"] else 3


if __name__ == "__main__":
    sys.exit(main(app, sys.argv[1:]))  # noqa: F821 (bin/instance run provides `app`)
