"""The handover API: export a site, check an archive, import it into a fresh site, compare afterwards.

Services, scripts and tests call these functions (see FORMAT.md for the archive format). Every archive is
treated as hostile until proven otherwise: see ``verify.open_verified`` (limits, private copy, signature,
fingerprint, digests), ``encoding`` (class allowlist), ``privileges`` (least privilege) and ``importer``
(all or nothing).
"""

from datetime import UTC
from datetime import datetime
from pathlib import Path

from links.policy.handover.archive import Limits
from links.policy.handover.export import export_site
from links.policy.handover.export import handover_dir
from links.policy.handover.export import remove_old_exports
from links.policy.handover.importer import import_archive as _import_archive
from links.policy.handover.privileges import ImportOptions
from links.policy.handover.progress import status
from links.policy.handover.serialize import same_schemata
from links.policy.handover.verify import check_archive
from links.policy.handover.verify import compare as _compare

__all__ = [
    "ImportOptions",
    "Limits",
    "compare",
    "default_path",
    "export_archive",
    "import_archive",
    "import_into_new_site",
    "status",
    "verify_archive",
]


def default_path(site, directory: str | Path | None = None) -> Path:
    """Where an export goes by default: ``$LINKS_HANDOVER_DIR`` (or ``var/handover``), by site and time."""
    base = Path(directory) if directory else handover_dir()
    return base / f"{site.getId()}-handover-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.zip"


def export_archive(
    site,
    path: str | Path | None = None,
    include_passwords: bool = False,
    include_report: bool = True,
    progress=None,
    encrypt_to: str | None = None,
) -> dict:
    """Write the whole site into one signed archive (mode 0600 in a 0700 folder).

    Archives older than ``LINKS_HANDOVER_KEEP_DAYS`` (30) in the same folder are deleted afterwards.

    :param site: the Plone site
    :param path: the ZIP to write (default: ``default_path(site)``)
    :param include_passwords: export password hashes too (never clear-text passwords)
    :param include_report: include the transitional report PDF
    :param encrypt_to: the successor's age recipient (``age1...``); the archive is then ``<path>.age``
    :returns: summary with ``path``, ``fingerprint`` (the handover fingerprint: give it to the successor by
        another channel), totals and ``removed`` (old archives deleted)
    """
    path = Path(path) if path else default_path(site)
    with same_schemata():
        summary = export_site(site, path, include_passwords, include_report, progress, encrypt_to)
    summary["removed"] = [p for p in remove_old_exports(path.parent) if p != summary["path"]]
    return summary


def verify_archive(
    source, expected_fingerprint: str | None = None, limits: Limits | None = None, identity=None
) -> dict:
    """Check an archive without importing it. Without ``expected_fingerprint`` only its integrity is
    checked, not who made it.

    :returns: the manifest
    :raises links.policy.handover.exceptions.ArchiveRefused: with every problem found
    """
    return check_archive(source, expected_fingerprint, limits, identity)


def import_archive(
    site,
    source,
    expected_fingerprint: str | None = None,
    *,
    options: ImportOptions | None = None,
    limits: Limits | None = None,
    identity=None,
    batch_size: int = 100,
    progress=None,
    commit: bool = True,
) -> dict:
    """Verify, restore into a fresh site, compare; keep the import only when identical (all or nothing).

    :param expected_fingerprint: the outgoing host's handover fingerprint; required unless
        ``options.insecure_no_fingerprint``
    :param options: what the archive may grant beyond the defaults (admin roles, password hashes, all
        registry records)
    :returns: summary with ``imported``, ``left_out`` (what and why), ``authenticity`` and ``verification``
    :raises links.policy.handover.exceptions.FingerprintRequired: no fingerprint and no override
    :raises links.policy.handover.exceptions.ArchiveRefused: archive damaged, hostile or from another key
    :raises links.policy.handover.exceptions.TargetNotEmpty: the site holds other records
    :raises links.policy.handover.exceptions.NotIdentical: the result differed from the archive
    """
    with same_schemata():
        return _import_archive(
            site,
            source,
            expected_fingerprint,
            options=options,
            limits=limits,
            identity=identity,
            batch_size=batch_size,
            progress=progress,
            commit=commit,
        )


def import_into_new_site(
    app, site_id: str, source, expected_fingerprint: str | None = None, **kwargs
) -> dict:
    """``import_archive`` into a site created for it, in the same transaction: an import that stops leaves
    no site behind. The archive is verified before the site is created."""
    from links.policy.site import create_site

    def make_site():
        return create_site(app, site_id=site_id, demo=False, commit=False)[0]

    with same_schemata():
        return _import_archive(None, source, expected_fingerprint, make_site=make_site, **kwargs)


def compare(site, source, expected_fingerprint: str | None = None, progress=None, **kwargs) -> dict:
    """Compare a site with an archive item by item (as the import that made it left it).

    :param progress: a ``Progress`` to report on (phase "verification"), or None for none
    :returns: ``{"identical": bool, "items_checked": n, "differences": [...], "left_out": [...], ...}``
    """
    with same_schemata():
        return _compare(site, source, expected_fingerprint, progress=progress, **kwargs)
