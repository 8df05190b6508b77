"""Check an archive before anything is imported, and compare a site with an archive after import.

``open_verified`` is the one way an archive is read: a private copy checked against the limits
(``archive``), the manifest's signature checked on its raw bytes with the archive's key, that key checked
against the fingerprint the operator was given, and only then the manifest parsed, its shape checked and
every member's digest checked. Import and comparison read through the handle it yields, which hashes every
member again as it is used.
"""

import contextlib
import dataclasses
import json

from plone import api
from plone.app.uuid.utils import uuidToObject

from links.content.integrity import dumps
from links.content.integrity import sha256_hex as sha256
from links.policy.handover import manifest as mf
from links.policy.handover import privileges
from links.policy.handover import serialize
from links.policy.handover.archive import Archive
from links.policy.handover.archive import Limits
from links.policy.handover.archive import parse_json
from links.policy.handover.archive import private_copy
from links.policy.handover.encoding import Encoder
from links.policy.handover.exceptions import ArchiveRefused
from links.policy.handover.privileges import ImportOptions

#: Records between trims of the ZODB connection cache while reading the whole site.
GC_EVERY = 200


@dataclasses.dataclass
class VerifiedArchive:
    """An archive that passed every check, open for reading (``archive`` re-hashes what it reads).

    :ivar authenticated: its key matched the fingerprint the operator gave (False: integrity only)
    """

    archive: Archive
    manifest: dict
    manifest_sha: str
    fingerprint: str
    public_key_pem: bytes
    authenticated: bool


@contextlib.contextmanager
def open_verified(
    source, expected_fingerprint: str | None = None, limits: Limits | None = None, identity=None
):
    """Copy the archive privately, verify it completely and yield a ``VerifiedArchive``.

    :param source: a path or a binary file object
    :param expected_fingerprint: the outgoing host's handover fingerprint (SHA-256 of the DER public key);
        without it the signature proves only that the archive is intact, not who made it
    :param limits: default ``Limits.from_environment()``
    :param identity: the successor's age identity file, for an encrypted archive
    :raises ArchiveRefused: listing every problem found
    """
    expected = mf.normalise_fingerprint(expected_fingerprint) if expected_fingerprint else None
    limits = limits or Limits.from_environment()
    with private_copy(source, limits, identity) as copy:
        archive = Archive(copy, limits)
        try:
            yield _verify(archive, expected)
        finally:
            archive.close()


def _verify(archive: Archive, expected: str | None) -> VerifiedArchive:  # noqa: C901 (the checks in order)
    names = archive.names()
    missing = [name for name in mf.UNLISTED if name not in names]
    if missing:
        raise ArchiveRefused([f"the archive is incomplete: {', '.join(missing)} missing"])
    manifest_bytes = archive.read_raw(mf.MANIFEST, archive.limits.json_size)
    signature = archive.read_raw(mf.SIGNATURE)
    key_pem = archive.read_raw(mf.PUBLIC_KEY)
    # The signature first, on the raw bytes: nothing from the archive is parsed before it is checked.
    bad_signature = mf.check_signature(manifest_bytes, signature, key_pem)
    if bad_signature:
        raise ArchiveRefused([bad_signature])
    fingerprint = mf.key_fingerprint(key_pem)
    if expected and fingerprint != expected:
        hint = ""
        if expected == mf.raw_key_fingerprint(key_pem):
            hint = (
                " (the fingerprint given is the one signature records use, SHA-256 of the raw key; the "
                f"handover compares the {mf.FINGERPRINT_NAME}, which is {fingerprint})"
            )
        raise ArchiveRefused(
            [
                f"the archive is signed by the key with {mf.FINGERPRINT_NAME} {fingerprint}, not by the "
                f"outgoing host's key {expected}{hint}"
            ]
        )
    manifest = parse_json(manifest_bytes, mf.MANIFEST, archive.limits.json_depth)
    if not isinstance(manifest, dict) or manifest.get("format") != mf.FORMAT:
        shown = manifest.get("format") if isinstance(manifest, dict) else None
        raise ArchiveRefused([f"this is not a LINk handover archive (format {str(shown)[:80]!r})"])
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= mf.FORMAT_VERSION:
        raise ArchiveRefused(
            [
                f"the archive has format version {str(version)[:20]}, which this software does not read "
                f"(it reads 1 to {mf.FORMAT_VERSION}): upgrade links.policy on the receiving site first"
            ]
        )
    problems = mf.shape_problems(manifest)
    if problems:
        raise ArchiveRefused(problems)
    if manifest["public_key_sha256"] != fingerprint:
        raise ArchiveRefused(
            [
                f"the manifest names signing key {manifest['public_key_sha256']} but {mf.PUBLIC_KEY} holds "
                f"key {fingerprint}: the manifest comes from another site"
            ]
        )
    files = manifest["files"]
    for name in sorted(names - set(files) - set(mf.UNLISTED))[:50]:
        problems.append(f"{name} is in the archive but not in the manifest")
    for name, expected_digest in files.items():
        if len(problems) >= 50:
            break
        if name not in names:
            problems.append(f"{name} is listed in the manifest but missing from the archive")
            continue
        try:
            actual = archive.digest(name)
        except ArchiveRefused as error:
            problems.extend(error.problems)
            continue
        if actual != expected_digest:
            problems.append(f"{name} has been changed: SHA-256 {actual}, the manifest says {expected_digest}")
    for name in ("site.json", "principals.json", "registry.json"):
        if name not in files:
            problems.append(f"the archive is incomplete: {name} is missing")
    if manifest["audit"]["available"] and "audit/entries.jsonl" not in files:
        problems.append("the archive is incomplete: audit/entries.jsonl is missing")
    if problems:
        raise ArchiveRefused(problems)
    archive.trust(files)
    site_data = archive.json("site.json")
    source = site_data.get("id") if isinstance(site_data, dict) else None
    if source != manifest["source"]["site_id"]:
        raise ArchiveRefused(
            [
                f"the manifest is from site {manifest['source']['site_id']!r} "
                f"but the records are from site {str(source)[:80]!r}"
            ]
        )
    return VerifiedArchive(archive, manifest, sha256(manifest_bytes), fingerprint, key_pem, bool(expected))


def check_archive(source, expected_fingerprint: str | None = None, limits=None, identity=None) -> dict:
    """Verify the archive completely (see ``open_verified``) and return its manifest.

    :raises ArchiveRefused: listing every problem found
    """
    with open_verified(source, expected_fingerprint, limits, identity) as verified:
        return verified.manifest


def public_check(upload, fingerprint: str) -> dict:
    """The verify page's check of an archive (``links.content.verify.interfaces.IArchiveChecker``): the
    whole of ``open_verified`` against the fingerprint the visitor typed. Nothing is imported; the private
    copy is removed when the check ends.

    :param upload: the archive (a binary file object)
    :param fingerprint: the outgoing host's handover fingerprint, as typed
    :returns: ``{"ok", "headline", "notes"}`` (a refusal is an answer, listing every problem)
    """
    from links.content.words import format_datetime
    from links.policy.handover.exceptions import HandoverError

    try:
        manifest = check_archive(upload, fingerprint)
    except ArchiveRefused as error:
        return {
            "ok": False,
            "headline": "This archive is not the one the outgoing host signed with that fingerprint, or it "
            "has been damaged.",
            "notes": error.problems,
        }
    except HandoverError as error:  # the fingerprint is not one (FingerprintRequired), or similar
        return {"ok": False, "headline": "The archive could not be checked.", "notes": [str(error)]}
    name = manifest["source"].get("title") or manifest["source"]["site_id"]
    try:
        created = format_datetime(manifest.get("created") or None, zone=True)
        exported = f", exported on {created}" if created else ""
    except (TypeError, ValueError):  # "created" is not one of the checked fields
        exported = ""
    return {
        "ok": True,
        "headline": f"Genuine: the archive is signed by the key with handover fingerprint "
        f"{manifest['public_key_sha256']}, and every file in it matches its signed manifest.",
        "notes": [f"{manifest['totals']['items']} records from {name}{exported}."],
    }


def authenticity(verified: VerifiedArchive, options: ImportOptions) -> dict:
    """What the import, its audit entry and its comparison say about who made the archive."""
    if verified.authenticated:
        return {"authenticity": "checked", "fingerprint": verified.fingerprint}
    return {
        "authenticity": "NOT checked: imported with --insecure-no-fingerprint",
        "fingerprint": verified.fingerprint,
        "insecure_no_fingerprint": bool(options.insecure_no_fingerprint),
    }


def site_plan(data: dict, verified: VerifiedArchive, options: ImportOptions):
    """``site.json`` as it should be restored: local roles with least privilege; the keys the outgoing
    host trusted only when its own key was verified by fingerprint. Returns ``(data, [left out])``."""
    from links.content.keys.api import PREDECESSORS_KEY

    local_roles = data.get("local_roles", {})
    if not isinstance(local_roles, dict) or not all(isinstance(r, list) for r in local_roles.values()):
        raise ArchiveRefused(["site.json is malformed: local_roles"])
    local_roles, left_out = privileges.local_roles_plan(local_roles, "", options)
    annotations = dict(data.get("annotations", {}))
    if not verified.authenticated and annotations.pop(PREDECESSORS_KEY, None) is not None:
        left_out.append("the keys the outgoing host trusted: its own key was not checked by fingerprint")
    if not verified.authenticated:
        left_out.append("the archive's signing key as a trusted key: it was not checked by fingerprint")
    return {**data, "local_roles": local_roles, "annotations": annotations}, left_out


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


def compare(site, source, expected_fingerprint=None, limits=None, identity=None, progress=None) -> dict:
    """Compare ``site`` with the archive it was imported from (with the options that import used)."""
    from zope.annotation.interfaces import IAnnotations

    from links.policy.handover.importer import STATE_KEY

    state = IAnnotations(site).get(STATE_KEY) or {}
    options = ImportOptions.from_dict(state.get("options"))
    with open_verified(source, expected_fingerprint, limits, identity) as verified:
        return compare_verified(site, verified, options, progress)


def compare_verified(site, verified: VerifiedArchive, options: ImportOptions, progress=None) -> dict:
    """Compare ``site`` with a verified archive, item by item, as the import with ``options`` left it.

    Streams like the export: each record and its versions are read, hashed and let go (the ZODB cache is
    trimmed every ``GC_EVERY`` records), so memory stays flat however large the site is. What the import
    leaves out by design (``privileges``) is taken out of the archive's side first, so it never shows as a
    difference, and anything else does.

    :param progress: a ``Progress`` to report records checked on (phase "verification"), or None
    :returns: ``{"identical", "items_checked", "differences": [{"what", "path", "uid", "details"}],
        "left_out", "authenticity", ...}``
    """
    from links.content.keys.api import PREDECESSORS_KEY
    from links.policy.handover.importer import principals_plan
    from links.policy.handover.importer import registry_plan

    archive, manifest = verified.archive, verified.manifest
    differences, left_out = [], []
    if progress is not None:
        progress.start_phase("verification", len(manifest["items"]))
    seen = set()
    for count, item in enumerate(manifest["items"], start=1):
        if count % GC_EVERY == 0:
            site._p_jar.cacheGC()
        if progress is not None:
            progress.step()
        seen.add(item["uid"])
        obj = uuidToObject(item["uid"], unrestricted=True)
        if obj is None:
            differences.append({"what": "missing", "path": item["path"], "uid": item["uid"], "details": []})
            continue
        data = serialize.item_data(obj, site, Encoder())
        if sha256(dumps(data)) != item["sha256"]:
            original, dropped = privileges.item_plan(archive.json(f"items/{item['uid']}.json"), options)
            if dumps(original) == dumps(data):
                left_out.extend(dropped)
                continue
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
                {"what": "extra", "path": serialize.relative_path(obj, site), "uid": obj.UID(), "details": []}
            )
    site_now = serialize.site_data(site, Encoder())
    site_then, dropped = site_plan(archive.json("site.json"), verified, options)
    left_out.extend(dropped)
    # The import adds the outgoing host's public key to the trusted keys: expected, not a difference.
    site_now["annotations"].pop(PREDECESSORS_KEY, None)
    site_then["annotations"].pop(PREDECESSORS_KEY, None)
    principals_then, dropped = principals_plan(site, archive, options)
    left_out.extend(dropped)
    registry_then, dropped = registry_plan(archive, options)
    left_out.extend(dropped)
    for name, then, now in (
        (
            "site.json",
            {k: v for k, v in site_then.items() if k != "id"},
            {k: v for k, v in site_now.items() if k != "id"},
        ),
        ("principals.json", principals_then, serialize.principals_data(site, options.password_hashes)),
        ("registry.json", registry_then, serialize.registry_data()),
    ):
        details = _diff(then, now)
        if details:
            differences.append({"what": "different", "path": name, "uid": "", "details": details})
    differences.extend(_compare_audit(site, archive, manifest))
    if progress is not None:
        progress.finish(identical=not differences, differences=len(differences))
    trust = authenticity(verified, options)
    return {
        "identical": not differences,
        "items_checked": len(manifest["items"]),
        "differences": differences,
        "left_out": sorted(set(left_out)),
        **trust,
    }


def _compare_audit(site, archive, manifest) -> list[dict]:
    if not manifest["audit"]["available"]:
        return []
    from links.content.audit.storage import get_log

    log = get_log(site)
    problems = []
    for number, entry in enumerate(archive.json_lines("audit/entries.jsonl"), start=1):
        seq = entry.get("seq") if isinstance(entry, dict) else None
        stored = log.entries.get(seq) if log is not None and isinstance(seq, int) else None
        if stored is None or stored[1] != entry.get("hash"):
            problems.append(
                f"audit entry {seq if isinstance(seq, int) else f'on line {number}'} differs or is missing"
            )
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
