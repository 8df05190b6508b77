#!/usr/bin/env bash
# Run the deployment: a ZEO server plus one Zope client, started and stopped together, so command-line
# jobs (`bin/instance run ...`) are further ZEO clients that work while the site is up.
#   scripts/site.sh start     ZEO server, the site if missing (SITE_ID, DEMO), the Zope client in the background
#   scripts/site.sh stop      the Zope client, then the ZEO server
#   scripts/site.sh status    what runs
#   scripts/site.sh run SCRIPT [ARGS…]  `bin/instance run SCRIPT` as a further ZEO client; with nothing
#                            serving, the ZEO server is started for the job and stopped after it
# LINKS_BIN (default bin/) names the folder holding the `zeoserver` and `instance` scripts; their
# configuration files are the ones those scripts name (the tests use a deployment of their own this way).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deployment.sh

zeo_reachable() {
    local address
    address=$(zeo_address)
    if [[ $address == */* ]]; then
        [ -S "$address" ] && python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])' \
            "$address" 2>/dev/null
    else
        python3 -c 'import socket,sys; h,p=sys.argv[1].rsplit(":",1); socket.create_connection((h or "127.0.0.1",int(p)),2)' \
            "$address" 2>/dev/null
    fi
}

start_zeo() {
    zeo_running || zeo start >/dev/null
    local waited=0
    until zeo_reachable; do
        sleep 0.2
        waited=$((waited + 1))
        if [ $waited -gt $((START_TIMEOUT * 5)) ]; then
            echo "The ZEO server did not start; see its log ($(awk '$1 == "logfile" {print $2; exit}' "$ZEO_CONF"))." >&2
            return 1
        fi
    done
}

wait_http() {
    local url=$1 waited=0
    until curl -s --max-time 20 -o /dev/null "$url"; do
        sleep 0.5
        waited=$((waited + 1))
        if ! instance_running && [ $waited -gt 20 ]; then
            echo "The Zope client stopped while starting; see var/log/instance.log." >&2
            return 1
        fi
        if [ $waited -gt $((START_TIMEOUT * 2)) ]; then
            echo "The Zope client did not answer at $url within ${START_TIMEOUT}s." >&2
            return 1
        fi
    done
}

case "${1:-}" in
start)
    start_zeo
    SITE_ID=$SITE_ID instance run scripts/create_site.py
    instance_running || instance start >/dev/null
    port=$(http_port)
    wait_http "http://127.0.0.1:$port/"
    # localhost, not 127.0.0.1: Plone serves 127.0.0.1 without the theme (its "unthemed" host).
    echo "Serving http://localhost:$port/$SITE_ID (demo users in README.md). 'make stop' stops it."
    ;;
stop)
    instance_running && instance stop >/dev/null
    zeo_running && zeo stop >/dev/null
    echo "Stopped."
    ;;
status)
    if zeo_running; then echo "ZEO server: running ($(zeo_address))"; else echo "ZEO server: stopped"; fi
    if instance_running; then echo "Zope client: running (port $(http_port))"; else echo "Zope client: stopped"; fi
    ;;
run)
    shift
    [ $# -gt 0 ] || { echo "usage: scripts/site.sh run SCRIPT [ARGS...]" >&2; exit 2; }
    if ! zeo_running; then
        # Nothing is serving: start the ZEO server for this job only, and stop it again afterwards.
        start_zeo
        trap 'zeo stop >/dev/null' EXIT
    fi
    instance run "$@"
    ;;
*)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
