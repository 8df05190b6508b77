"""Clocks dashboard figures: GET /@clocks-dashboard as a complaints officer over real clocks (goal < 300 ms).

Run: bin/zopepy benchmarks/bench_dashboard.py   (BENCH_QUICK=1: 300 records; BENCH_RECORDS=n for another size)

A real Plone site with the demo profile (links.policy's demo layer: DemoStorage over a real ZODB, a real
WSGI server) gets BENCH_RECORDS records from the shared generator (benchmarks/generator.py): complaints,
information requests, referrals, FOI requests, reports, declarations and providers, each made through the
site's APIs by the role that would make it, events on, so every clock is started by the site's own
subscribers and every record is catalogued with its own security. The figures say how many records have an
open clock and how many of them the complaints officer may see (the catalog's security filter does the
rest). Then, over HTTP as the demo complaints officer: the first page, a filtered page (complaints, overdue)
and the last page of what they see. Records carry their first version only (versions do not touch the
dashboard's query).
"""

import os
import sys
import time

import transaction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # zopepy execs the file: no script dir

from harness import add_test_eggs_to_path  # noqa: E402

add_test_eggs_to_path()

from harness import median_ms  # noqa: E402
from harness import peak_rss_mb  # noqa: E402
from harness import plone_site  # noqa: E402
from harness import report  # noqa: E402
from harness import size  # noqa: E402
from harness import timed  # noqa: E402

RECORDS = size("BENCH_RECORDS", 10000, 300)
OFFICER = "complaints"


def bench():
    import requests
    from generator import generate
    from plone import api

    from links.content.dashboard import query as dq
    from links.policy.demo.users import DEMO_PASSWORD
    from links.policy.testing import LINKS_DEMO_FUNCTIONAL_TESTING as layer

    with plone_site(layer) as (app, portal):
        start = time.perf_counter()
        counts = generate(portal, RECORDS, progress=lambda n: print(f"    generated {n:,}", flush=True))
        elapsed = time.perf_counter() - start
        made = sum(counts.values())
        report(f"dashboard: generated {made:,} records through the site's APIs in", elapsed, "s")
        print(f"    mix: {counts}", flush=True)
        with api.env.adopt_roles(["Manager"]):
            everything = dq.search(dq.DashboardQuery())[2]
        with api.env.adopt_user(username=OFFICER):
            visible = dq.search(dq.DashboardQuery())[2]
        report("dashboard: records with an open clock (all of the site)", everything, "records")
        report("dashboard: of which the complaints officer may see", visible, "records")

        url = f"http://{layer['host']}:{layer['port']}/plone/++api++/@clocks-dashboard"
        session = requests.Session()
        session.auth = (OFFICER, DEMO_PASSWORD)
        session.headers["Accept"] = "application/json"

        def get(**params):
            response = session.get(url, params=params)
            assert response.status_code == 200, response.text[:500]
            return response.json()

        first_page = get()
        assert first_page["items_total"] == visible, (first_page["items_total"], visible)
        last_start = max(visible - 1, 0) // 50 * 50
        http_first = timed(get, repeat=20)
        report(
            f"GET /@clocks-dashboard as the officer, first page ({visible:,} visible)",
            median_ms(http_first),
            "ms",
            goal="< 300 ms",
        )
        http_filtered = timed(lambda: get(portal_type="Complaint", show="overdue"), repeat=20)
        report(
            "GET /@clocks-dashboard as the officer, complaints overdue",
            median_ms(http_filtered),
            "ms",
            goal="< 300 ms",
        )
        http_last = timed(lambda: get(b_start=last_start), repeat=20)
        report(
            "GET /@clocks-dashboard as the officer, last page", median_ms(http_last), "ms", goal="< 300 ms"
        )
        report("dashboard: peak RSS of the process", peak_rss_mb(), "MB")
        transaction.abort()


if __name__ == "__main__":
    bench()
