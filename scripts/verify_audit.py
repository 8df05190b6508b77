"""Verify a site's audit trail. Run with: bin/instance run scripts/verify_audit.py [site-id]

Recomputes the whole hash chain (ZODB entries and the read-event files), checks every checkpoint's Ed25519
seal against the site's public key and every version and signature the chain witnesses, prints a summary
and names the first broken entry. ``--chain-only`` skips the versions and signatures. Exit status: 0 if
the trail verifies, 1 if it does not, 2 if the site does not exist. Changes nothing.
"""

import json
import os
import sys

from zope.component.hooks import setSite

from links.content.audit import api as audit

LABELS = {"zodb": "ZODB chain", "files": "read-event files", "records": "versions and signatures"}


def main(app, argv) -> int:
    # bin/instance run may leave the script's own path in argv: skip it.
    args = [a for a in argv if not a.startswith("-") and not a.endswith("verify_audit.py")]
    site_id = args[0] if args else os.environ.get("SITE_ID") or "links"
    site = app.get(site_id)
    if site is None or getattr(site, "portal_type", None) != "Plone Site":
        print(f"No Plone site '{site_id}' in this instance.", file=sys.stderr)
        return 2
    setSite(site)
    result = audit.verify(site, records="--chain-only" not in argv)
    for store in ("zodb", "files", "records"):
        part = result.get(store)
        if part is None:
            continue
        label = {"zodb": "ZODB chain", "files": "read-event files", "records": "versions and signatures"}[
            store
        ]
        if part.get("skipped"):
            print(f"{label}: not checked, because the chain is broken")
        elif part["ok"] and store == "records":
            print(
                f"{label}: OK, {part['versions']} versions and {part['signatures']} signatures as witnessed"
            )
            for gap in part.get("unwitnessed_versions") or ():
                print(f"  NOT PROVABLE: {gap}")
        elif part["ok"]:
            extra = f", {part.get('checkpoints', 0)} sealed checkpoints" if store == "zodb" else ""
            print(f"{label}: OK, {part['entries']} entries{extra}")
        else:
            print(f"{label}: BROKEN at entry {part['broken_seq']}: {part['reason']}")
        if part.get("unanchored"):
            print(f"  NOT PROVABLE: {part['unanchored']}")
    print(
        "Checked against this host's own evidence only: a history rewritten and re-sealed here is caught by "
        '`links-verify log` with a checkpoint kept outside the host (README, "A witness\'s routine").'
    )
    if "--json" in argv:
        print(json.dumps(result, indent=2, default=str))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(app, sys.argv[1:]))  # noqa: F821 (bin/instance run provides `app`)
