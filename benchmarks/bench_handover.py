"""Handover export and import rates on a generated site (records with versions), with memory.

Run: bin/zopepy benchmarks/bench_handover.py  (HANDOVER_RECORDS, default 50; HANDOVER_VERSIONS, default 5).
The issue's goal is 10,000 records x 5 versions in under 10 minutes each way and under 1 GB; the default
size keeps this benchmark under 2 minutes, and the figures are extrapolated linearly to 10,000 records.
The rates are wall-clock; the CPU time per record is what they would be on an otherwise idle machine
(other processes on the same CPUs slow the wall clock, not the CPU time).
"""

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import transaction

sys.path.insert(0, str(Path(__file__).parent))

from harness import plone_site  # noqa: E402
from harness import report  # noqa: E402

RECORDS = int(os.environ.get("HANDOVER_RECORDS", "50"))
VERSIONS = int(os.environ.get("HANDOVER_VERSIONS", "5"))
GOAL_RECORDS = 10_000


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """Resident memory now (the test layers keep the whole ZODB in memory: it grows with the data)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def generate(portal):
    from plone import api
    from plone.app.textfield.value import RichTextValue

    repository = api.portal.get_tool("portal_repository")
    folder = api.content.create(container=portal, type="Folder", id="bench-records", title="Records")
    for number in range(RECORDS):
        page = api.content.create(
            container=folder, type="Document", id=f"record-{number}", title=f"Record {number}"
        )
        for version in range(VERSIONS):
            page.text = RichTextValue(
                f"<p>Record {number}, version {version}.</p>" * 20, "text/html", "text/x-html-safe"
            )
            repository.save(page, comment=f"version {version}")
        if number % 100 == 99:
            transaction.commit()
    transaction.commit()


def main():
    from zope.component.hooks import setSite

    from links.policy.handover import api as handover
    from links.policy.handover.progress import Progress
    from links.policy.site import create_site
    from links.policy.testing import LINKS_POLICY_FUNCTIONAL_TESTING

    with plone_site(LINKS_POLICY_FUNCTIONAL_TESTING) as (app, portal):
        start = time.perf_counter()
        generate(portal)
        report(
            f"handover: generate {RECORDS} records x {VERSIONS} versions", time.perf_counter() - start, "s"
        )
        before_export = rss_mb()
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "bench.zip"
            start, cpu = time.perf_counter(), time.process_time()
            summary = handover.export_archive(
                portal, path, include_report=False, progress=Progress(portal.getId(), "export", stream=None)
            )
            export_seconds = time.perf_counter() - start
            export_cpu = time.process_time() - cpu
            items = summary["totals"]["items"]
            report("handover: export rate", items / export_seconds, "records/s")
            report("handover: export CPU time per record (load-independent)", export_cpu / items * 1000, "ms")
            report(
                "handover: export, extrapolated to 10,000 records",
                export_seconds * GOAL_RECORDS / items / 60,
                "min",
                goal="< 10 min",
            )
            report("handover: archive size per record", path.stat().st_size / items / 1024, "KiB")
            report("handover: memory growth during export (RSS)", rss_mb() - before_export, "MB")
            before_import = rss_mb()
            target, _created = create_site(app, site_id="bench-target", demo=False)
            setSite(target)
            start, cpu = time.perf_counter(), time.process_time()
            handover.import_archive(
                target, path, batch_size=100, progress=Progress(target.getId(), "import", stream=None)
            )
            import_seconds = time.perf_counter() - start
            import_cpu = time.process_time() - cpu
            report("handover: import rate", items / import_seconds, "records/s")
            report("handover: import CPU time per record (load-independent)", import_cpu / items * 1000, "ms")
            report(
                "handover: import, extrapolated to 10,000 records",
                import_seconds * GOAL_RECORDS / items / 60,
                "min",
                goal="< 10 min",
            )
            report(
                "handover: memory growth during import (RSS, includes the new site's data)",
                rss_mb() - before_import,
                "MB",
            )
            start = time.perf_counter()
            result = handover.compare(target, path)
            report("handover: verify rate", items / (time.perf_counter() - start), "records/s")
            report("handover: verification identical (1 = yes)", float(result["identical"]), "")
        report("handover: peak memory (max RSS of the process)", max_rss_mb(), "MB", goal="< 1024 MB")


def _rerun_with_test_eggs():
    """The site comes from the test layers (plone.app.testing), which bin/zopepy's path lacks: run again with
    the eggs of bin/pytest, in a child process (as bench_audit.py does)."""
    import re
    import subprocess

    root = Path(__file__).resolve().parent.parent
    script = (root / "bin" / "pytest").read_text(encoding="utf-8")
    paths = re.findall(r"^  '([^']+)',$", script, flags=re.M)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(paths))
    python = re.match(r"#!(\S+)", script).group(1)
    subprocess.run([python, str(Path(__file__).resolve())], env=env, check=True)


if __name__ == "__main__":
    workdir = tempfile.mkdtemp(prefix="bench-handover-")
    os.environ.setdefault("LINKS_KEYS_DIR", os.path.join(workdir, "keys"))
    os.environ.setdefault("LINKS_AUDIT_DIR", os.path.join(workdir, "audit"))
    try:
        import plone.app.testing  # noqa: F401
    except ImportError:
        _rerun_with_test_eggs()
    else:
        main()
