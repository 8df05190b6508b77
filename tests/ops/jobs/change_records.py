"""Run by the restore drill (bin/instance run): change a record after the backup, audited as any edit.

Prints JSON: the changed record's path and its title before and after.
"""

import json
import sys

import transaction
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SpecialUsers import system
from plone.dexterity.interfaces import IDexterityContent
from Testing.makerequest import makerequest
from zope.component.hooks import setSite
from zope.event import notify
from zope.globalrequest import setRequest
from zope.lifecycleevent import Attributes
from zope.lifecycleevent import ObjectModifiedEvent


def main(app, path):
    app = makerequest(app)
    setRequest(app.REQUEST)
    newSecurityManager(None, system)
    site = app.links
    setSite(site)
    record = site.unrestrictedTraverse(path)
    before = record.title
    record.title = "Changed after the backup"
    notify(ObjectModifiedEvent(record, Attributes(IDexterityContent, "title")))
    record.reindexObject()
    transaction.commit()
    print(json.dumps({"path": "/".join(record.getPhysicalPath()), "before": before, "after": record.title}))


if __name__ == "__main__":
    main(app, sys.argv[-1])  # noqa: F821 (bin/instance run provides `app`)
