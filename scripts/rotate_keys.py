"""Replace a site's seal key and PDF certificate with new ones (recorded in its audit trail).

Run with: bin/instance run scripts/rotate_keys.py [site-id] --reason "why"   (or: make rotate-keys REASON=...)

Rotate when a key may have leaked or the certificate is about to expire. Seals and PDFs made before keep
checking: the retired public key stays trusted and the retired certificate is kept in the keys folder's
``retired/``; the retired private keys are deleted. Back up the keys folder before and after.
"""

import argparse
import os
import sys

import transaction
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import noSecurityManager
from AccessControl.SpecialUsers import system
from Testing.makerequest import makerequest
from zope.component.hooks import setSite
from zope.globalrequest import setRequest

from links.content.keys.api import rotate_keys


def _args() -> list[str]:
    """Arguments after the script name (``bin/instance run`` keeps its own in front)."""
    for index, arg in enumerate(sys.argv):
        if arg.endswith("rotate_keys.py"):
            return sys.argv[index + 1 :]
    return sys.argv[1:]


def main(app, argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="rotate_keys.py", description=__doc__.splitlines()[0])
    parser.add_argument("site_id", nargs="?", default=os.environ.get("SITE_ID") or "links")
    parser.add_argument("--reason", required=True, help="why the keys are replaced (recorded)")
    args = parser.parse_args(argv)
    app = makerequest(app)
    setRequest(app.REQUEST)
    newSecurityManager(None, system)
    try:
        portal = app.get(args.site_id)
        if portal is None:
            print(f"No site called {args.site_id!r}: give its id as the first argument.", file=sys.stderr)
            return 1
        setSite(portal)
        details = rotate_keys(args.site_id, reason=args.reason, actor=os.environ.get("USER") or "system")
        transaction.commit()  # the audit entry and the trust in the retired key
    finally:
        noSecurityManager()
    print(f"Seal key:    {details['old']['seal_key']} -> {details['new']['seal_key']}")
    print(f"Certificate: {details['old']['certificate']} -> {details['new']['certificate']}")
    print("Kept: " + ", ".join(details["retired"]))
    print("Publish the new fingerprints where checkers find them, and back up the keys folder.")
    return 0


if __name__ == "__main__":
    sys.exit(main(app, _args()))  # noqa: F821 (bin/instance run provides `app`)
