"""Send the daily statutory-clock reminders.

Run with: bin/instance run scripts/send_reminders.py [site-id]   (or: make reminders SITE_ID=links)

The site id comes from the first argument, else the environment variable SITE_ID, else "links".
Cron (every day at 07:00, server time; the job judges "today" in Europe/London):
    0 7 * * * cd /srv/links && make reminders SITE_ID=links >>var/log/reminders.log 2>&1
Idempotent: a reminder already sent for the same clock, kind (due soon / overdue) and due date is not
sent again, so running it twice a day (or after a failure) never sends duplicates.
"""

import os
import sys

import transaction
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import noSecurityManager
from AccessControl.SpecialUsers import system
from Testing.makerequest import makerequest
from zope.component.hooks import setSite
from zope.globalrequest import setRequest

from links.content.clocks.reminders import send_reminders


def site_id_from(argv) -> str:
    """The first argument after this script's own name (``bin/instance run`` keeps its own in front)."""
    after = next((i + 1 for i, arg in enumerate(argv) if arg.endswith("send_reminders.py")), 1)
    args = [arg for arg in argv[after:] if not arg.startswith("-")]
    return (args[0] if args else "") or os.environ.get("SITE_ID") or "links"


def main(app, argv=None) -> int:
    site_id = site_id_from(sys.argv if argv is None else argv)
    app = makerequest(app)
    setRequest(app.REQUEST)
    newSecurityManager(None, system)
    try:
        portal = app.get(site_id)
        if portal is None:
            print(f"No site called {site_id!r}; give the site id as the first argument.", file=sys.stderr)
            return 1
        setSite(portal)
        sent = send_reminders(portal)
        # MailHost queues the mail (immediate=False); it leaves only when this commit succeeds, together
        # with the record of what was sent.
        transaction.commit()
    finally:
        noSecurityManager()
    for path, name, kind in sent:
        print(f"{kind:<9} {name:<30} {path}")
    print(f"{len(sent)} reminder(s) sent.")
    return 0


if __name__ == "__main__":
    sys.exit(main(app))  # noqa: F821 (bin/instance run provides `app`)
