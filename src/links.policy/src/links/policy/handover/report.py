"""The transitional report (SI 2008/528 reg 15) in the handover archive.

The report itself is a record (``TransitionalReport``, links.content.transitional) signed off by the
governing body; the archive carries it like every record (versions, signatures, sealed PDF) and also
copies its signed PDF to the well-known member ``report/transitional-report.pdf``, named in the manifest's
``transitional_report`` entry. When the site holds no signed-off report, that member is an unsigned summary
of all the records' activities, counted by the same code the record uses, and the entry says
``"signed": false``.
"""

from __future__ import annotations

from datetime import date

from links.content.transitional import activities
from links.content.transitional import api as transitional_api
from links.content.transitional import document

MEMBER = "report/transitional-report.pdf"


def render(site, today: date | None = None) -> bytes:
    """An unsigned summary of the site's activities as PDF bytes (no signed-off report exists)."""
    return document.summary_pdf(site, activities.count(site, today=today), today=today)


def signed(site) -> tuple[object, dict] | None:
    """The signed-off transitional report with the latest period and its latest sign-off, or None."""
    from links.content.signing.api import latest_signoff

    obj = transitional_api.signed_report(site)
    return (obj, latest_signoff(obj)) if obj is not None else None


def write(writer, site) -> dict:
    """Write ``report/transitional-report.pdf`` into the archive.

    :param writer: the archive being written (``export.ArchiveWriter``)
    :param site: the Plone site
    :returns: the manifest's ``transitional_report`` entry: ``signed``, ``file``, ``sha256`` and, for a
        signed report, ``uid``, ``path``, ``review_state``, ``period``, ``version_id``,
        ``version_sha256`` (the signed canonical version), ``signed_off`` (UTC) and ``signatures``
    """
    from plone import api

    from links.policy.handover.serialize import relative_path

    found = signed(site)
    if found is None:
        return {"signed": False, "file": MEMBER, "sha256": writer.write(MEMBER, render(site))}
    obj, signoff = found
    return {
        "signed": True,
        "file": MEMBER,
        "sha256": writer.write(MEMBER, bytes(signoff["pdf"].data)),
        "uid": obj.UID(),
        "path": relative_path(obj, site),
        "review_state": api.content.get_state(obj, default=None),
        "period": {"start": obj.period_start.isoformat(), "end": obj.period_end.isoformat()},
        "version_id": signoff["version_id"],
        "version_sha256": signoff["sha256"],
        "signed_off": signoff["time"],
        "signatures": len(signoff["signatures"]),
    }
