"""Annual report figures: time to count one financial year among several years of records.

Run: bin/zopepy benchmarks/bench_annual.py

A real Plone site (links.content's functional layer) with BENCH_ANNUAL_PER_YEAR records in each of
BENCH_ANNUAL_YEARS financial years (complaints, requests for information, FOI requests and decision
statements, a quarter each). Counting a year finds its records with one query on the ``period_dates``
index and reads only those; the figures printed are the time to count the middle year (median of
BENCH_REPEAT runs), how many records that read out of all of them, and the time to count every year at
once (which reads them all, as the transitional report's whole-life summary does).
"""

import os
import sys
from datetime import date
from datetime import timedelta

import transaction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # zopepy execs the file: no script dir


from harness import add_test_eggs_to_path  # noqa: E402

add_test_eggs_to_path()

from harness import median_ms  # noqa: E402
from harness import plone_site  # noqa: E402
from harness import report  # noqa: E402
from harness import size  # noqa: E402
from harness import timed  # noqa: E402

PER_YEAR = size("BENCH_ANNUAL_PER_YEAR", 400, 40)
YEARS = int(os.environ.get("BENCH_ANNUAL_YEARS", "3"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))


def _records(folder, first: date, n: int):
    from plone import api

    for i in range(n):
        day = first + timedelta(days=(i * 7) % 365)
        kind = i % 4
        if kind == 0:
            api.content.create(
                container=folder,
                type="Complaint",
                id=f"c-{first.year}-{i}",
                title="Complaint",
                received=day,
                how_received="email",
                about="host",
                complainant_name="Bench Complainant",
                details="Bench.",
                outcome="upheld" if i % 8 == 0 else None,
            )
        elif kind == 1:
            api.content.create(
                container=folder,
                type="InformationRequest",
                id=f"r-{first.year}-{i}",
                title="Request",
                addressee="Council",
                addressee_kind="commissioner",
                questions="?",
                sent_on=day,
            )
        elif kind == 2:
            api.content.create(
                container=folder,
                type="FOIRequest",
                id=f"f-{first.year}-{i}",
                title="FOI",
                received=day,
                summary="Bench",
                requester_name="Bench",
                requester_contact="bench@example.org",
                request_text="Bench",
            )
        else:
            api.content.create(
                container=folder,
                type="DecisionStatement",
                id=f"d-{first.year}-{i}",
                title="Decision",
                decision="Bench",
                reasons="Bench",
                category="spending",
                decided_on=day,
            )


def main():
    from plone import api
    from Products.ZCatalog.CatalogBrains import AbstractCatalogBrain

    from links.content.annual import figures
    from links.content.annual.years import last_complete_year
    from links.content.testing import LINKS_CONTENT_FUNCTIONAL_TESTING

    with plone_site(LINKS_CONTENT_FUNCTIONAL_TESTING) as (_app, portal):
        folder = api.content.create(container=portal, type="Folder", id="bench-annual", title="Bench")
        last_start, _last_end = last_complete_year()
        starts = [date(last_start.year - k, 4, 1) for k in range(YEARS)]
        for start in starts:
            _records(folder, start, PER_YEAR)
            transaction.commit()
        middle = starts[len(starts) // 2]
        end = date(middle.year + 1, 3, 31)
        today = date.today()

        loaded = []
        original = AbstractCatalogBrain._unrestrictedGetObject

        def spy(brain):
            loaded.append(brain.getPath())
            return original(brain)

        AbstractCatalogBrain._unrestrictedGetObject = spy
        try:
            figures.count(folder, middle, end, today)
        finally:
            AbstractCatalogBrain._unrestrictedGetObject = original
        durations = timed(lambda: figures.count(folder, middle, end, today), repeat=REPEAT)
        report(
            f"annual figures of one year ({PER_YEAR} records of {PER_YEAR * YEARS})",
            median_ms(durations),
            "ms",
        )
        report("annual figures: records read for one year", len(set(loaded)), "records")
        everything = timed(
            lambda: figures.count(folder, starts[-1], date(starts[0].year + 1, 3, 31), today), repeat=REPEAT
        )
        report(
            f"annual figures of all {YEARS} years ({PER_YEAR * YEARS} records)", median_ms(everything), "ms"
        )


if __name__ == "__main__":
    main()
