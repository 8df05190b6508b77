#!/usr/bin/env bash
# Several Zope clients on one PostgreSQL database (RelStorage) behind HAProxy, on this machine.
#   scripts/cluster.sh start [N]   create the database and the site if missing, start N clients (default 2)
#                                  on ports BASE+1..BASE+N and HAProxy on the configured address (BASE)
#   scripts/cluster.sh stop        stop the clients and HAProxy
#   scripts/cluster.sh status
# Needs the RelStorage build (bin/buildout -c profiles/relstorage.cfg) and Debian's haproxy
# (scripts/system-deps.sh cluster). LINKS_BIN as for site.sh. Each client is bin/instance with its own
# zope.conf and wsgi.ini in var/cluster/clientN/ (its port, instance id and blob cache).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deployment.sh
CLUSTER=${CLUSTER_DIR:-$(dirname "$(zope_env LINKS_KEYS_DIR)")/cluster}
PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
export PGHOST PGUSER

die() {
    echo "$*" >&2
    exit 1
}
grep -q '<relstorage>' "$ZOPE_CONF" ||
    die "This build keeps its database in ZEO: build the cluster profile first (bin/buildout -c profiles/relstorage.cfg)."
DBNAME=$(grep -o "dbname='[^']*'" "$ZOPE_CONF" | head -1 | cut -d"'" -f2)
ADDRESS=$(awk -F'= *' '$1 ~ /^(listen|fast-listen) *$/ {print $2; exit}' "$WSGI_INI")
HOST=${ADDRESS%:*} BASE=${ADDRESS##*:}

client() { "$CLUSTER/client$1/instance" "${@:2}"; }
clients() { find "$CLUSTER" -maxdepth 1 -name 'client*' -type d 2>/dev/null | sed 's/.*client//' | sort -n; }

configure() {
    local i=$1 dir=$CLUSTER/client$1
    mkdir -p "$dir/home" "$dir/blobcache"
    sed -e "s#^LINKS_INSTANCE_ID .*#LINKS_INSTANCE_ID client$i#" \
        -e "s#^%define CLIENTHOME .*#%define CLIENTHOME $dir/home#" \
        -e "s#blob-dir .*/blobcache#blob-dir $dir/blobcache#" "$ZOPE_CONF" >"$dir/zope.conf"
    # HAProxy connects from $HOST and passes the visitor's address on (option forwardfor): trust it there,
    # so per-address limits (public forms, the verify page) count visitors, not the load balancer.
    printf '\ntrusted-proxy %s\n' "$HOST" >>"$dir/zope.conf"
    sed -e "s#$ADDRESS#$HOST:$((BASE + i))#" -e "s#zope_conf = .*#zope_conf = $dir/zope.conf#" \
        -e "s#\(/var/log/instance\)#\1-client$i#g" "$WSGI_INI" >"$dir/wsgi.ini"
    sed -e "s#'$ZOPE_CONF'#'$dir/zope.conf'#" -e "s#'$WSGI_INI'#'$dir/wsgi.ini'#" "$BIN/instance" >"$dir/instance"
    chmod 755 "$dir/instance"
}

start() {
    local n=${1:-2} i
    command -v haproxy >/dev/null || die "HAProxy is missing: scripts/system-deps.sh cluster (apt-get install haproxy)."
    psql -d postgres -tAc "select 1 from pg_database where datname = '$DBNAME'" | grep -q 1 ||
        createdb "$DBNAME"
    mkdir -p "$CLUSTER"
    for i in $(seq 1 "$n"); do configure "$i"; done
    SITE_ID=$SITE_ID client 1 run scripts/create_site.py
    for i in $(seq 1 "$n"); do
        client "$i" status 2>/dev/null | grep -q 'program running' || client "$i" start >/dev/null
    done
    {
        printf 'global\n    maxconn 512\ndefaults\n    mode http\n    timeout connect 5s\n'
        printf '    timeout client 300s\n    timeout server 300s\n    retries 2\n    option redispatch\n'
        printf '    option forwardfor\n'
        printf 'frontend links\n    bind %s\n    default_backend zope\n' "$ADDRESS"
        printf 'backend zope\n    balance leastconn\n    option httpchk GET /\n'
        for i in $(seq 1 "$n"); do printf '    server client%s %s:%s check inter 2s\n' "$i" "$HOST" $((BASE + i)); done
    } >"$CLUSTER/haproxy.cfg"
    [ -f "$CLUSTER/haproxy.pid" ] && kill "$(cat "$CLUSTER/haproxy.pid")" 2>/dev/null || true
    haproxy -D -f "$CLUSTER/haproxy.cfg" -p "$CLUSTER/haproxy.pid"
    for i in $(seq 1 "$n"); do
        local waited=0
        until curl -s --max-time 20 -o /dev/null "http://$HOST:$((BASE + i))/"; do
            sleep 0.5
            waited=$((waited + 1))
            [ $waited -lt $((START_TIMEOUT * 2)) ] || die "client$i did not answer on port $((BASE + i))."
        done
    done
    # HAProxy sends nothing to a client until its health check has seen it up (503 until then).
    local waited=0
    until [ "$(curl -s --max-time 20 -o /dev/null -w '%{http_code}' "http://$HOST:$BASE/")" != 503 ]; do
        sleep 0.5
        waited=$((waited + 1))
        [ $waited -lt $((START_TIMEOUT * 2)) ] || die "HAProxy found no client up on port $BASE."
    done
    echo "Serving http://localhost:$BASE/$SITE_ID through HAProxy, $n clients on ports $((BASE + 1))-$((BASE + n)). 'make stop-cluster' stops them."
}

stop() {
    local i
    for i in $(clients); do client "$i" stop >/dev/null 2>&1 || true; done
    if [ -f "$CLUSTER/haproxy.pid" ]; then
        kill "$(cat "$CLUSTER/haproxy.pid")" 2>/dev/null || true
        rm -f "$CLUSTER/haproxy.pid"
    fi
    echo "Stopped."
}

status() {
    local i
    for i in $(clients); do
        if client "$i" status 2>/dev/null | grep -q 'program running'; then
            echo "client$i: running (port $((BASE + i)))"
        else echo "client$i: stopped"; fi
    done
    if [ -f "$CLUSTER/haproxy.pid" ] && kill -0 "$(cat "$CLUSTER/haproxy.pid")" 2>/dev/null; then
        echo "HAProxy: running ($ADDRESS)"
    else echo "HAProxy: stopped"; fi
}

case "${1:-}" in
start) start "${2:-2}" ;;
stop) stop ;;
status) status ;;
*)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
