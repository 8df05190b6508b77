"""Create the LINk site. Run with: bin/instance run scripts/create_site.py

Environment: SITE_ID (default "links"), FORCE=1 to recreate, DEMO=0 to leave out demo users and records.
Idempotent: an existing site is left alone unless FORCE=1.

Production (LINKS_PRODUCTION=1, set by profiles/production.cfg): no demo users or records, ever (DEMO=1 is
refused), and the Zope root administrator is added from LINKS_ADMIN_PASSWORD or LINKS_ADMIN_PASSWORD_FILE
when the root has none yet.
"""

import os
import sys

import transaction
from Testing.makerequest import makerequest
from zope.globalrequest import setRequest

from links.policy.safety import DemoCredentialsError
from links.policy.safety import ensure_initial_admin
from links.policy.safety import is_production
from links.policy.site import create_site
from links.policy.site import run_as_site_builder


def flag(name, default):
    value = os.environ.get(name, "").strip().lower()
    return default if value == "" else value in ("1", "true", "yes", "on")


def main(app):
    production = is_production()
    demo = flag("DEMO", not production)
    if production and demo:
        print("Refusing DEMO=1: a production site never gets the demo users and records.", file=sys.stderr)
        return 2
    try:
        if ensure_initial_admin(app):
            transaction.commit()
    except DemoCredentialsError as error:
        print(f"Refusing: {error}.", file=sys.stderr)
        return 2
    app = makerequest(app)
    setRequest(app.REQUEST)
    # Run as the Zope admin: site creation needs Manager.
    run_as_site_builder(app)
    site_id = os.environ.get("SITE_ID") or "links"
    site, created = create_site(app, site_id=site_id, force=flag("FORCE", False), demo=demo)
    state = "created" if created else "already there"
    print(f"Site '{site_id}' {state}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(app))  # noqa: F821 (bin/instance run provides `app`)
