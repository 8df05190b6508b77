"""Writes under contention: 8 editors x 25 edits each, over HTTP, at once.

Run: bin/zopepy benchmarks/bench_contention.py   (BENCH_QUICK=1: 4 editors x 5 edits)

A real Plone site (links.content's functional layer: DemoStorage over a real ZODB, a real WSGI server with
waitress's 4 threads, like bin/instance). Eight authorised representatives, each with an authorisation in
force, visited together; each of their draft reports lists all eight, so each may edit every one (the
Editor local role the site grants to visiting representatives). Each editor sends PATCH requests to
++api++ (new findings and premises, validated and versioned like any edit), one after the other, all
editors at the same time:
- 8 records: each editor edits their own report;
- 1 record: all editors edit the same report;
and the same two with plain Documents (Editor local role) as the baseline. Figures: edits per second and the
number of edits the user saw fail (any answer other than 2xx, e.g. a 409/500 after Zope's conflict retries
ran out; goal 0). Zope retries a conflicting request `retry_max_count` times (3 unless configured).
"""

import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from datetime import timedelta

import transaction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # zopepy execs the file: no script dir

from harness import add_test_eggs_to_path  # noqa: E402

add_test_eggs_to_path()

from harness import add_user  # noqa: E402
from harness import peak_rss_mb  # noqa: E402
from harness import plone_site  # noqa: E402
from harness import report  # noqa: E402
from harness import size  # noqa: E402

EDITORS = size("BENCH_EDITORS", 8, 4)
EDITS = size("BENCH_EDITS", 25, 5)
PASSWORD = "bench-password-1"


def build(portal):
    """EDITORS representatives with authorisations, EDITORS draft reports and EDITORS Documents."""
    from plone import api
    from plone.app.textfield.value import RichTextValue
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    from links.content.roles import AUTHORISED_REPRESENTATIVE
    from links.content.roles import HOST_STAFF

    editors = [f"bench-rep{n}" for n in range(1, EDITORS + 1)]
    add_user("bench-staff", PASSWORD, "Host staff", ("Member", HOST_STAFF))
    for userid in editors:
        add_user(userid, PASSWORD, f"Representative {userid[-1]}", ("Member", AUTHORISED_REPRESENTATIVE))
    # Made at the site root by a Manager (the site's folders and their local roles are not what is measured);
    # the reports still get their representatives' Editor role from the site's own subscriber.
    with api.env.adopt_roles(["Manager"]):
        provider = api.content.create(container=portal, type="ServiceProvider", title="Elm Lodge Care Home")
        for userid in editors:
            api.content.create(
                container=portal,
                type="RepresentativeAuthorisation",
                title=f"Authorisation of {userid}",
                representative=userid,
                authorised_on=date.today() - timedelta(days=365),
                evidence="Governing body minute 12/2026",
                dbs_check_date=date.today() - timedelta(days=370),
                dbs_level="enhanced",
                dbs_outcome="clear",
                checked_by="bench-staff",
                expires_on=date.today() + timedelta(days=365),
            )
    reports, documents = [], []
    with api.env.adopt_roles(["Manager"]):
        for n in range(EDITORS):
            reports.append(
                api.content.create(
                    container=portal,
                    type="EnterAndViewReport",
                    id=f"visit-{n}",
                    title=f"Visit {n} to Elm Lodge",
                    provider=RelationValue(getUtility(IIntIds).getId(provider)),
                    premises="Lounge",
                    visit_date=date.today() - timedelta(days=3),
                    announcement="announced",
                    representatives=editors,
                    lead=editors[0],
                    findings=RichTextValue("<p>First notes.</p>", "text/html", "text/x-html-safe"),
                )
            )
    with api.env.adopt_roles(["Manager"]):
        for n in range(EDITORS):
            document = api.content.create(
                container=portal,
                type="Document",
                id=f"page-{n}",
                title=f"Page {n}",
                text=RichTextValue("<p>First notes.</p>", "text/html", "text/x-html-safe"),
            )
            for userid in editors:
                api.user.grant_roles(username=userid, obj=document, roles=["Editor"])
            documents.append(document)
    transaction.commit()
    return editors, [r.getId() for r in reports], [d.getId() for d in documents]


#: Requests the publisher retried after a ConflictError (IPubFailure with retry=True), counted per storm.
RETRIES = []


def _count_retry(event):
    if getattr(event, "retry", False):
        RETRIES.append(1)


def storm(base, editors, targets, body):
    """Every editor PATCHes its target EDITS times, all at once: (edits/s, failures, first failure)."""
    import requests

    failures, first = [], []
    lock = threading.Lock()
    barrier = threading.Barrier(len(editors))

    def edit(index):
        session = requests.Session()
        session.auth = (editors[index], PASSWORD)
        session.headers["Accept"] = "application/json"
        url = f"{base}/++api++/{targets[index]}"
        barrier.wait()
        for n in range(EDITS):
            response = session.patch(url, json=body(editors[index], n))
            if not 200 <= response.status_code < 300:
                with lock:
                    failures.append(response.status_code)
                    first.append(f"{response.status_code} {response.text[:200]}")

    start = time.perf_counter()
    with ThreadPoolExecutor(len(editors)) as pool:
        list(pool.map(edit, range(len(editors))))
    elapsed = time.perf_counter() - start
    done = len(editors) * EDITS - len(failures)
    return done / elapsed, len(failures), first[:1]


def bench():
    from links.content.testing import LINKS_CONTENT_FUNCTIONAL_TESTING as layer

    with plone_site(layer) as (app, portal):
        editors, reports, documents = build(portal)
        from zope.component import provideHandler
        from ZPublisher.interfaces import IPubFailure

        provideHandler(_count_retry, (IPubFailure,))
        base = f"http://{layer['host']}:{layer['port']}/plone"

        def report_edit(userid, n):
            return {
                "premises": f"Lounge, visit note {n} by {userid}",
                "findings": f"<p>Note {n} by {userid}.</p>",
            }

        def document_edit(userid, n):
            return {"description": f"Note {n} by {userid}", "text": f"<p>Note {n} by {userid}.</p>"}

        scenarios = (
            ("reports", f"{EDITORS} records", reports, report_edit),
            ("reports", "1 record", [reports[0]] * EDITORS, report_edit),
            ("Documents", f"{EDITORS} records", documents, document_edit),
            ("Documents", "1 record", [documents[0]] * EDITORS, document_edit),
        )
        for kind, shape, targets, body in scenarios:
            del RETRIES[:]
            rate, failed, first = storm(base, editors, targets, body)
            name = f"contention: {EDITORS} editors x {EDITS} edits of {kind}, {shape}"
            report(f"{name}: rate", rate, "edits/s")
            report(f"{name}: failed edits", failed, "edits", goal="0")
            report(f"{name}: conflict retries", len(RETRIES), "requests")
            if first:
                print(f"    first failure: {first[0]}", flush=True)
        report("contention: peak RSS of the process (server and clients)", peak_rss_mb(), "MB")
        transaction.abort()


if __name__ == "__main__":
    bench()
