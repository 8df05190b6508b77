"""The handover API: export a site, check an archive, import it into a fresh site, compare afterwards.

Services, scripts and tests call these functions (see FORMAT.md for the archive format).
"""

from pathlib import Path

from links.policy.handover.export import export_site
from links.policy.handover.importer import import_archive as _import_archive
from links.policy.handover.progress import status
from links.policy.handover.serialize import same_schemata
from links.policy.handover.verify import check_archive
from links.policy.handover.verify import compare_site

__all__ = ["export_archive", "import_archive", "verify_archive", "compare", "status", "default_path"]


def default_path(site, directory: str | Path | None = None) -> Path:
    """Where an export goes by default: ``$LINKS_HANDOVER_DIR`` (or ``var/handover``), by site and time."""
    import os
    from datetime import UTC
    from datetime import datetime

    base = Path(
        directory
        or os.environ.get("LINKS_HANDOVER_DIR")
        or Path(os.environ.get("CLIENT_HOME", "var")) / "handover"
    )
    return base / f"{site.getId()}-handover-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.zip"


def export_archive(
    site,
    path: str | Path | None = None,
    include_passwords: bool = False,
    include_report: bool = True,
    progress=None,
) -> dict:
    """Write the whole site into one signed archive.

    :param site: the Plone site
    :param path: the ZIP to write (default: ``default_path(site)``)
    :param include_passwords: export password hashes too (never clear-text passwords)
    :param include_report: include the transitional report PDF
    :returns: summary with ``path``, ``fingerprint`` (share it with the successor) and totals
    """
    with same_schemata():
        return export_site(site, path or default_path(site), include_passwords, include_report, progress)


def verify_archive(path: str | Path, expected_fingerprint: str | None = None) -> dict:
    """Check an archive without importing it.

    :returns: the manifest
    :raises links.policy.handover.exceptions.ArchiveRefused: with every problem found
    """
    return check_archive(path, expected_fingerprint)


def import_archive(
    site, path: str | Path, expected_fingerprint: str | None = None, batch_size: int = 100, progress=None
) -> dict:
    """Verify, then restore an archive into a freshly created site (re-runnable after an interruption).

    :raises links.policy.handover.exceptions.ArchiveRefused: archive damaged or from another key
    :raises links.policy.handover.exceptions.TargetNotEmpty: the site holds other records
    """
    with same_schemata():
        return _import_archive(site, path, expected_fingerprint, batch_size, progress)


def compare(site, path: str | Path, progress=None) -> dict:
    """Compare a site with an archive item by item.

    :param progress: a ``Progress`` to report on (phase "verification"), or None for none
    :returns: ``{"identical": bool, "items_checked": n, "differences": [...]}``
    """
    with same_schemata():
        return compare_site(site, path, progress=progress)
