"""The verification mark at the foot of every page of an issued PDF: a short line and a QR code, one link.

The link is ``<site>/@@verify?sha256=<issue id>``. The file's own SHA-256 cannot be printed in the file
(printing it changes it), so the mark carries the issue id that ``issued.record_issue`` stores with the
file's hash: the page then names the record, version and date of that issue and asks for the file to
check the bytes. The QR code is an SVG made by segno (pure Python), embedded as a ``data:`` URL (the only
kind the renderer fetches). Line and code are one ``<a>`` element with alternative text for the code.

The running footer is drawn on every page but, like all page furniture, is an artifact in the tagged PDF:
a screen reader skips it. So the document also ends with ``note_html``, a sentence in the text flow whose
link (the full address, printed) the tagged PDF marks up as a Link element that a screen reader reads.
"""

from __future__ import annotations

from html import escape

import segno
from plone import api

PATH = "@@verify"


def verify_url(issue_id: str | None = None, portal_url: str | None = None) -> str:
    """The verify page's address, naming the issue when given."""
    base = f"{portal_url or api.portal.get().absolute_url()}/{PATH}"
    return f"{base}?sha256={issue_id}" if issue_id else base


def qr_data_url(text: str) -> str:
    """A QR code of ``text`` as an SVG ``data:`` URL (error correction M: survives a smudged print)."""
    return segno.make(text, error="m", micro=False).svg_data_uri(border=0, dark="#000")


def mark_html(issue_id: str, portal_url: str | None = None) -> str:
    """The mark's HTML (trusted: every value escaped), for ``pdf.api.render_pdf(footer_html=...)``."""
    url = verify_url(issue_id, portal_url)
    page = verify_url(None, portal_url)
    return (
        f'<a class="verify-mark" href="{escape(url)}">'
        f'<img class="verify-qr" src="{qr_data_url(url)}" '
        'alt="QR code of the address checking this document">'
        f'<span class="verify-line">Check this document: scan the code or go to {escape(page)}</span>'
        f'<span class="verify-id">Issue {escape(issue_id)}</span></a>'
    )


def note_html(issue_id: str, portal_url: str | None = None) -> str:
    """The closing sentence in the document's text (tagged as a Link), for readers who cannot scan."""
    url = verify_url(issue_id, portal_url)
    return (
        '<p class="verify-note">To check that this document is genuine and current, go to '
        f'<a href="{escape(url)}">{escape(url)}</a> and upload the file.</p>'
    )
