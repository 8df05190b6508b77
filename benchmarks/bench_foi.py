"""FOI figures: time to build a 50-record disclosure bundle.

Run: bin/zopepy benchmarks/bench_foi.py

A real Plone site (links.content's functional layer) with 50 information requests, each saved in
two versions, and one redaction per five records. Building the bundle retrieves each record's
version current at the request date from CMFEditions, applies the redactions, renders one PDF with
weasyprint, seals the manifest (Ed25519) and signs the PDF (PAdES). Figures: the build time (median
of BENCH_REPEAT runs, default 3), the PDF size and pages, and the held-information search time.
"""

import os
import re
import subprocess
import sys
from datetime import date

import transaction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # zopepy execs the file: no script dir


from harness import add_test_eggs_to_path  # noqa: E402

add_test_eggs_to_path()

from harness import median_ms  # noqa: E402
from harness import plone_site  # noqa: E402
from harness import report  # noqa: E402
from harness import size  # noqa: E402
from harness import timed  # noqa: E402

RECORDS = size("BENCH_FOI_RECORDS", 50, 10)
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
QUESTIONS = (
    "Residents at {home} told representatives that GP visits took up to {days} days to arrange. "
    "How many requests for a home visit did the practice receive last quarter, and how many were seen "
    "within two working days? Mrs Edith Crawley, a resident, agreed to be named in this request. "
) * 4


def main():
    from plone import api

    from links.content.foi import api as foi
    from links.content.history import api as history
    from links.content.testing import LINKS_CONTENT_FUNCTIONAL_TESTING

    with plone_site(LINKS_CONTENT_FUNCTIONAL_TESTING) as (_app, portal):
        folder = api.content.create(container=portal, type="Folder", id="bench-foi", title="Bench")
        records = []
        for n in range(RECORDS):
            obj = api.content.create(
                container=folder,
                type="InformationRequest",
                title=f"GP visits at care home {n}",
                addressee="Northbridge ICB",
                addressee_kind="commissioner",
                questions=QUESTIONS.format(home=f"Home {n}", days=n % 9 + 2),
            )
            obj.response = f"Figures for home {n} are attached to the reply of the ICB."
            history.save(obj, "Response recorded")
            records.append(obj)
        request = foi.create_request(
            folder,
            received=date.today(),
            summary="GP home visits to care homes",
            requester_name="Bench Requester",
            requester_contact="bench@example.org",
            request_text="All information about GP home visits to care homes.",
        )
        for obj in records[::5]:
            foi.redact(request, obj.UID(), 0, "questions", "Mrs Edith Crawley", "s40", "Names a resident.")
        transaction.commit()
        items = [{"uid": obj.UID()} for obj in records]

        def build():
            foi.build_bundle(request, items)
            transaction.commit()

        if os.environ.get("BENCH_PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.runcall(build)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        durations = timed(build, repeat=REPEAT)
        pdf = request.bundle.data
        info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, text=False).stdout.decode()
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1)) if "Pages:" in info else 0
        report(
            f"FOI bundle of {RECORDS} records: build time (median of {REPEAT})",
            median_ms(durations) / 1000,
            "s",
        )
        report("FOI bundle: PDF size", len(pdf) / 1024, "KiB")
        report("FOI bundle: pages", pages, "pages")
        search = timed(lambda: foi.find_held_information("Crawley", date.today()), repeat=REPEAT)
        report(f"FOI held-information search over {RECORDS} records", median_ms(search), "ms")


if __name__ == "__main__":
    main()
