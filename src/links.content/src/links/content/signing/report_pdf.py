"""The PDF of a signed-off record: heading, the fields of the signed version, and a signature page.

Rendered from the version retrieved from CMFEditions by the signed version id (``signing.api``), never
from the live record. People read it, so it says things as the record page does: field labels
(``words.field_label``), printed names, UK dates and times, vocabulary titles; empty fields and system
fields (ownership, categorisation, versioning settings) are left out. A type may lay its body out itself
by registering an ``ISignedRecordBody`` adapter (the transitional report does); it is called on the
retrieved version.

The HTML comes from ``links/content/pdf/templates/signed-record.html`` (a ``string.Template``; every value
is escaped except rich text, which is Plone's safe-HTML output of the field). ``closing_html`` (end of the
signature page) and ``footer_html`` (foot of every page) are where further lines go, such as a
verification address and its QR code.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from string import Template

from cryptography.hazmat.primitives import hashes
from plone import api
from zope.component import queryAdapter
from zope.schema.interfaces import IChoice
from zope.schema.interfaces import ICollection
from zope.schema.interfaces import IText
from zope.schema.interfaces import ITextLine

from links.content.canonical import schema_fields
from links.content.disclosure import field_read_permissions
from links.content.interfaces import ISignedRecordBody
from links.content.words import and_join
from links.content.words import field_label
from links.content.words import format_date
from links.content.words import format_datetime
from links.content.words import format_time
from links.content.words import fullname
from links.content.words import plural
from links.content.words import translate
from links.content.words import type_title
from links.content.words import version_number

TEMPLATE = Path(__file__).parent.parent / "pdf" / "templates" / "signed-record.html"
#: Fields shown in the heading rather than in the body.
TITLE_FIELDS = {"title", "description"}
#: Behaviour schemas whose fields describe the record's handling, not its content.
SYSTEM_SCHEMAS = frozenset(
    {
        "plone.app.dexterity.behaviors.metadata.IOwnership",
        "plone.app.dexterity.behaviors.metadata.ICategorization",
        "plone.app.dexterity.behaviors.metadata.IPublication",
        "plone.app.dexterity.behaviors.metadata.IDublinCore",
        "plone.app.versioningbehavior.behaviors.IVersionable",
        "plone.app.dexterity.behaviors.id.IShortName",
        "plone.app.dexterity.behaviors.exclfromnav.IExcludeFromNavigation",
        "plone.app.dexterity.behaviors.discussion.IAllowDiscussion",
        "plone.app.dexterity.behaviors.nextprevious.INextPreviousToggle",
        "plone.app.dexterity.behaviors.filename.INameFromFileName",
        "plone.app.dexterity.behaviors.related.IRelatedItems",
    }
)
#: Fields holding user ids: printed as the person's name.
PERSON_FIELDS = frozenset({"representatives", "lead", "member", "representative", "checked_by"})


def _label(name: str, field) -> str:
    label = field_label(field)
    return label.removesuffix(" (user id)") if name in PERSON_FIELDS else label


def _target_title(target) -> str:
    """A relation target as it was saved (a ``history.relations`` dict) or as it is (an object)."""
    if target is None:
        return "A record that no longer exists"
    if isinstance(target, dict):
        return target.get("title") or "A record that no longer exists"
    return target.Title()


def value_text(name: str, field, value, context, relation=None):
    """One field value in words, or None when it is empty.

    :returns: ``{"text": str}``, ``{"html": str}`` (rich text, Plone's safe output) or ``{"items": [str]}``
    """
    if value is None or value == "" or value == [] or value == () or value == set() or value == frozenset():
        return None
    if hasattr(value, "raw") and hasattr(value, "mimeType"):  # RichTextValue
        return {"html": value.output} if (value.raw or "").strip() else None
    if hasattr(value, "to_object"):  # a relation: its target when the version was saved
        return {"text": _target_title(relation if relation is not None else value.to_object)}
    if hasattr(value, "filename") and hasattr(value, "data"):
        return {"text": f"File: {value.filename or 'unnamed'}"}
    if isinstance(value, bool):
        return {"text": "Yes" if value else "No"}
    if hasattr(value, "isoformat") and hasattr(value, "hour") and hasattr(value, "day"):  # datetime
        return {"text": format_datetime(value, zone=True)}
    if hasattr(value, "isoformat") and hasattr(value, "day"):
        return {"text": format_date(value)}
    if hasattr(value, "isoformat") and hasattr(value, "hour"):
        return {"text": format_time(value)}
    if isinstance(value, list | tuple | set | frozenset):
        value_type = getattr(field, "value_type", None)
        targets = relation if isinstance(relation, list) else [None] * len(value)
        items = []
        ordered = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        for item, target in zip(ordered, targets, strict=False):
            shown = value_text(name, value_type, item, context, target)
            if shown is not None:
                items.append(shown.get("text") or "")
        return {"items": items} if items else None
    if name in PERSON_FIELDS:
        return {"text": fullname(str(value))}
    if field is not None and IChoice.providedBy(field):
        try:
            vocabulary = field.bind(context).vocabulary
        except Exception:  # a vocabulary that needs more context than a version gives
            vocabulary = None
        if vocabulary is not None and value in vocabulary:
            term = vocabulary.getTerm(value)
            return {"text": translate(term.title) if term.title else str(value)}
    return {"text": str(value)}


def displayed_fields(version, relations: dict | None = None) -> list[dict]:
    """The fields of a record version as the PDF shows them, in form order, empty and system ones left out.

    :param version: the record version (a CMFEditions copy, or the live record)
    :param relations: its relation targets as saved (``history.relations.relations_at``)
    :returns: list of ``{"name", "label", "long", "text"|"html"|"items"}``
    """
    relations = relations or {}
    # The PDF is kept on the record and served to everyone who may view it: a field with a read
    # permission (links.content.disclosure) is never printed in it.
    protected = field_read_permissions(version)
    shown = []
    for schema, name, field, value in schema_fields(version):
        if name in TITLE_FIELDS or name in protected or schema.__identifier__ in SYSTEM_SCHEMAS:
            continue
        rendered = value_text(name, field, value, version, relations.get(name))
        if rendered is None:
            continue
        long = "html" in rendered or (IText.providedBy(field) and not ITextLine.providedBy(field))
        if ICollection.providedBy(field):
            long = False
        shown.append({"name": name, "label": _label(name, field), "long": long, **rendered})
    return shown


def _value_html(item: dict) -> str:
    if "html" in item:
        return item["html"]
    if "items" in item:
        return "<ul>" + "".join(f"<li>{escape(text)}</li>" for text in item["items"]) + "</ul>"
    return "<br>".join(escape(line) for line in item["text"].splitlines()) or ""


def body_html(version, relations: dict | None = None) -> str:
    """The body of the PDF: short fields as a list of details, long ones as sections."""
    items = displayed_fields(version, relations)
    details = "".join(
        f"<dt>{escape(item['label'])}</dt><dd>{_value_html(item)}</dd>" for item in items if not item["long"]
    )
    sections = "".join(
        f'<section class="section"><h2>{escape(item["label"])}</h2>'
        + (_value_html(item) if "html" in item else f"<p>{_value_html(item)}</p>")
        + "</section>"
        for item in items
        if item["long"]
    )
    return (
        f'<section class="section"><h2>Details</h2><dl class="details">{details}</dl></section>'
        if details
        else ""
    ) + sections


def _decision(record: dict) -> str:
    return "Approved" if record["meaning"] == "approve" else f"Rejected: {record['reason'] or ''}"


def closing_html(signoff: dict, certificate_fingerprint: str, key: str, url: str) -> str:
    """How to check the document, at the end of the signature page (extend here: verification line, QR)."""
    return (
        "<h3>How to check this document</h3><ol>"
        "<li>The file itself: a PDF reader that shows signatures (or <code>pdfsig</code>) says whether the "
        "file has changed since it was sealed. To check it yourself, run "
        f"<code>links-verify pdf FILE.pdf --fingerprint {escape(certificate_fingerprint)}</code>: the "
        "fingerprint is that of the network's certificate, which the network publishes.</li>"
        "<li>The members' signatures: download them from "
        f"<code>{escape(url)}/@signatures</code> and run <code>links-verify signatures FILE.json "
        f"--fingerprint {escape(key)}</code> with the fingerprint of the network's signing key.</li>"
        f"<li>The content: ask the network for version {version_number(signoff['version_id'])} of the record "
        "and its SHA-256 fingerprint; it must be the one printed above.</li></ol>"
    )


def footer_html(signoff: dict) -> str:
    """The foot of every page: which version this is (extend here for every issued PDF)."""
    return (
        f"Signed version {escape(str(version_number(signoff['version_id'])))} · SHA-256 "
        f'<span class="hash">{escape(signoff["sha256"][:16])}…</span>'
    )


def record_html(
    version,
    signoff: dict,
    records: list[dict],
    recusals: list[dict],
    timestamped: bool = True,
    url: str | None = None,
) -> str:
    """The full HTML document of the signed-off record.

    :param version: the signed version (retrieved from CMFEditions; the live record only in tests)
    :param signoff: the sign-off record (version_id, sha256, time, required)
    :param records: the signature records of the signed version
    :param recusals: recusal records
    :param timestamped: whether the seal gets an RFC 3161 timestamp (said on the signature page)
    :param url: the record's address (where its signatures can be downloaded)
    :returns: HTML text
    """
    from links.content.history.relations import relations_at
    from links.content.keys.api import certificate_and_key

    relations = relations_at(version.UID(), signoff["version_id"]) or {}
    # A type may lay its signed document out itself (links.content.interfaces.ISignedRecordBody).
    custom = queryAdapter(version, ISignedRecordBody)
    body = custom() if custom is not None else body_html(version, relations)
    network = api.portal.get().Title() or "The network"
    kind = type_title(version.portal_type)
    approvals = [r for r in records if r["meaning"] == "approve"]
    rows = "".join(
        f"<tr><td>{escape(r['printed_name'])}</td><td>{escape(_decision(r))}</td>"
        f"<td>{escape(format_datetime(r['time'], zone=True))}</td></tr>"
        for r in records
    )
    recused = and_join([r["printed_name"] for r in recusals])
    certificate = certificate_and_key()[0]
    cert_fingerprint = certificate.fingerprint(hashes.SHA256()).hex()
    key = records[0]["key"] if records else ""
    signed_off = format_datetime(signoff["time"], zone=True)
    summary = (
        f"On {escape(signed_off)} the governing body of {escape(network)} signed off version "
        f"{escape(str(version_number(signoff['version_id'])))} of this {escape(kind.lower())}: "
        f"{escape(plural(len(approvals), 'member'))} approved it, where {signoff['required']} "
        "approvals were needed."
        + (f" {escape(recused)} did not take part, having declared an interest." if recused else "")
    )
    seal_text = (
        "The PDF is sealed with the network's certificate and carries a timestamp from an independent "
        "timestamp authority, which a PDF reader shows with the signature."
        if timestamped
        else "The PDF is sealed with the network's certificate. It carries no independent timestamp (this "
        "site's settings make timestamps optional): its time is the network's own clock."
    )
    description = version.Description()
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        title=escape(version.Title()),
        network=escape(network),
        type_title=escape(kind),
        description=f'<p class="description">{escape(description)}</p>' if description else "",
        signed_off=escape(signed_off),
        version_id=escape(str(version_number(signoff["version_id"]))),
        sha256=escape(signoff["sha256"]),
        body=body,
        summary=summary,
        signature_rows=rows,
        key=escape(key),
        certificate=escape(cert_fingerprint),
        seal_text=seal_text,
        closing=closing_html(signoff, cert_fingerprint, key, url or version.absolute_url()),
    )
