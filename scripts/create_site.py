"""Create the LINk site. Run with: bin/instance run scripts/create_site.py

Environment: SITE_ID (default "links"), FORCE=1 to recreate, DEMO=0 to leave out demo users and records.
Idempotent: an existing site is left alone unless FORCE=1.
"""

import os
import sys

from Testing.makerequest import makerequest
from zope.globalrequest import setRequest

from links.policy.site import create_site
from links.policy.site import run_as_site_builder


def flag(name, default):
    value = os.environ.get(name, "").strip().lower()
    return default if value == "" else value in ("1", "true", "yes", "on")


def main(app):
    app = makerequest(app)
    setRequest(app.REQUEST)
    # Run as the Zope admin: site creation needs Manager.
    run_as_site_builder(app)
    site_id = os.environ.get("SITE_ID") or "links"
    site, created = create_site(app, site_id=site_id, force=flag("FORCE", False), demo=flag("DEMO", True))
    state = "created" if created else "already there"
    print(f"Site '{site_id}' {state}.")


if __name__ == "__main__":
    main(app)  # noqa: F821 (bin/instance run provides `app`)
    sys.exit(0)
