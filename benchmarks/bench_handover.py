"""Handover export and import rates and memory, on real FileStorage databases, as an operator runs them.

Run: bin/zopepy benchmarks/bench_handover.py  (part of ``make bench``). The issue's goal: on a generated site
of 10,000 records with 5 versions each, export and import each complete in under 10 minutes on this machine,
with memory under 1 GB. HANDOVER_RECORDS (default 10000; BENCH_QUICK=1: 100) and HANDOVER_VERSIONS (default
5) set the size. Every figure is for the size that ran, which each line names: nothing is extrapolated.

The source site is the demo site plus HANDOVER_RECORDS records from the shared generator
(benchmarks/generator.py): complaints with clocks and appeals, information requests, referrals, FOI requests
with redactions and bundles, reports in every state (some with sealed signatures and signed PDFs),
declarations, providers, decision statements, relations, each record with HANDOVER_VERSIONS versions.

Each step runs in its own process against its own Data.fs and blob directory, configured from the
instance's zope.conf (same ZODB cache size, 30,000 objects, unless HANDOVER_CACHE_SIZE says otherwise):
generating the source site, exporting it (as ``make handover-export``), and importing the archive into a
freshly created site and verifying it (as ``make handover-import``). So each process's peak RSS is what that
command needs, with the database on disk as in production.

Generating 10,000 records takes about 20 minutes, so the source site is kept in HANDOVER_WORKDIR (default
var/bench/handover/<records>x<versions>) and reused by later runs of the same size; HANDOVER_WORKDIR=tmp uses
a temporary folder, removed afterwards. The export and import then take about 15 minutes together. The rates
are wall-clock; the CPU time per record is what they would be on an otherwise idle machine.
"""

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from harness import current_rss_mb as rss_mb  # noqa: E402
from harness import peak_rss_mb  # noqa: E402
from harness import report  # noqa: E402
from harness import size  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RECORDS = size("HANDOVER_RECORDS", 10000, 100)
VERSIONS = int(os.environ.get("HANDOVER_VERSIONS", "5"))
CACHE_SIZE = int(os.environ.get("HANDOVER_CACHE_SIZE", "30000"))
GENERATOR = 2  # bump when generate() changes, so a kept source site is generated again
SITE_ID = "links"


# -- the phases, each in its own process ------------------------------------------------------------------


def open_app(conf: str):
    """The Zope application on the database of ``conf``, as ``bin/instance run`` opens it."""
    from Testing.makerequest import makerequest
    from zope.globalrequest import setRequest
    from Zope2.Startup.run import configure_wsgi

    configure_wsgi(conf)
    for noisy in ("GenericSetup.componentregistry", "Products.MimetypesRegistry.MimeTypesRegistry"):
        logging.getLogger(noisy).setLevel(logging.ERROR)  # known warnings of every new Plone site
    import Zope2

    from links.policy.site import run_as_site_builder

    app = makerequest(Zope2.app())
    setRequest(app.REQUEST)
    run_as_site_builder(app)
    return app


def phase_generate(conf: str) -> dict:
    from generator import generate
    from zope.component.hooks import setSite

    from links.policy.site import create_site

    app = open_app(conf)
    site, _created = create_site(app, site_id=SITE_ID, demo=True)
    setSite(site)
    start = time.perf_counter()
    counts = generate(
        site,
        RECORDS,
        versions=VERSIONS,
        progress=lambda n: print(f"generated {n}/{RECORDS}", file=sys.stderr, flush=True),
    )
    return {"seconds": time.perf_counter() - start, "counts": counts, "peak": peak_rss_mb()}


def phase_export(conf: str, archive: str) -> dict:
    from zope.component.hooks import setSite

    from links.policy.handover import api as handover
    from links.policy.handover.progress import Progress

    app = open_app(conf)
    site = app[SITE_ID]
    setSite(site)
    started_rss = rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    summary = handover.export_archive(
        site, archive, include_report=False, progress=Progress(SITE_ID, "export", every=60)
    )
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "fingerprint": summary["fingerprint"],
        "items": summary["totals"]["items"],
        "size": Path(archive).stat().st_size,
        "rss_start": started_rss,
        "rss_end": rss_mb(),
        "peak": peak_rss_mb(),
    }


def phase_import(conf: str, archive: str, fingerprint: str) -> dict:
    from zope.component.hooks import setSite

    from links.policy.handover import api as handover
    from links.policy.handover.progress import Progress
    from links.policy.site import create_site

    app = open_app(conf)
    site, _created = create_site(app, site_id=SITE_ID, demo=False)
    setSite(site)
    started_rss = rss_mb()
    start, cpu = time.perf_counter(), time.process_time()
    # One transaction: verification, import, and the comparison that decides whether it is kept.
    summary = handover.import_archive(
        site, archive, fingerprint, batch_size=100, progress=Progress(SITE_ID, "import", every=60)
    )
    return {
        "seconds": time.perf_counter() - start,
        "cpu": time.process_time() - cpu,
        "items": summary["imported"],
        "rss_start": started_rss,
        "rss_end": rss_mb(),
        "peak": peak_rss_mb(),
        "identical": summary["verification"]["identical"],
    }


PHASES = {"generate": phase_generate, "export": phase_export, "import": phase_import}


# -- the driver -------------------------------------------------------------------------------------------


def write_conf(folder: Path) -> Path:
    """A zope.conf like the instance's, with its own database, blobs, keys and audit folder."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (ROOT / "parts" / "instance" / "etc" / "zope.conf").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^(\s*path )\S+Data\.fs$", rf"\g<1>{folder / 'Data.fs'}", text)
    text = re.sub(r"(?m)^(\s*blob-dir )\S+$", rf"\g<1>{folder / 'blobs'}", text)
    text = re.sub(r"(?m)^(\s*cache-size )\d+$", rf"\g<1>{CACHE_SIZE}", text)
    text = re.sub(
        r"(?m)^LINKS_KEYS_DIR \S+$",
        f"LINKS_KEYS_DIR {folder / 'keys'}\nLINKS_AUDIT_DIR {folder / 'audit'}",
        text,
    )
    conf = folder / "zope.conf"
    conf.write_text(text, encoding="utf-8")
    return conf


def run_phase(name: str, *args) -> dict:
    """Run one phase in a fresh bin/zopepy process; its last stdout line is its figures as JSON."""
    process = subprocess.run(
        [str(ROOT / "bin" / "zopepy"), str(Path(__file__).resolve()), "--phase", name, *map(str, args)],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return json.loads(process.stdout.strip().splitlines()[-1])


def main():
    # One folder per size, so a quick run never replaces the kept 10,000-record source.
    setting = os.environ.get("HANDOVER_WORKDIR") or str(
        ROOT / "var" / "bench" / "handover" / f"{RECORDS}x{VERSIONS}"
    )
    keep = setting != "tmp"
    workdir = Path(setting) if keep else Path(tempfile.mkdtemp(prefix="bench-handover-"))
    try:
        source, target = workdir / "source", workdir / "target"
        source_conf = write_conf(source)
        marker = source / "generated.json"
        size = {"records": RECORDS, "versions": VERSIONS, "generator": GENERATOR}
        if not (marker.exists() and json.loads(marker.read_text()) == size):
            shutil.rmtree(source)
            source_conf = write_conf(source)
            figures = run_phase("generate", source_conf)
            marker.write_text(json.dumps(size))
            report(f"handover: generate {RECORDS} records x {VERSIONS} versions", figures["seconds"], "s")
            print(f"    mix: {figures['counts']}", flush=True)
        else:
            print(f"handover: source site of {RECORDS} records x {VERSIONS} versions reused from {source}")
        archive = workdir / "handover.zip"
        export = run_phase("export", source_conf, archive)
        items = export["items"]
        report("handover: export rate", items / export["seconds"], "records/s")
        report("handover: export CPU time per record (load-independent)", export["cpu"] / items * 1000, "ms")
        report(
            f"handover: export time, {items:,} items of {RECORDS:,} records",
            export["seconds"] / 60,
            "min",
            goal="< 10 min at 10,000 records",
        )
        report("handover: archive size per record", export["size"] / items / 1024, "KiB")
        report("handover: export process RSS after start-up", export["rss_start"], "MB")
        report("handover: export process RSS at the end", export["rss_end"], "MB")
        report(
            f"handover: export process peak RSS ({RECORDS:,} records)", export["peak"], "MB", goal="< 1024 MB"
        )

        if target.exists():
            shutil.rmtree(target)
        imported = run_phase("import", write_conf(target), archive, export["fingerprint"])
        report("handover: import rate", items / imported["seconds"], "records/s")
        report(
            "handover: import CPU time per record (load-independent)", imported["cpu"] / items * 1000, "ms"
        )
        report(
            f"handover: import time, {items:,} items of {RECORDS:,} records",
            imported["seconds"] / 60,
            "min",
            goal="< 10 min at 10,000 records",
        )
        report("handover: import process RSS after creating the site", imported["rss_start"], "MB")
        report("handover: import process RSS at the end", imported["rss_end"], "MB")
        report(
            f"handover: import process peak RSS ({RECORDS:,} records)",
            imported["peak"],
            "MB",
            goal="< 1024 MB",
        )
        report("handover: verification identical (1 = yes)", float(imported["identical"]), "")
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--phase":
        import transaction

        figures = PHASES[sys.argv[2]](*sys.argv[3:])
        transaction.abort()
        import Zope2

        Zope2.DB.close()  # writes the FileStorage index, so the next phase opens the database quickly
        print(json.dumps(figures), flush=True)
    else:
        main()
