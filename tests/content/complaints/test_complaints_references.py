"""Case and FOI references under concurrency: two threads, two ZODB connections, one database.

Each thread does what a Zope worker does for one request: open a connection, allocate (and create the
record), commit, and on a ConflictError abort and do it all again (Zope retries a request up to three
times). Thread A commits first; thread B, which allocated at the same time, must then conflict, not
commit the same number.
"""

import threading
from datetime import date

import pytest
import transaction
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import noSecurityManager
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from Testing.makerequest import makerequest
from ZODB.POSException import ConflictError
from zope.component.hooks import setSite
from zope.globalrequest import clearRequest
from zope.globalrequest import setRequest

from links.content.annotations import annotated_tree
from links.content.complaints import api as capi
from links.content.foi import api as foi_api

from .conftest import complaint_data

YEAR = 2026


class Worker(threading.Thread):
    """One Zope worker: its own connection and transaction; retries on conflicts like Zope."""

    def __init__(self, db, portal_path, work, allocated, go):
        super().__init__()
        self.db, self.portal_path, self.work = db, portal_path, work
        self.allocated, self.go = allocated, go  # barrier: both allocated; event: may commit now
        self.attempts, self.conflicts, self.error = [], 0, None

    def run(self):
        # transaction.manager is per thread: the catalog's indexing queue joins the same transaction.
        manager = transaction.manager
        connection = self.db.open()
        try:
            app = makerequest(connection.root()["Application"])
            setRequest(app.REQUEST)
            newSecurityManager(None, app.acl_users.getUser(SITE_OWNER_NAME).__of__(app.acl_users))
            portal = app.unrestrictedTraverse(self.portal_path)
            setSite(portal)
            for attempt in range(3):
                manager.begin()
                self.attempts.append(self.work(portal))
                if attempt == 0:
                    self.allocated.wait(timeout=30)
                    self.go.wait(timeout=30)
                try:
                    manager.commit()
                    return
                except ConflictError:
                    self.conflicts += 1
                    manager.abort()
                    connection.sync()
        except Exception as error:  # reported by the test
            self.error = error
            manager.abort()
        finally:
            setSite(None)
            clearRequest()
            noSecurityManager()
            connection.close()


def race(portal, work):
    """Run ``work`` in two workers allocating at once; A commits first, then B."""
    transaction.commit()
    db = portal._p_jar.db()
    path = "/".join(portal.getPhysicalPath())
    allocated = threading.Barrier(2)
    go_a, go_b = threading.Event(), threading.Event()
    a = Worker(db, path, work, allocated, go_a)
    b = Worker(db, path, work, allocated, go_b)
    a.start(), b.start()
    go_a.set()
    a.join(timeout=60)
    go_b.set()
    b.join(timeout=60)
    assert a.error is None and b.error is None, (a.error, b.error)
    transaction.begin()
    portal._p_jar.sync()
    return a, b


@pytest.mark.parametrize(
    ("allocate", "key", "prefix"),
    [
        (lambda portal: capi.next_reference(YEAR), capi.COUNTER_KEY, "C"),
        (lambda portal: foi_api.next_reference(YEAR), foi_api.COUNTER_KEY, "FOI"),
        (lambda portal: foi_api.next_reference(YEAR, "subject-access"), foi_api.SAR_COUNTER_KEY, "SAR"),
    ],
)
def test_two_transactions_allocating_at_once_never_commit_the_same_number(
    functional_portal, allocate, key, prefix
):
    assert allocate(functional_portal) == f"{prefix}-{YEAR}-0001"  # the year's counter exists
    a, b = race(functional_portal, allocate)
    # Both read 1 and allocated 0002; B could not commit it and, retried, got 0003. (A BTrees.Length
    # counter let both commit 0002.)
    assert a.attempts == [f"{prefix}-{YEAR}-0002"]
    assert b.attempts == [f"{prefix}-{YEAR}-0002", f"{prefix}-{YEAR}-0003"]
    assert b.conflicts == 1
    assert annotated_tree(functional_portal, key)[YEAR] == 3


def test_two_officers_logging_complaints_in_two_folders_get_two_references(functional_portal):
    with api.env.adopt_roles(["Manager"]):
        for folder in ("north", "south"):
            api.content.create(container=functional_portal, type="Folder", id=folder, title=folder)
        capi.create_complaint(functional_portal["north"], **complaint_data(received=date(YEAR, 11, 2)))
    folders = iter(("north", "south"))
    names = {}

    def log_complaint(portal):
        thread = threading.current_thread().name
        if thread not in names:
            names[thread] = next(folders)
        complaint = capi.create_complaint(portal[names[thread]], **complaint_data(received=date(YEAR, 11, 2)))
        return complaint.reference

    a, b = race(functional_portal, log_complaint)
    references = {a.attempts[-1], b.attempts[-1]}
    assert references == {f"C-{YEAR}-0002", f"C-{YEAR}-0003"}  # unique, and no gap
    assert b.conflicts >= 1
    catalog = api.portal.get_tool("portal_catalog")
    found = sorted(
        brain._unrestrictedGetObject().reference
        for brain in catalog.unrestrictedSearchResults(portal_type="Complaint")
    )
    assert found == [f"C-{YEAR}-0001", f"C-{YEAR}-0002", f"C-{YEAR}-0003"]
    assert annotated_tree(functional_portal, capi.COUNTER_KEY)[YEAR] == 3
