#!/usr/bin/env bash
# `make bench`: print benchmark figures. First the build and operations figures (install, site creation,
# start-up to first page), then every benchmarks/bench_*.py (each prints its own lines).
#   BENCH_FRESH=1  also time a complete install from a fresh clone (slow: downloads every egg)
#   BENCH_QUICK=1  small sizes in every benchmark (each of their lines says "[quick]")
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-8080}
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

if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
    echo "Port $PORT is in use: stop the running instance before 'make bench'." >&2
    exit 1
fi
t0=$(now)
FORCE=1 DEMO=1 SITE_ID=bench-links bin/instance run scripts/create_site.py >/dev/null 2>&1
t1=$(now)
line "create site with policy and demo content" "$(awk "BEGIN{print $t1 - $t0}")" s

t0=$(now)
# Own process group: bin/instance starts the server as a child, and both must stop before the next step.
setsid bin/instance fg >/tmp/links-bench-instance.log 2>&1 &
pid=$!
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/bench-links"; do
    sleep 0.2
    kill -0 $pid 2>/dev/null || { echo "instance did not start; see /tmp/links-bench-instance.log" >&2; exit 1; }
done
t1=$(now)
line "start-up to first page of the site" "$(awk "BEGIN{print $t1 - $t0}")" s
first=$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$PORT/bench-links")
line "front page, warm, anonymous" "$(awk "BEGIN{print $first * 1000}")" ms
kill -- -"$pid"; wait "$pid" 2>/dev/null || true
while pgrep -f 'parts/instance/etc/wsgi.ini' >/dev/null; do sleep 0.2; done
bin/instance run scripts/delete_site.py bench-links >/dev/null 2>&1

shopt -s nullglob
for bench in benchmarks/bench_*.py; do
    echo "== $(basename "$bench" .py)"
    bin/zopepy "$bench"
done
