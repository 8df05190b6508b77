"""The record of issue: the SHA-256 of every PDF the site hands out, in the audit trail and in an index.

Every path that issues a PDF (sign-off of a report, constitution, transitional or annual report; an FOI
disclosure bundle; a complaint response letter) calls ``issue_pdf``: it renders the document with the
verification mark (``mark.py``) at the foot of every page, seals it when the path seals, and records the
final bytes' SHA-256. The record is twofold:

- an audit entry ``pdf.issued`` (record UID, version, kind, SHA-256, issue id), so the record of issue is
  itself covered by the hash chain and its sealed checkpoints;
- a site annotation (``IssueIndex``) of BTrees, so "did we issue this exact file?" is a lookup in
  O(log n), without the catalog: file SHA-256 -> entry, issue id -> file SHA-256, and
  ``"<uid> <time> <sha256>"`` keys listing a record's issues in order (for "superseded by a later one").
  Keys are text so that the handover carries the index as it carries every BTree.

A PDF cannot carry its own hash, so the mark carries the *issue id*: 64 random hex digits chosen before
rendering and recorded with the file's hash. It names the issue (which record, version, kind and date),
not the bytes: checking that a copy is exactly what was issued needs the file itself (or its SHA-256).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from plone import api
from zope.annotation.interfaces import IAnnotations

from links.content.integrity import sha256_hex
from links.content.words import utcnow

KEY = "links.content.verify.issued"

#: Kinds of issued PDF, and how the verify page names them.
KINDS = {
    "signed-record": "signed record",
    "foi-bundle": "freedom of information disclosure bundle",
    "complaint-letter": "complaint response letter",
}
#: Kinds whose answer to someone who may not see the record is only "genuine, issued on <date>".
CONFIDENTIAL = frozenset({"complaint-letter"})
#: After every "<uid> <time> <sha256>" key of a record (keys are ASCII).
_LAST = "\uffff"


class IssueIndex(Persistent):
    """Three BTrees of one site's issued PDFs (entries are plain dicts, replaced, never changed)."""

    def __init__(self):
        self.files = OOBTree()  # SHA-256 of the PDF -> entry
        self.issues = OOBTree()  # issue id -> SHA-256 of the PDF
        self.by_record = OOBTree()  # "<uid> <issued time> <SHA-256>" -> kind


def get_index(site=None, create: bool = False) -> IssueIndex | None:
    """The site's index of issued PDFs (None while nothing was issued, unless ``create``)."""
    annotations = IAnnotations(site if site is not None else api.portal.get())
    index = annotations.get(KEY)
    if index is None and create:
        index = annotations[KEY] = IssueIndex()
    return index


def new_issue_id() -> str:
    """A fresh issue id: 64 random hex digits (unguessable, so a link names one document only)."""
    return secrets.token_hex(32)


def record_issue(
    data: bytes,
    obj,
    kind: str,
    issue_id: str,
    version_id: int | None = None,
    record_sha256: str | None = None,
    actor: str | None = None,
) -> dict:
    """Record that the site issued exactly ``data`` (audit entry ``pdf.issued`` and the index).

    :param data: the PDF as handed out (after sealing)
    :param obj: the record it was issued from
    :param kind: one of ``KINDS``
    :param issue_id: the id its verification mark carries (``new_issue_id``)
    :param version_id: the record's version it shows (signed records)
    :param record_sha256: SHA-256 of that version's canonical content (signed records)
    :returns: the index entry
    :raises ValueError: unknown kind
    """
    from links.content.audit.api import record

    if kind not in KINDS:
        raise ValueError(f"Unknown kind of issued PDF: {kind!r}")
    sha256 = sha256_hex(data)
    entry = {
        "sha256": sha256,
        "issue_id": issue_id,
        "kind": kind,
        "uid": obj.UID(),
        "portal_type": obj.portal_type,
        "title": obj.Title(),
        "version_id": version_id,
        "record_sha256": record_sha256,
        "issued": utcnow().isoformat(),
        "size": len(data),
    }
    index = get_index(create=True)
    index.files[sha256] = entry
    index.issues[issue_id] = sha256
    index.by_record[f"{entry['uid']} {entry['issued']} {sha256}"] = kind
    details = {k: entry[k] for k in ("sha256", "issue_id", "kind", "version_id", "record_sha256", "size")}
    record("pdf.issued", obj, details, actor=actor)
    return entry


def lookup(value: str, site=None) -> tuple[dict | None, str | None]:
    """The issue a SHA-256 names: the file's own hash first, then an issue id (from a verification link).

    :param value: 64 lowercase hex digits
    :returns: ``(entry, "file" | "issue")`` or ``(None, None)``
    """
    index = get_index(site)
    if index is None:
        return None, None
    entry = index.files.get(value)
    if entry is not None:
        return entry, "file"
    sha256 = index.issues.get(value)
    return (index.files[sha256], "issue") if sha256 is not None else (None, None)


def issues_of(uid: str, site=None) -> list[dict]:
    """A record's issued PDFs, oldest first."""
    index = get_index(site)
    if index is None:
        return []
    keys = index.by_record.keys(min=f"{uid} ", max=f"{uid} {_LAST}")
    return [index.files[key.rsplit(" ", 1)[1]] for key in keys]


def withdraw(sha256: str, reason: str, actor: str | None = None) -> dict:
    """Mark an issued PDF as withdrawn (issued in error, say): the verify page then says so.

    :param sha256: the PDF's SHA-256
    :param reason: why, in words (shown on the verify page)
    :returns: the updated entry
    :raises KeyError: no PDF with that SHA-256 was issued
    """
    from plone.app.uuid.utils import uuidToObject

    from links.content.audit.api import record

    index = get_index()
    if index is None or sha256 not in index.files:
        raise KeyError(sha256)
    entry = dict(index.files[sha256])
    entry["withdrawn"] = {"time": utcnow().isoformat(), "reason": reason}
    index.files[sha256] = entry
    obj = uuidToObject(entry["uid"], unrestricted=True)
    record("pdf.withdrawn", obj, {"sha256": sha256, "reason": reason}, actor=actor)
    return entry


@dataclass
class IssuedPdf:
    """What ``issue_pdf`` gives: the bytes handed out, the seal (when sealed) and the index entry."""

    data: bytes
    entry: dict
    sealed: object = None


def issue_pdf(
    html: str,
    obj,
    kind: str,
    *,
    seal: Callable[[bytes], object] | None = None,
    footer_html: str = "",
    base_url: str | None = None,
    version_id: int | None = None,
    record_sha256: str | None = None,
    actor: str | None = None,
) -> IssuedPdf:
    """Render, mark, seal and record a PDF: the one way the site issues a document.

    :param html: the complete HTML document
    :param obj: the record it is issued from
    :param kind: one of ``KINDS``
    :param seal: seals the rendered bytes (``pdf.api.seal_pdf`` with its arguments bound); returns a
        ``SealedPdf`` or bytes; None for an unsigned document
    :param footer_html: the path's own line at the foot of every page (the mark is added after it)
    :param base_url: base for relative URLs while rendering
    :returns: an ``IssuedPdf``
    """
    from links.content.pdf.api import render_pdf
    from links.content.verify.mark import mark_html
    from links.content.verify.mark import note_html

    issue_id = new_issue_id()
    footer = f"{footer_html}{mark_html(issue_id)}"
    end = html.rfind("</body>")
    html = f"{html[:end]}{note_html(issue_id)}{html[end:]}" if end >= 0 else html + note_html(issue_id)
    data = render_pdf(html, base_url=base_url, footer_html=footer)
    sealed = seal(data) if seal is not None else None
    if sealed is not None:
        data = sealed if isinstance(sealed, bytes) else sealed.data
    entry = record_issue(data, obj, kind, issue_id, version_id, record_sha256, actor=actor)
    return IssuedPdf(data=data, entry=entry, sealed=sealed)
