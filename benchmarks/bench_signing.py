"""Signing figures: sign-off of a 10-page report, signature verification rate.

Run: bin/zopepy benchmarks/bench_signing.py

A real Plone site (links.content's functional layer: DemoStorage over a real ZODB, a real WSGI server) with
seven governing body members. Figures:
1. time to reach the quorum (majority: 4 of 7): the fourth approval, which re-authenticates, seals, renders
   the signed version (retrieved from CMFEditions) as a 10-page report with weasyprint, signs the PDF
   (PAdES B-LT, RSA 3072) with an RFC 3161 timestamp from the layer's local timestamp authority (a real
   HTTP round trip on 127.0.0.1), makes the sign-off transition, stores it and commits (goal <= 1.5 s);
   also the time of one ordinary signature and of one timestamp request;
2. signature verification rate: Ed25519 seal checks per second, and a full ``signatures(verify=True)``
   (seals plus re-hashing the signed version retrieved from CMFEditions) per record.
What reading a report costs against a plain page is measured by bench_read.py.
"""

import hashlib
import os
import statistics
import sys
import time
from datetime import date
from datetime import timedelta

import transaction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # zopepy execs the file: no script dir


from harness import add_test_eggs_to_path  # noqa: E402

add_test_eggs_to_path()

from harness import add_governing_body  # noqa: E402
from harness import add_user  # noqa: E402
from harness import plone_site  # noqa: E402
from harness import report  # noqa: E402

MEMBERS = [f"bench-gbm{i}" for i in range(1, 8)]
PASSWORD = "bench-password-1"
PARAGRAPHS = int(os.environ.get("BENCH_PARAGRAPHS", "42"))  # about ten A4 pages with title and signatures
FINDING = (
    "Representatives observed the lunchtime meal service in the dining room. Residents were offered a "
    "choice of two hot meals and a vegetarian option; staff knelt to speak at eye level and gave help "
    "with cutting food discreetly. Two residents said that drinks were not always within reach in the "
    "afternoon, and the menu board was printed in small type that some residents could not read."
)


def _setup(portal):
    from plone import api
    from plone.app.textfield.value import RichTextValue
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    add_user("rep1", PASSWORD, "Rosa Ellison")
    add_governing_body(MEMBERS, PASSWORD)
    with api.env.adopt_roles(["Manager"]):
        provider = api.content.create(container=portal, type="ServiceProvider", title="Elm Lodge Care Home")
        body = "".join(f"<h3>Observation {i + 1}</h3><p>{FINDING}</p>" for i in range(PARAGRAPHS))

        def make(title, **extra):
            return api.content.create(
                container=portal,
                type="EnterAndViewReport",
                title=title,
                description="Announced enter and view visit to the dining room and lounges.",
                provider=RelationValue(getUtility(IIntIds).getId(provider)),
                premises="Dining room and lounges",
                visit_date=date.today() - timedelta(days=10),
                announcement="announced",
                representatives=["rep1"],
                lead="rep1",
                findings=RichTextValue(body, "text/html", "text/x-html-safe"),
                **extra,
            )

        reports = [make(f"Visit to Elm Lodge {n}") for n in range(4)]
        for each in reports:
            api.content.transition(each, "submit")
        document = api.content.create(
            container=portal,
            type="Document",
            id="plain-document",
            title="Visit to Elm Lodge (as a plain page)",
            description="Announced enter and view visit to the dining room and lounges.",
            text=RichTextValue(body, "text/html", "text/x-html-safe"),
        )
    transaction.commit()
    return reports, document


def _page_count(data: bytes) -> int:
    from io import BytesIO

    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(BytesIO(data), strict=False).root["/Pages"]["/Count"])


def bench():
    from plone import api

    from links.content.integrity import verify_seal
    from links.content.keys.api import public_key
    from links.content.signing import api as signing
    from links.content.testing import LINKS_CONTENT_FUNCTIONAL_TESTING as layer

    with plone_site(layer) as (app, portal):
        from zope.globalrequest import setRequest

        setRequest(portal.REQUEST)
        reports, document = _setup(portal)
        quorum_times, quorum_cpu, single_times, pages = [], [], [], 0
        for record in reports:
            for index, userid in enumerate(MEMBERS[:4]):
                start, cpu = time.perf_counter(), time.process_time()
                with api.env.adopt_user(username=userid):
                    expected = signing.current_version(record)[1]  # what the member read
                    signing.sign(
                        record, userid, PASSWORD, "approve", expected_version=expected, request=portal.REQUEST
                    )
                transaction.commit()
                elapsed = time.perf_counter() - start
                (quorum_times if index == 3 else single_times).append(elapsed)
                if index == 3:
                    quorum_cpu.append(time.process_time() - cpu)
            assert api.content.get_state(record) == "signed_off", signing.status(record)["signoff_error"]
            assert signing.latest_signoff(record)["level"] == "B-LT"
            pages = _page_count(signing.signed_pdf(record).data)
        report(
            "one signature (re-authenticate, hash, seal, commit)",
            statistics.median(single_times) * 1000,
            "ms",
        )
        # The first sign-off in a process also imports weasyprint and pyHanko and loads fonts: shown apart.
        report(f"first sign-off in a process (cold: imports, fonts), {pages} pages", quorum_times[0], "s")
        # Reaching the quorum: render the signed version, PAdES B-LT seal, local RFC 3161 timestamp.
        label = f"quorum signature: {pages}-page PDF, B-LT seal, timestamp"
        report(label, statistics.median(quorum_times[1:]), "s", goal="<= 1.5 s")
        # On a shared machine the wall time above grows with the load; the CPU time of this process (the
        # local TSA runs in it too) is what the same work takes when the machine is otherwise idle.
        report("  the same, CPU time of the process", statistics.median(quorum_cpu[1:]), "s", goal="<= 1.5 s")
        report("  machine load average (1 minute) while measuring", os.getloadavg()[0], "")
        from links.content.timestamps.api import timestamp_sha256

        times = []
        for n in range(20):
            start = time.perf_counter()
            timestamp_sha256(hashlib.sha256(str(n).encode()).hexdigest())
            times.append(time.perf_counter() - start)
        report(
            "one RFC 3161 timestamp from the local TSA (HTTP round trip)",
            statistics.median(times) * 1000,
            "ms",
        )

        records = [r for record in reports for r in signing.signatures(record, verify=False)]
        key = public_key()
        rounds = max(1, 5000 // len(records))
        start = time.perf_counter()
        for _ in range(rounds):
            for r in records:
                assert verify_seal(r, key)
        elapsed = time.perf_counter() - start
        report("signature seal verification (Ed25519)", rounds * len(records) / elapsed, "signatures/s")
        start = time.perf_counter()
        for record in reports:
            items = signing.signatures(record, verify=True)
            assert all(i["verification"]["seal_valid"] and i["verification"]["hash_matches"] for i in items)
        elapsed = time.perf_counter() - start
        report(
            "full verification (seal + re-hash of the CMFEditions version)",
            len(records) / elapsed,
            "signatures/s",
        )

        transaction.abort()


if __name__ == "__main__":
    bench()
