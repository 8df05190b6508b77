"""Write the whole site into one handover archive, record by record (streamed, see FORMAT.md)."""

import contextlib
import hashlib
import os
import time
import zipfile
from datetime import UTC
from datetime import datetime
from pathlib import Path

import transaction
from plone import api

from links.content.integrity import dumps
from links.content.integrity import sha256_hex as sha256
from links.policy.handover import manifest as mf
from links.policy.handover import serialize
from links.policy.handover.archive import private_dir
from links.policy.handover.archive import private_file
from links.policy.handover.encoding import Encoder
from links.policy.handover.progress import Progress

README = """LINk handover archive (format {format} version {version}).

Open format: JSON files and raw blobs in a ZIP. manifest.json lists every file with its SHA-256;
manifest.sig is the Ed25519 signature (hex) of manifest.json's bytes, made with the key in public-key.pem.
items/<uid>.json holds one record with all its versions; blobs/<sha256> holds file contents;
audit/entries.jsonl holds the hash-chained audit trail. The full description is FORMAT.md of links.policy.
"""


#: Exports older than this many days are deleted from the handover folder by the next export.
KEEP_DAYS = 30


def handover_dir() -> Path:
    """Where exports go (mode 0700): ``$LINKS_HANDOVER_DIR``, else ``$CLIENT_HOME/handover`` (``var/``)."""
    configured = os.environ.get("LINKS_HANDOVER_DIR")
    return private_dir(
        Path(configured) if configured else Path(os.environ.get("CLIENT_HOME", "var")) / "handover"
    )


def keep_days() -> int:
    text = os.environ.get("LINKS_HANDOVER_KEEP_DAYS", "").strip()
    return int(text) if text.isdigit() else KEEP_DAYS


def remove_old_exports(directory: Path, days: int | None = None) -> list[str]:
    """Delete archives in ``directory`` older than ``days`` (default ``LINKS_HANDOVER_KEEP_DAYS``, 30):
    an archive holds every complainant's details and is kept only until the successor has it."""
    days = keep_days() if days is None else days
    cutoff = time.time() - days * 86400
    removed = []
    for path in sorted(directory.glob("*-handover-*.zip*")):
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink()
            removed.append(str(path))
    return removed


class ArchiveWriter:
    """A ZIP being written, remembering the SHA-256 of every file for the manifest.

    The file is created with mode 0600 (personal data of everyone in the network), never over an existing
    file or through a link.
    """

    def __init__(self, path: Path):
        self.handle = private_file(path)
        self.zip = zipfile.ZipFile(self.handle, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        self.files: dict[str, str] = {}

    def write(self, name: str, data: bytes) -> str:
        digest = sha256(data)
        self.zip.writestr(name, data)
        self.files[name] = digest
        return digest

    def blob(self, data: bytes) -> str:
        """Store file bytes once under their digest; returns the digest."""
        digest = sha256(data)
        name = f"blobs/{digest}"
        if name not in self.files:
            self.zip.writestr(name, data)
            self.files[name] = digest
        return digest

    def write_stream(self, name: str, chunks) -> str:
        """Write text chunks (an iterator) to one file without holding it in memory."""
        hasher = hashlib.sha256()
        with self.zip.open(name, "w", force_zip64=True) as handle:
            for chunk in chunks:
                data = chunk.encode("utf-8")
                hasher.update(data)
                handle.write(data)
        self.files[name] = hasher.hexdigest()
        return self.files[name]

    def close(self) -> None:
        self.zip.close()
        self.handle.close()


@contextlib.contextmanager
def _chained_log(site):
    """The site's audit log with every queued entry chained, read-only.

    Entries recorded and committed but still queued for the chainer belong to what is handed over. The
    chainer runs in its own transaction (``chain_in_own_transaction``, as after every commit), so the
    export never writes to the log itself and cannot conflict with a chainer running meanwhile. This
    transaction's view of the ZODB may predate that commit (it does whenever the last commit's own chainer
    ran after the view was taken), so the log is read through a fresh connection of its own.
    """
    from links.content.audit.storage import chain_in_own_transaction
    from links.content.audit.storage import checkpoint_every
    from links.content.audit.storage import get_log

    log = get_log(site)
    if log is None or log._p_jar is None or log._p_oid is None or log._p_changed:
        yield log  # no log, or one created or changed in this (uncommitted) transaction: read it as it is
        return
    db = log._p_jar.db()
    # A signed checkpoint of exactly what is handed over (#15), published and e-mailed to the witnesses.
    chain_in_own_transaction(db, log._p_oid, every=checkpoint_every(), seal=True)
    manager = transaction.TransactionManager(explicit=True)
    connection = db.open(transaction_manager=manager)
    manager.begin()
    try:
        yield connection.get(log._p_oid)
    finally:
        manager.abort()
        connection.close()


def _audit(writer: ArchiveWriter, site) -> dict:
    """The audit trail through links.content.audit's API: entries as JSON Lines, checkpoints as JSON."""
    try:
        from links.content.audit import api as audit_api
    except ImportError:
        return {"available": False}
    with _chained_log(site) as log:
        if log is None:
            writer.write_stream("audit/entries.jsonl", iter(()))
            return {"available": True, "entries": 0, "head_seq": 0, "head_hash": None, "checkpoints": 0}
        writer.write_stream("audit/entries.jsonl", audit_api.export_jsonl(log=log))
        checkpoints = [dict(c) for c in log.checkpoints.values()]
        writer.write("audit/checkpoints.json", dumps(checkpoints))
        return {
            "available": True,
            "entries": log.last_seq,
            "head_seq": log.last_seq,
            "head_hash": log.last_hash,
            "checkpoints": len(checkpoints),
        }


def export_site(
    site,
    path: str | Path,
    include_passwords: bool = False,
    include_report: bool = True,
    progress: Progress | None = None,
    encrypt_to: str | None = None,
) -> dict:
    """Export ``site`` into a new archive at ``path`` (mode 0600, in a folder of mode 0700).

    :param site: the Plone site
    :param path: the ZIP file to write (must not exist; with ``encrypt_to``, ``.age`` is appended)
    :param include_passwords: also export the users' password hashes (never clear passwords)
    :param include_report: render the transitional report PDF into the archive
    :param progress: progress reporter (default: one printing to the console)
    :param encrypt_to: the successor's age recipient (``age1...``): encrypt the archive for them
    :returns: the manifest (without the item list) plus ``path``, ``fingerprint`` and ``encrypted``
    """
    from links.content.keys.api import public_key_pem
    from links.content.keys.api import signing_key
    from links.policy.handover import encryption

    path = Path(path)
    if encrypt_to:
        encryption.recipient(encrypt_to)  # refuse a bad recipient before the long export
    private_dir(path.parent)
    if path.exists() or (encrypt_to and path.with_name(path.name + ".age").exists()):
        raise FileExistsError(f"{path} exists already: an export never overwrites an archive")
    site_id = site.getId()
    progress = progress or Progress(site_id, "export")
    catalog = api.portal.get_tool("portal_catalog")
    total = len(catalog.unrestrictedSearchResults(path="/".join(site.getPhysicalPath())))
    writer = ArchiveWriter(path)
    try:
        items, totals, versions = [], {}, 0
        progress.start_phase("records", total)
        for count, obj in enumerate(serialize.walk(site), 1):
            encoder = Encoder(blob_sink=writer.blob)
            data = serialize.item_data(obj, site, encoder)
            digest = writer.write(f"items/{data['uid']}.json", dumps(data))
            items.append(
                {
                    "uid": data["uid"],
                    "path": data["path"],
                    "type": data["portal_type"],
                    "versions": len(data["versions"]),
                    "sha256": digest,
                    "blobs": sorted(set(encoder.blobs)),
                }
            )
            totals[data["portal_type"]] = totals.get(data["portal_type"], 0) + 1
            versions += len(data["versions"])
            progress.step()
            if count % 200 == 0:
                site._p_jar.cacheGC()  # keep memory flat on large sites
        progress.total = progress.done
        encoder = Encoder(blob_sink=writer.blob)
        writer.write("site.json", dumps(serialize.site_data(site, encoder)))
        writer.write("principals.json", dumps(serialize.principals_data(site, include_passwords)))
        writer.write("registry.json", dumps(serialize.registry_data()))
        audit = _audit(writer, site)
        transitional_report = None
        if include_report:
            from links.policy.handover import report

            # The signed-off TransitionalReport's sealed PDF (else an unsigned summary), named in manifest.
            transitional_report = report.write(writer, site)
        writer.write("README.txt", README.format(format=mf.FORMAT, version=mf.FORMAT_VERSION).encode("utf-8"))
        key_pem = public_key_pem(site_id)
        manifest = {
            "format": mf.FORMAT,
            "format_version": mf.FORMAT_VERSION,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "source": {"site_id": site_id, "title": site.Title(), "url": site.absolute_url()},
            "public_key_sha256": mf.key_fingerprint(key_pem),
            "password_hashes": include_passwords,
            "totals": {
                "items": len(items),
                "versions": versions,
                "by_type": dict(sorted(totals.items())),
                "blobs": sum(1 for name in writer.files if name.startswith("blobs/")),
            },
            "audit": audit,
            "transitional_report": transitional_report,
            "files": dict(sorted(writer.files.items())),
            "items": items,
        }
        manifest_bytes = dumps(manifest)
        writer.zip.writestr(mf.MANIFEST, manifest_bytes)
        writer.zip.writestr(mf.SIGNATURE, mf.sign(manifest_bytes, signing_key(site_id)))
        writer.zip.writestr(mf.PUBLIC_KEY, key_pem)
    except Exception as error:
        writer.close()
        path.unlink(missing_ok=True)
        progress.fail(str(error))
        raise
    writer.close()
    if encrypt_to:
        encrypted = path.with_name(path.name + ".age")
        try:
            encryption.encrypt(path, encrypted, encrypt_to)
        finally:
            path.unlink()
        path = encrypted
    summary = {k: v for k, v in manifest.items() if k not in ("items", "files")}
    summary.update(
        path=str(path),
        fingerprint=manifest["public_key_sha256"],
        size=path.stat().st_size,
        encrypted=bool(encrypt_to),
    )
    progress.finish(path=str(path))
    return summary
