"""Check an archive before anything is imported, and compare a site with an archive after import."""

import json
import zipfile
import zlib
from pathlib import Path

from plone import api
from plone.app.uuid.utils import uuidToObject

from links.content.integrity import dumps
from links.content.integrity import sha256_hex as sha256
from links.policy.handover import manifest as mf
from links.policy.handover import serialize
from links.policy.handover.encoding import Encoder
from links.policy.handover.exceptions import ArchiveRefused

CHUNK = 1 << 20
#: Records between trims of the ZODB connection cache while reading the whole site.
GC_EVERY = 200


def _digest(archive: zipfile.ZipFile, name: str) -> str:
    import hashlib

    hasher = hashlib.sha256()
    with archive.open(name) as handle:
        while chunk := handle.read(CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


def check_archive(path: str | Path, expected_fingerprint: str | None = None) -> dict:
    """Verify the archive completely: ZIP integrity, manifest, signature, key, every digest.

    :param path: the archive
    :param expected_fingerprint: SHA-256 of the outgoing host's public key, as they told the successor;
        if given, an archive signed by any other key is refused
    :returns: the manifest
    :raises ArchiveRefused: listing every problem found
    """
    path = Path(path)
    if not path.is_file():
        raise ArchiveRefused([f"there is no archive file at {path}"])
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ArchiveRefused([f"the archive is truncated or is not a ZIP file ({error})"]) from None
    with archive:
        names = set(archive.namelist())
        missing = [name for name in mf.UNLISTED if name not in names]
        if missing:
            raise ArchiveRefused([f"the archive is incomplete: {', '.join(missing)} missing"])
        try:
            manifest_bytes = archive.read(mf.MANIFEST)
            signature = archive.read(mf.SIGNATURE).decode("ascii", "replace")
            key_pem = archive.read(mf.PUBLIC_KEY)
            manifest = json.loads(manifest_bytes)
        except (zipfile.BadZipFile, zlib.error, ValueError) as error:
            raise ArchiveRefused([f"the manifest cannot be read ({error})"]) from None
        if manifest.get("format") != mf.FORMAT:
            raise ArchiveRefused([f"this is not a LINk handover archive (format {manifest.get('format')!r})"])
        version = manifest.get("format_version")
        if not isinstance(version, int) or version > mf.FORMAT_VERSION:
            raise ArchiveRefused(
                [
                    f"the archive has format version {version}, newer than this software reads "
                    f"({mf.FORMAT_VERSION}): upgrade links.policy on the receiving site first"
                ]
            )
        problems = []
        bad_signature = mf.check_signature(manifest_bytes, signature, key_pem)
        if bad_signature:
            problems.append(bad_signature)
        try:
            fingerprint = mf.key_fingerprint(key_pem)
        except ValueError:
            fingerprint = None
        if fingerprint and manifest.get("public_key_sha256") != fingerprint:
            problems.append(
                f"the manifest names signing key {manifest.get('public_key_sha256')} "
                f"but {mf.PUBLIC_KEY} holds "
                f"key {fingerprint}: the manifest comes from another site"
            )
        if expected_fingerprint and fingerprint != expected_fingerprint.lower():
            problems.append(
                f"the archive is signed by key {fingerprint}, not by the outgoing host's key "
                f"{expected_fingerprint.lower()}"
            )
        files = manifest.get("files", {})
        for name, expected in files.items():
            if name not in names:
                problems.append(f"{name} is listed in the manifest but missing from the archive")
                continue
            try:
                actual = _digest(archive, name)
            except (zipfile.BadZipFile, zlib.error, OSError) as error:
                problems.append(f"{name} is damaged in the archive ({error})")
                continue
            if actual != expected:
                problems.append(f"{name} has been changed: SHA-256 {actual}, the manifest says {expected}")
        for name in sorted(names - set(files) - set(mf.UNLISTED)):
            problems.append(f"{name} is in the archive but not in the manifest")
        for item in manifest.get("items", []):
            name = f"items/{item['uid']}.json"
            if files.get(name) != item.get("sha256"):
                problems.append(
                    f"the manifest entry of {item.get('path')} ({item['uid']}) does not match {name}"
                )
            for blob in item.get("blobs", []):
                if f"blobs/{blob}" not in files:
                    problems.append(f"blob {blob} of {item.get('path')} is not in the archive")
        if "site.json" in names and not problems:
            source = json.loads(archive.read("site.json")).get("id")
            if source != manifest.get("source", {}).get("site_id"):
                problems.append(
                    f"the manifest is from site {manifest.get('source', {}).get('site_id')!r} "
                    f"but the records "
                    f"are from site {source!r}"
                )
    if problems:
        raise ArchiveRefused(problems)
    return manifest


def _diff(old, new, where="", out=None, limit=50) -> list[str]:
    """Key paths at which two JSON values differ (at most ``limit``)."""
    out = [] if out is None else out
    if len(out) >= limit:
        return out
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            if key not in new:
                out.append(f"{where}/{key}: missing in the site")
            elif key not in old:
                out.append(f"{where}/{key}: not in the archive")
            else:
                _diff(old[key], new[key], f"{where}/{key}", out, limit)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            _diff(a, b, f"{where}[{index}]", out, limit)
    elif old != new:
        text = json.dumps(old, ensure_ascii=False)[:80], json.dumps(new, ensure_ascii=False)[:80]
        out.append(f"{where or '/'}: archive {text[0]}, site {text[1]}")
    return out


def compare_site(site, path: str | Path, manifest: dict | None = None, progress=None) -> dict:
    """Compare ``site`` with the archive it was imported from, item by item.

    Streams like the export: each record and its versions are read, hashed and let go (the ZODB cache is
    trimmed every ``GC_EVERY`` records), so memory stays flat however large the site is.

    :param progress: a ``Progress`` to report records checked on (phase "verification"), or None
    :returns: ``{"identical": bool, "items_checked": n, "differences": [{"what", "path", "uid", "details"}]}``
    """
    manifest = manifest or check_archive(path)
    differences = []
    if progress is not None:
        progress.start_phase("verification", len(manifest["items"]))
    with zipfile.ZipFile(path) as archive:
        seen = set()
        for count, item in enumerate(manifest["items"], start=1):
            if count % GC_EVERY == 0:
                site._p_jar.cacheGC()
            if progress is not None:
                progress.step()
            seen.add(item["uid"])
            obj = uuidToObject(item["uid"], unrestricted=True)
            if obj is None:
                differences.append(
                    {"what": "missing", "path": item["path"], "uid": item["uid"], "details": []}
                )
                continue
            data = serialize.item_data(obj, site, Encoder())
            if sha256(dumps(data)) != item["sha256"]:
                original = json.loads(archive.read(f"items/{item['uid']}.json"))
                differences.append(
                    {
                        "what": "different",
                        "path": item["path"],
                        "uid": item["uid"],
                        "details": _diff(original, data),
                    }
                )
        for count, obj in enumerate(serialize.walk(site), start=1):
            if count % GC_EVERY == 0:
                site._p_jar.cacheGC()
            if obj.UID() not in seen:
                differences.append(
                    {
                        "what": "extra",
                        "path": serialize.relative_path(obj, site),
                        "uid": obj.UID(),
                        "details": [],
                    }
                )
        site_now = serialize.site_data(site, Encoder())
        site_then = json.loads(archive.read("site.json"))
        # The import adds the outgoing host's public key to the trusted keys: expected, not a difference.
        from links.content.keys.api import PREDECESSORS_KEY

        for data in (site_now, site_then):
            data.get("annotations", {}).pop(PREDECESSORS_KEY, None)
        for name, then, now in (
            (
                "site.json",
                {k: v for k, v in site_then.items() if k != "id"},
                {k: v for k, v in site_now.items() if k != "id"},
            ),
            (
                "principals.json",
                json.loads(archive.read("principals.json")),
                serialize.principals_data(site, manifest.get("password_hashes", False)),
            ),
            ("registry.json", json.loads(archive.read("registry.json")), serialize.registry_data()),
        ):
            details = _diff(then, now)
            if details:
                differences.append({"what": "different", "path": name, "uid": "", "details": details})
        differences.extend(_compare_audit(site, archive, manifest))
    if progress is not None:
        progress.finish(identical=not differences, differences=len(differences))
    return {"identical": not differences, "items_checked": len(manifest["items"]), "differences": differences}


def _compare_audit(site, archive, manifest) -> list[dict]:
    audit = manifest.get("audit", {})
    if not audit.get("available"):
        return []
    from links.content.audit.storage import get_log

    log = get_log(site)
    problems = []
    with archive.open("audit/entries.jsonl") as handle:
        for line in handle:
            entry = json.loads(line)
            stored = log.entries.get(entry["seq"]) if log is not None else None
            if stored is None or stored[1] != entry["hash"]:
                problems.append(f"audit entry {entry['seq']} differs or is missing")
                if len(problems) >= 50:
                    break
    if problems:
        return [{"what": "different", "path": "audit/entries.jsonl", "uid": "", "details": problems}]
    return []


def site_state_is_fresh(site, manifest: dict) -> list[str]:
    """Records in ``site`` that do not come from the archive (an import must go into a fresh site)."""
    uids = {item["uid"] for item in manifest["items"]}
    catalog = api.portal.get_tool("portal_catalog")
    foreign = []
    site_path = "/".join(site.getPhysicalPath())
    for brain in catalog.unrestrictedSearchResults(path=site_path):
        if brain.UID not in uids and brain.getPath() != site_path:
            foreign.append(brain.getPath())
    return foreign
