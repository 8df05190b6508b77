"""HTML of a disclosure bundle: a title page, one section per record version with redactions
applied (each box cites its exemption), and the manifest. Every value is escaped: record text is
user input and must never become markup in the PDF.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from html import escape

from plone import api

from links.content.foi.vocabularies import CITATIONS
from links.content.words import format_date
from links.content.words import format_datetime

#: Fields not worth a reader's time in a disclosure (technical or empty by design).
SKIPPED = {"subjects", "language", "contributors", "creators", "rights", "changeNote"}

STYLE = """
.redacted { background: #000; color: #fff; padding: 0 1mm; font-weight: bold; font-size: 8.5pt; }
.record { page-break-before: always; }
.field { margin: 0 0 3mm 0; }
.field h3 { font-size: 10.5pt; margin: 2mm 0 1mm 0; }
.notice { border: 1px solid #444; padding: 2mm; margin: 3mm 0; font-size: 9pt; }
/* Fixed layout: automatic table layout measures every hash character (slow for 50+ rows). */
table.manifest { table-layout: fixed; }
table.manifest col.n { width: 8%; } table.manifest col.record { width: 37%; }
table.manifest col.version { width: 10%; } table.manifest col.hash { width: 45%; }
"""


def _redact(text: str, redactions: list) -> tuple[str, str]:
    """Apply redactions to plain text.

    :returns: ``(html, disclosed_text)``: the escaped HTML with each withheld span replaced by a box
        citing the exemption, and the text as disclosed (spans replaced by the citation)
    """
    html = escape(text)
    disclosed = text
    for redaction in sorted(redactions, key=lambda r: -len(r.text)):
        citation = CITATIONS.get(redaction.exemption, redaction.exemption)
        box = f'<span class="redacted" role="note">[Redacted: {escape(citation)}]</span>'
        html = html.replace(escape(redaction.text), box)
        disclosed = disclosed.replace(redaction.text, f"[Redacted: {citation}]")
    return html.replace("\n", "<br>"), disclosed


def item_sections(field_map: dict, applied: dict) -> tuple[list[tuple[str, str]], dict]:
    """The sections of one record version.

    :param field_map: ``history.fields`` of the version
    :param applied: field name -> redactions applying to it
    :returns: ``([(field title, html)], {field: disclosed text})``
    """
    from links.content.foi.api import plain_text

    sections = []
    disclosed = {}
    for name, data in field_map.items():
        if name in SKIPPED:
            continue
        text = plain_text(data["value"]).strip()
        if not text:
            continue
        html, shown = _redact(text, applied.get(name, []))
        disclosed[name] = shown
        sections.append((data["title"], html))
    return sections, disclosed


def bundle_html(request, manifest: dict, rendered: list[list[tuple[str, str]]]) -> str:
    """The whole bundle as one HTML document.

    :param request: the FOIRequest
    :param manifest: the sealed manifest
    :param rendered: per item, its ``(title, html)`` sections
    :returns: HTML text
    """
    network = api.portal.get().Title()
    built = datetime.fromisoformat(manifest["built_at"])
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        f"<title>Disclosure {escape(request.reference)}</title>",
        f"<style>{STYLE}</style>",
        # The sealed manifest travels inside the PDF (only data: URLs are fetched when rendering).
        '<link rel="attachment" title="manifest.json" href="data:application/json;base64,'
        + base64.b64encode(json.dumps(manifest, indent=2, sort_keys=True).encode()).decode()
        + '">',
        "</head><body>",
        '<section class="title-page">',
        f'<p class="network">{escape(network)}</p>',
        f"<h1>Disclosure under request {escape(request.reference)}</h1>",
        f"<p>{escape(request.summary or '')}</p>",
        "<dl>",
        f"<dt>Request received</dt><dd>{escape(format_date(request.received))}</dd>",
        f"<dt>Bundle prepared</dt><dd>{escape(format_datetime(built, zone=True))}</dd>",
        f"<dt>Records disclosed</dt><dd>{len(manifest['items'])}</dd>",
        "</dl>",
        '<p class="notice">Text withheld under an exemption of the Freedom of Information Act 2000 is shown '
        "as a black box naming the exemption. The manifest at the end lists each record, its version and "
        "SHA-256 hashes; it is sealed with the network's key and the PDF is signed.</p>",
        "</section>",
    ]
    for entry, sections in zip(manifest["items"], rendered, strict=True):
        parts.append('<section class="record">')
        parts.append(f"<h2>{entry['n']}. {escape(entry['title'])}</h2>")
        parts.append(
            f'<p class="muted">{escape(entry["portal_type"])}, version {entry["version"]} of '
            f"{escape(format_datetime(entry['version_time'], zone=True))}</p>"
        )
        cited = sorted({CITATIONS.get(r["exemption"], r["exemption"]) for r in entry["redactions"]})
        if cited:
            parts.append('<p class="notice">Withheld on this record: ' + escape("; ".join(cited)) + ".</p>")
        for title, html in sections:
            parts.append(f'<div class="field"><h3>{escape(title)}</h3><p>{html}</p></div>')
        parts.append("</section>")
    parts.append(
        '<section class="record"><h2>Manifest</h2><table class="manifest">'
        '<col class="n"><col class="record"><col class="version"><col class="hash">'
    )
    parts.append("<tr><th>No.</th><th>Record</th><th>Version</th><th>SHA-256 of the version</th></tr>")
    for entry in manifest["items"]:
        parts.append(
            f"<tr><td>{entry['n']}</td><td>{escape(entry['title'])}<br>"
            f'<span class="hash">{escape(entry["uid"])}</span></td><td>{entry["version"]}</td>'
            f'<td><span class="hash">{entry["sha256"]}</span><br>disclosed: '
            f'<span class="hash">{entry["disclosed_sha256"]}</span></td></tr>'
        )
    parts.append("</table>")
    parts.append(
        f'<p>Sealed with the site key <span class="hash">{escape(manifest["key_fingerprint"])}</span>; '
        f'seal <span class="hash">{escape(manifest["seal"])}</span>.</p>'
    )
    parts.append("</section></body></html>")
    return "".join(parts)
