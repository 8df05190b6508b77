"""The PDF of a signed-off record: title page, every field of the signed version, signature page.

The HTML is built from ``links/content/pdf/templates/record.html`` (a ``string.Template``; every
value is escaped except rich text, which is Plone's safe-HTML output of the field).
"""

from datetime import datetime
from html import escape
from pathlib import Path
from string import Template

from plone import api
from zope.component import queryAdapter

from links.content.canonical import field_values
from links.content.interfaces import ISignedRecordBody
from links.content.pdf.api import render_pdf
from links.content.pdf.api import sign_pdf
from links.content.words import format_date
from links.content.words import format_datetime

TEMPLATE = Path(__file__).parent.parent / "pdf" / "templates" / "record.html"
#: Fields shown on the title page rather than in the body.
TITLE_FIELDS = {"title", "description"}


def _value_html(value) -> str:
    """A field value as HTML for the body of the PDF."""
    if value is None or value == "" or value == [] or value == ():
        return '<p class="muted">Not given</p>'
    if hasattr(value, "raw") and hasattr(value, "mimeType"):
        return value.output or ""
    if hasattr(value, "to_object"):
        target = value.to_object
        return f"<p>{escape(target.Title()) if target is not None else 'Missing link'}</p>"
    if hasattr(value, "filename") and hasattr(value, "data"):
        return f"<p>File: {escape(value.filename or '')}</p>"
    if isinstance(value, datetime):
        return f"<p>{escape(format_datetime(value, zone=True))}</p>"
    if hasattr(value, "isoformat") and hasattr(value, "day"):
        return f"<p>{escape(format_date(value))}</p>"
    if isinstance(value, bool):
        return "<p>Yes</p>" if value else "<p>No</p>"
    if isinstance(value, list | tuple | set | frozenset):
        items = "".join(f"<li>{_value_html(v).removeprefix('<p>').removesuffix('</p>')}</li>" for v in value)
        return f"<ul>{items}</ul>"
    text = escape(str(value)).replace("\n", "<br>")
    return f"<p>{text}</p>"


def record_html(obj, signoff: dict, records: list[dict], recusals: list[dict]) -> str:
    """The full HTML document of the signed-off record.

    :param obj: the record (its current content is the signed version)
    :param signoff: the sign-off record (version_id, sha256, time)
    :param records: the signature records of the signed version
    :param recusals: recusal records
    :returns: HTML text
    """
    fti = api.portal.get_tool("portal_types").getTypeInfo(obj)
    # A type may lay its signed document out itself (links.content.interfaces.ISignedRecordBody).
    custom = queryAdapter(obj, ISignedRecordBody)
    body = (
        custom()
        if custom is not None
        else "\n".join(
            f'<section class="section"><h2>{escape(title)}</h2>{_value_html(value)}</section>'
            for name, value, title in field_values(obj)
            if name not in TITLE_FIELDS
        )
    )
    rows, hash_rows = [], []
    for r in records:
        when = datetime.fromisoformat(r["time"])
        meaning = "Approved" if r["meaning"] == "approve" else f"Rejected: {r['reason'] or ''}"
        rows.append(
            f"<tr><td>{escape(r['printed_name'])}</td><td>{escape(r['role'])}</td><td>{escape(meaning)}</td>"
            f"<td>{escape(when.strftime('%Y-%m-%d %H:%M:%S'))} UTC</td>"
            f"<td>{escape(format_datetime(when, zone=True))}</td></tr>"
        )
        hash_rows.append(
            f"<tr><td>{escape(r['printed_name'])}</td><td>{r['version_id']}</td>"
            f'<td class="hash">{escape(r["sha256"])}</td></tr>'
        )
    recusal_html = (
        "<ul>"
        + "".join(
            f"<li>{escape(r['printed_name'])} "
            f"({escape(format_datetime(r['time'], zone=True))}): "
            + ", ".join(escape(d["title"]) for d in r["declarations"])
            + "</li>"
            for r in recusals
        )
        + "</ul>"
        if recusals
        else "<p>No member was recused.</p>"
    )
    description = obj.Description()
    return Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        title=escape(obj.Title()),
        network=escape(api.portal.get().Title()),
        type_title=escape(fti.Title() if fti else obj.portal_type),
        description=f"<p>{escape(description)}</p>" if description else "",
        signed_off=escape(format_datetime(signoff["time"], zone=True)),
        version_id=escape(str(signoff["version_id"])),
        sha256=escape(signoff["sha256"]),
        key=escape(records[0]["key"] if records else ""),
        body=body,
        signature_rows="\n".join(rows),
        hash_rows="\n".join(hash_rows),
        recusals=recusal_html,
    )


def signed_report_pdf(obj, signoff: dict, records: list[dict], recusals: list[dict]) -> bytes:
    """Render the signed-off record to PDF and sign it (PAdES) with the site certificate.

    :returns: the signed PDF bytes
    """
    pdf = render_pdf(record_html(obj, signoff, records, recusals), base_url=obj.absolute_url())
    return sign_pdf(
        pdf,
        reason=(
            f"Signed off by the governing body (version {signoff['version_id']}, SHA-256 {signoff['sha256']})"
        ),
        location=api.portal.get().Title() or None,
    )
