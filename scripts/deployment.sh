# Sourced by site.sh and backup.sh: where the deployment's control scripts and configuration files are.
# LINKS_BIN (default bin/) names the folder holding the `zeoserver` and `instance` scripts; their
# configuration files are the ones those scripts name (the tests use a deployment of their own this way).
BIN=${LINKS_BIN:-bin}
SITE_ID=${SITE_ID:-links}
START_TIMEOUT=${START_TIMEOUT:-180}
# The configuration file a buildout-generated control script passes with -C (or -w).
conf_of() { grep -oE "[\"']$1[\"'], '[^']*'" "$2" | head -1 | sed "s/.*, '\\(.*\\)'/\\1/"; }
ZEO_CONF=$(conf_of -C "$BIN/zeoserver" 2>/dev/null || true)
WSGI_INI=$(conf_of -w "$BIN/instance")

zeo() { "$BIN/zeoserver" "$@"; }
instance() { "$BIN/instance" "$@"; }
# The ZEO address as the server's configuration states it (a Unix socket path or host:port).
zeo_address() { awk '/^<zeo>/ {inside=1} inside && $1 == "address" {print $2; exit}' "$ZEO_CONF"; }
http_port() { awk -F'[: ]+' '$1 ~ /^(listen|fast-listen)$/ {print $NF; exit}' "$WSGI_INI"; }

zeo_running() { zeo status 2>/dev/null | grep -q 'program running'; }
instance_running() { instance status 2>/dev/null | grep -q 'program running'; }

ZOPE_CONF=$(conf_of -C "$BIN/instance")
# A value of the Zope client's <environment> section (LINKS_KEYS_DIR, LINKS_AUDIT_DIR, ...).
zope_env() { awk -v name="$1" '/^<environment>/ {inside=1} /^<\/environment>/ {inside=0} inside && $1 == name {print $2; exit}' "$ZOPE_CONF"; }
# A value of the ZEO server's <filestorage> section (path, blob-dir).
zeo_storage() { awk -v name="$1" '/^<filestorage/ {inside=1} /^<\/filestorage>/ {inside=0} inside && $1 == name {print $2; exit}' "$ZEO_CONF"; }
