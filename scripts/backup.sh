#!/usr/bin/env bash
# Backups that restore: the database and blobs, the keys folder and the audit folder, in one dated folder
# with a SHA-256 manifest. ZEO/FileStorage: repozo and a copy of the blobs; RelStorage (profiles/
# relstorage.cfg, blobs in the database): pg_dump of the database (restored with pg_restore).
#   scripts/backup.sh backup [ROOT]    into ROOT/<UTC date and time>/ (default var/backups); the site may run
#   scripts/backup.sh restore FOLDER   into a stopped deployment; refuses a backup without its audit or
#                                      keys folder, or whose manifest does not match its files
#   scripts/backup.sh prune ROOT DAYS  delete the dated folders in ROOT older than DAYS days
# What is replaced by a restore is kept in var/pre-restore-<time>/ until you delete it.
#
# Order makes the copy consistent while the site runs: the audit head kept outside the ZODB
# (zodb-head.json, which only moves forward) is taken first, then the database (repozo reads up to the
# last committed transaction), then the blobs (never changed once written, so every blob the database
# copy names is there), then the read-event files (append-only: at least as long as when the database was
# copied) and the keys.
set -euo pipefail
umask 077 # backups and what a restore sets aside hold keys and the whole database: the owner's only
cd "$(dirname "$0")/.."
source scripts/deployment.sh

DATA_FS= BLOBS= DBNAME=
if grep -q '<relstorage>' "$ZOPE_CONF"; then
    DBNAME=$(grep -o "dbname='[^']*'" "$ZOPE_CONF" | head -1 | cut -d"'" -f2)
    PGHOST=${PGHOST:-$(grep -o "host='[^']*'" "$ZOPE_CONF" | head -1 | cut -d"'" -f2)}
    PGUSER=${PGUSER:-$(grep -o "user='[^']*'" "$ZOPE_CONF" | head -1 | cut -d"'" -f2)}
    export PGHOST PGUSER
else
    DATA_FS=$(zeo_storage path)
    BLOBS=$(zeo_storage blob-dir)
fi
KEYS=$(zope_env LINKS_KEYS_DIR)
AUDIT=$(zope_env LINKS_AUDIT_DIR)
MANIFEST=SHA256SUMS
# The clients of scripts/cluster.sh (var/cluster/clientN/instance).
cluster_running() {
    local script
    for script in "$(dirname "$KEYS")"/cluster/client*/instance; do
        [ -x "$script" ] && "$script" status 2>/dev/null | grep -q 'program running' && return 0
    done
    return 1
}

die() {
    echo "$*" >&2
    exit 1
}

backup() {
    local root=${1:-var/backups} stamp target
    mkdir -p "$root"
    root=$(cd "$root" && pwd)
    stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
    target=$root/$stamp
    [ ! -e "$target" ] || die "$target exists already."
    mkdir -p "$target.partial"
    chmod 700 "$target.partial"
    # 1. The audit heads kept outside the ZODB, before the database: never ahead of the database copy.
    mkdir -p "$target.partial/heads"
    if [ -d "$AUDIT" ]; then
        (cd "$AUDIT" && find . -name zodb-head.json -exec cp --parents {} "$target.partial/heads/" \;)
    fi
    # 2. The database: a full repozo backup (consistent while ZEO serves it), or pg_dump (one snapshot).
    if [ -n "$DBNAME" ]; then
        pg_dump -Fc -f "$target.partial/database.pgdump" "$DBNAME"
    else
        mkdir -p "$target.partial/filestorage"
        "$BIN/repozo" -B -F -z -r "$target.partial/filestorage" -f "$DATA_FS"
        # 3. Blobs (RelStorage keeps them in the database).
        cp -a "$BLOBS" "$target.partial/blobstorage"
    fi
    # 4. Read-event files, 5. keys (modes kept: keys stay readable by their owner only).
    [ -d "$AUDIT" ] && cp -a "$AUDIT" "$target.partial/audit" || mkdir -p "$target.partial/audit"
    (cd "$target.partial/heads" && find . -name zodb-head.json -exec cp {} "../audit/{}" \;)
    rm -rf "$target.partial/heads"
    [ -d "$KEYS" ] || die "The keys folder $KEYS does not exist: nothing to sign with, refusing a backup without it."
    cp -a "$KEYS" "$target.partial/keys"
    printf '{"created": "%s", "storage": "%s", "keys": "%s", "audit": "%s"}\n' \
        "$stamp" "${DBNAME:+relstorage:$DBNAME}${DATA_FS:+filestorage:$DATA_FS}" "$KEYS" "$AUDIT" >"$target.partial/backup.json"
    (cd "$target.partial" && find . -type f ! -name "$MANIFEST" -print0 | sort -z | xargs -0 sha256sum >"$MANIFEST")
    mv "$target.partial" "$target"
    echo "Backup in $target ($(du -sh "$target" | cut -f1))."
}

restore() {
    local source=${1:-}
    [ -n "$source" ] || die "Say which backup: make restore BACKUP=var/backups/<date>"
    [ -d "$source" ] || die "Refusing: $source is not a backup folder."
    source=$(cd "$source" && pwd)
    [ -f "$source/$MANIFEST" ] || die "Refusing: $source has no manifest ($MANIFEST)."
    [ -d "$source/audit" ] || die "Refusing: $source has no audit folder (the audit trail's read events and heads)."
    [ -d "$source/keys" ] || die "Refusing: $source has no keys folder (without it no seal or signature verifies)."
    if [ -n "$DBNAME" ]; then
        [ -f "$source/database.pgdump" ] || die "Refusing: $source has no database (database.pgdump)."
    else
        [ -d "$source/filestorage" ] || die "Refusing: $source has no database (filestorage/)."
    fi
    local listed actual odd
    # Only plain files and folders: a symbolic link would bring in something the manifest cannot vouch for.
    odd=$(cd "$source" && find . ! -type f ! -type d | head -3 | tr '\n' ' ')
    [ -z "$odd" ] || die "Refusing: $source holds something that is neither a file nor a folder: $odd"
    listed=$(cut -c67- "$source/$MANIFEST" | sort)
    actual=$(cd "$source" && find . -type f ! -name "$MANIFEST" | sort)
    [ "$listed" = "$actual" ] || die "Refusing: the files in $source are not the ones its manifest lists (added or removed)."
    (cd "$source" && sha256sum --quiet -c "$MANIFEST") >/dev/null 2>&1 ||
        die "Refusing: a file in $source does not match its SHA-256 in the manifest: $(cd "$source" && sha256sum --quiet -c "$MANIFEST" 2>&1 | head -3 | tr '\n' ' ')"
    if { [ -n "$ZEO_CONF" ] && zeo_running; } || instance_running || cluster_running; then
        die "Refusing: the deployment is running. Stop it first (make stop), then restore."
    fi
    local aside names=(keys audit)
    aside=$(dirname "$KEYS")/pre-restore-$(date -u +%Y-%m-%dT%H%M%SZ)
    mkdir -p "$aside"
    aside=$(cd "$aside" && pwd)
    if [ -n "$DBNAME" ]; then
        # The database as it was: the current one is kept as a dump beside what else the restore replaces.
        pg_dump -Fc -f "$aside/database.pgdump" "$DBNAME"
        pg_restore --clean --if-exists --single-transaction -d "$DBNAME" "$source/database.pgdump"
    else
        # The database: recovered next to the old one, then swapped in (its index and lock files go too).
        "$BIN/repozo" -R -r "$source/filestorage" -o "$DATA_FS.restoring"
        for suffix in "" .index .tmp .lock; do
            [ -e "$DATA_FS$suffix" ] && mv "$DATA_FS$suffix" "$aside/"
        done
        mv "$DATA_FS.restoring" "$DATA_FS"
        names+=(blobstorage)
    fi
    local name folder
    for name in "${names[@]}"; do
        case $name in blobstorage) folder=$BLOBS ;; keys) folder=$KEYS ;; audit) folder=$AUDIT ;; esac
        [ -e "$folder" ] && mv "$folder" "$aside/$name"
        mkdir -p "$(dirname "$folder")"
        cp -a "$source/$name" "$folder"
    done
    echo "Restored $source. What it replaced is in $aside."
}

prune() {
    local root=${1:?backup folder} days=${2:?days}
    find "$root" -mindepth 1 -maxdepth 1 -type d -name '20*Z' -mtime "+$days" -print -exec rm -rf {} +
}

case "${1:-}" in
backup) backup "${2:-}" ;;
restore) restore "${2:-}" ;;
prune) prune "${2:-}" "${3:-}" ;;
*)
    sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
