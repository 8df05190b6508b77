#!/usr/bin/env bash
# `make bench`: print benchmark figures. First the build and operations figures (install, site creation,
# start-up to first page), then every benchmarks/bench_*.py (each prints its own lines).
#   BENCH_FRESH=1  also time a complete install from a fresh clone (slow: downloads every egg)
#   BENCH_QUICK=1  small sizes in every benchmark (each of their lines says "[quick]")
#   BENCH_ONLY=operations  stop after the build and operations figures
set -euo pipefail
cd "$(dirname "$0")/.."
# This checkout's own deployment (bin/zeoserver, bin/instance) and the address its buildout configured.
source scripts/deployment.sh
PORT=$(http_port)
line() { printf '%-60s %12.3f %s\n' "$1" "$2" "$3"; }
now() { date +%s.%N; }

[ "${BENCH_QUICK:-0}" != 0 ] && echo "== BENCH_QUICK=1: small sizes, not the README's figures"
echo "== build and operations"
if [ "${BENCH_FRESH:-0}" = 1 ]; then
    tmp=$(mktemp -d)
    git clone -q . "$tmp/links"
    t0=$(now); (cd "$tmp/links" && make install >/dev/null 2>&1); t1=$(now)
    line "install from a fresh clone" "$(awk "BEGIN{print $t1 - $t0}")" s
    rm -rf "$tmp"
fi
t0=$(now); make -s install >/dev/null; t1=$(now)
line "make install (incremental)" "$(awk "BEGIN{print $t1 - $t0}")" s

if zeo_running || instance_running; then
    echo "This deployment is running: 'make stop' before 'make bench' (it times its own start-up)." >&2
    exit 1
fi
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
    echo "Port $PORT (configured in $WSGI_INI) is used by another program." >&2
    exit 1
fi
trap './scripts/site.sh stop >/dev/null 2>&1 || true' EXIT
./scripts/site.sh run scripts/delete_site.py bench-links >/dev/null 2>&1 || true
t0=$(now)
FORCE=1 DEMO=1 SITE_ID=bench-links ./scripts/site.sh run scripts/create_site.py >/dev/null 2>&1
t1=$(now)
line "create site with policy and demo content" "$(awk "BEGIN{print $t1 - $t0}")" s

zeo start >/dev/null
t0=$(now)
instance start >/dev/null
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/bench-links"; do sleep 0.2; done
t1=$(now)
line "start-up of the Zope client to first page of the site" "$(awk "BEGIN{print $t1 - $t0}")" s
first=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/bench-links")
line "front page, warm, anonymous" "$(awk "BEGIN{print $first * 1000}")" ms
./scripts/site.sh run scripts/delete_site.py bench-links >/dev/null 2>&1
./scripts/site.sh stop >/dev/null

[ "${BENCH_ONLY:-}" = operations ] && exit 0
shopt -s nullglob
for bench in benchmarks/bench_*.py; do
    echo "== $(basename "$bench" .py)"
    bin/zopepy "$bench"
done
