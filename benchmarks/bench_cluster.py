"""Cluster benchmark (#19): read throughput of two Zope clients against one, and concurrent writes.

Run: LINKS_CLUSTER_BIN=<a RelStorage build's bin/> bin/zopepy benchmarks/bench_cluster.py
(part of ``make bench`` when LINKS_CLUSTER_BIN is set; ``bin/buildout -c profiles/relstorage.cfg`` makes
such a build). It starts the cluster with two clients (``scripts/cluster.sh``), then in the same run:

- reads: BENCH_READERS concurrent readers (default 8) fetch the front page for BENCH_SECONDS (default 15)
  from client 1 alone, then through HAProxy from both clients; requests per second and the ratio;
- writes: 8 writers × 25 edits (REST PATCH of the title as admin) through HAProxy, first to 8 records (one
  each), then all to one record; the number of answers that were not 2xx (user-visible errors).
"""

import base64
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = os.environ.get("LINKS_CLUSTER_BIN")
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
READERS = int(os.environ.get("BENCH_READERS", "8"))
WRITERS, EDITS = 8, 25
AUTH = "Basic " + base64.b64encode(b"admin:admin").decode()


def cluster(*args):
    env = dict(os.environ, LINKS_BIN=BIN, SITE_ID="links", DEMO="0")
    return subprocess.run(
        [str(REPO / "scripts/cluster.sh"), *args],
        env=env,
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def base_port() -> int:
    lines = (Path(BIN).parent / "parts/instance/etc/wsgi.ini").read_text().splitlines()
    return int(next(line for line in lines if "listen" in line).rsplit(":", 1)[1])


def request(url, method="GET", body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if method != "GET":
        req.add_header("Authorization", AUTH)
        req.add_header("Accept", "application/json")
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=120) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def read_throughput(url) -> float:
    count, stop = [0], time.monotonic() + SECONDS
    lock = threading.Lock()

    def reader():
        while time.monotonic() < stop:
            if request(url) == 200:
                with lock:
                    count[0] += 1

    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return count[0] / (time.monotonic() - start)


def writes(base, targets) -> tuple[int, float]:
    errors = []

    def writer(i):
        for n in range(EDITS):
            status = request(f"{base}/++api++/{targets[i]}", "PATCH", {"title": f"edit {i}-{n}"})
            if not 200 <= status < 300:
                errors.append(status)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(WRITERS)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(errors), time.monotonic() - start


def line(label, value, unit):
    print(f"{label:<60} {value:12.3f} {unit}")


def main():
    if not BIN:
        print("skipped: set LINKS_CLUSTER_BIN to the bin/ of a RelStorage build (profiles/relstorage.cfg)")
        return 0
    port = base_port()
    cluster("start", "2")
    try:
        site = f"http://localhost:{port}/links"
        for i in range(WRITERS):
            request(
                f"{site}/++api++/", "POST", {"@type": "Document", "id": f"bench-{i}", "title": f"Bench {i}"}
            )
        request(f"http://localhost:{port + 1}/links")  # warm both clients
        request(f"http://localhost:{port + 2}/links")
        one = read_throughput(f"http://localhost:{port + 1}/links")
        two = read_throughput(site)
        line(f"front page, {READERS} readers, 1 client", one, "req/s")
        line(f"front page, {READERS} readers, 2 clients behind HAProxy", two, "req/s")
        line("2 clients / 1 client", two / one, "x")
        errors, took = writes(site, [f"bench-{i}" for i in range(WRITERS)])
        line(f"{WRITERS} writers x {EDITS} edits, 8 records: errors", errors, f"(in {took:.1f} s)")
        errors, took = writes(site, ["bench-0"] * WRITERS)
        line(f"{WRITERS} writers x {EDITS} edits, one record: errors", errors, f"(in {took:.1f} s)")
    finally:
        cluster("stop")
    return 0


if __name__ == "__main__":
    sys.exit(main())
