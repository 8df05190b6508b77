"""Verification figures: checking a signed PDF, looking a SHA-256 up in a large record of issue, and the
same over HTTP.

Run: bin/zopepy benchmarks/bench_verify.py   (BENCH_ISSUES=N issued PDFs in the index; default 100,000)

The demo site (links.policy's functional layer: DemoStorage over a real ZODB, a real WSGI server), whose
constitution was signed off with a sealed PDF. Figures:
1. ``verify.api.check_file`` of that PDF (hash, record of issue, pyHanko validation of the PAdES signature
   and its timestamp, signers' seals re-checked), of a copy with one byte changed, and of a copy re-saved
   without its signature (page tree searched for the verification link);
2. ``issued.lookup`` of a SHA-256 with BENCH_ISSUES entries in the index (BTrees: O(log n), no catalog),
   hits and misses;
3. ``POST ++api++/@verify`` over HTTP with JSON ``{"sha256"}`` and with the PDF as a multipart upload.
"""

import os
import secrets
import statistics
import sys
import time

import transaction

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # zopepy execs the file: no script dir

from harness import add_test_eggs_to_path  # noqa: E402

add_test_eggs_to_path()

from harness import median_ms  # noqa: E402
from harness import plone_site  # noqa: E402
from harness import report  # noqa: E402
from harness import timed  # noqa: E402

ISSUES = int(os.environ.get("BENCH_ISSUES", "100000"))


def _cases():
    """The tests' documents (``tests/content/verify/cases.py``): the same altered and re-saved copies."""
    import importlib.util

    path = os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "tests", "content", "verify", "cases.py"
    )
    spec = importlib.util.spec_from_file_location("verify_cases", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fill(count: int) -> list[str]:
    """``count`` synthetic issues in the index (as record_issue stores them, without the audit entries)."""
    from links.content.verify import issued

    index = issued.get_index(create=True)
    hashes = []
    for n in range(count):
        sha256, issue_id = secrets.token_hex(32), secrets.token_hex(32)
        entry = {
            "sha256": sha256,
            "issue_id": issue_id,
            "kind": "foi-bundle",
            "uid": f"{n:032x}",
            "portal_type": "FOIRequest",
            "title": f"Request {n}",
            "version_id": None,
            "record_sha256": None,
            "issued": "2026-01-01T00:00:00+00:00",
            "size": 100_000,
        }
        index.files[sha256] = entry
        index.issues[issue_id] = sha256
        index.by_record[f"{entry['uid']} 2026-01-01T00:00:00 {sha256}"] = "foi-bundle"
        hashes.append(sha256)
        if n % 10_000 == 9_999:
            transaction.savepoint(optimistic=True)
    transaction.commit()
    return hashes


def bench():
    import requests

    from links.content.signing.api import signed_pdf
    from links.content.verify import api as verify
    from links.content.verify import issued
    from links.content.verify import limits

    with plone_site() as (_app, portal):
        data = bytes(signed_pdf(portal["constitution"]).data)
        cases = _cases()
        altered, resaved = cases.altered(data), cases.resaved(data)
        assert verify.check_file(data)["verdict"] == "genuine"
        for label, document in (
            ("signed PDF, genuine", data),
            ("one byte changed", altered),
            ("re-saved", resaved),
        ):
            durations = timed(lambda document=document: verify.check_file(document), repeat=5)
            report(f"check_file: {label} ({len(document) // 1024} KiB)", median_ms(durations), "ms")

        start = time.perf_counter()
        hashes = _fill(ISSUES)
        report(f"index filled with {ISSUES} issues", time.perf_counter() - start, "s")
        probes = [secrets.choice(hashes) for _ in range(2000)]
        misses = [secrets.token_hex(32) for _ in range(2000)]
        for label, values in (("hit", probes), ("miss", misses)):
            start = time.perf_counter()
            for value in values:
                issued.lookup(value)
            report(
                f"issued.lookup, {label}, {ISSUES} issues",
                (time.perf_counter() - start) / len(values) * 1e6,
                "us",
            )
        durations = timed(lambda: verify.check_hash(probes[0]), repeat=50)
        report("check_hash (hit, answer built)", median_ms(durations), "ms")

        api_url = f"{portal.absolute_url()}/++api++/@verify"
        from plone import api

        api.portal.set_registry_record(limits.RATE_RECORD, 100_000)
        transaction.commit()
        session = requests.Session()
        session.headers["Accept"] = "application/json"
        json_times = []
        for _ in range(30):
            start = time.perf_counter()
            answer = session.post(api_url, json={"sha256": secrets.choice(hashes)})
            json_times.append(time.perf_counter() - start)
            assert answer.status_code == 200, answer.text
        report("POST @verify, JSON sha256 (median of 30)", statistics.median(json_times) * 1000, "ms")
        upload_times = []
        for _ in range(5):
            start = time.perf_counter()
            answer = session.post(api_url, files={"file": ("c.pdf", data, "application/pdf")})
            upload_times.append(time.perf_counter() - start)
            assert answer.json()["verdict"] == "genuine", answer.text
        report("POST @verify, signed PDF upload (median of 5)", statistics.median(upload_times) * 1000, "ms")


if __name__ == "__main__":
    bench()
