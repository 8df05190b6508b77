"""Run by the cluster test in two Zope processes at once (bin/instance run ... NAME COUNT): create COUNT
records, each in its own transaction with the next case reference, retrying a conflict as Zope's
publisher does. Prints JSON: the references and paths this process committed."""

import json
import sys

import transaction
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SpecialUsers import system
from plone import api
from Testing.makerequest import makerequest
from ZODB.POSException import ConflictError
from zope.component.hooks import setSite
from zope.globalrequest import setRequest

from links.content.complaints.api import next_reference

name, count = sys.argv[-2], int(sys.argv[-1])
app = makerequest(app)  # noqa: F821 (bin/instance run provides `app`)
setRequest(app.REQUEST)
newSecurityManager(None, system)
done, conflicts = [], 0
for i in range(count):
    for _attempt in range(20):
        try:
            transaction.begin()
            app._p_jar.sync()
            site = app.links
            setSite(site)
            reference = next_reference(2026)
            record = api.content.create(container=site, type="Document", id=f"{name}-{i}", title=reference)
            transaction.commit()
            done.append({"reference": reference, "path": "/".join(record.getPhysicalPath())})
            break
        except ConflictError:
            transaction.abort()
            conflicts += 1
    else:
        raise SystemExit(f"{name}-{i}: still conflicting after 20 attempts")
print(json.dumps({"done": done, "conflicts": conflicts}))
