"""Sign a checkpoint of the audit trail and e-mail it to the witnesses (at least daily, from cron).

Run with: make audit-checkpoint SITE_ID=links (a further ZEO client: the site may be running)

Chains whatever is still queued, anchors the read-event files' head into the chain, signs the Merkle root
with the site key (with an RFC 3161 token when a TSA is configured) and, after the commit, e-mails the
checkpoint to the witnesses (registry ``links.content.audit.witnesses``). Cron, daily at 06:30:
    30 6 * * * cd /srv/links && make audit-checkpoint SITE_ID=links >>var/log/audit.log 2>&1
Exit status: 0 signed, 1 no site or nothing to sign.
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

from links.content.audit import api as audit


def main(app, argv) -> int:
    args = [a for a in argv if not a.startswith("-") and not a.endswith("audit_checkpoint.py")]
    site_id = (args[0] if args else "") or os.environ.get("SITE_ID") or "links"
    app = makerequest(app)
    setRequest(app.REQUEST)
    newSecurityManager(None, system)
    try:
        site = app.get(site_id)
        if site is None or getattr(site, "portal_type", None) != "Plone Site":
            print(f"No Plone site {site_id!r}; give the site id as the first argument.", file=sys.stderr)
            return 1
        setSite(site)
        checkpoint = audit.checkpoint(site)
        if checkpoint is None:
            print("The audit trail is empty: nothing to sign.", file=sys.stderr)
            return 1
        transaction.get().note("links.content.audit: checkpoint")
        transaction.commit()
        print(f"Checkpoint {checkpoint['size']} signed: root {checkpoint['root_hash']}")
        return 0
    finally:
        noSecurityManager()


if __name__ == "__main__":
    sys.exit(main(app, sys.argv[1:]))  # noqa: F821 (bin/instance run provides `app`)
