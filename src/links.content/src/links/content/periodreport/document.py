"""HTML fragments every period report prints the same way: the stored figures, one figure with its table and
chart, and money by heading with its total.

They read only what is stored on the object they are given (a live report or a version retrieved from
CMFEditions), so a signed PDF shows exactly the signed version. Every value is escaped.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from html import escape

from links.content.periodreport import expenditure as money
from links.content.periodreport.charts import bar_chart

#: (section key, row label) -> [(title, url)] of the counted records the reader may see.
Links = Callable[[str, str], list[tuple[str, str]]]


def day(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


def _json(obj, name: str) -> dict | None:
    text = getattr(obj, name, None)
    if not text:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def snapshot_of(obj) -> dict | None:
    """The figures stored on the report (None before it was first submitted)."""
    return _json(obj, "activities")


def money_html(text: str | None, heading: str, empty: str, level: int = 2, column: str = "Heading") -> str:
    """Money by heading as recorded ("Heading: amount" lines), with the total.

    :param text: the recorded lines
    :param heading: the section heading, e.g. "Spending"
    :param empty: what to say when no line is recorded
    :param level: heading level
    :param column: the first column's heading
    """
    h = f"h{level}"
    try:
        rows = money.parse(text)
    except money.ExpenditureError:  # stored before validation existed: show as written
        return f"<{h}>{escape(heading)}</{h}><p>{escape(text or '')}</p>"
    if not rows:
        return f"<{h}>{escape(heading)}</{h}><p class='muted'>{escape(empty)}</p>"
    body = "".join(
        f"<tr><td>{escape(name)}</td><td class='amount'>{escape(money.pounds(amount))}</td></tr>"
        for name, amount in rows
    )
    return (
        f"<{h}>{escape(heading)}</{h}>"
        f"<table><thead><tr><th scope='col'>{escape(column)}</th><th scope='col'>Amount</th></tr></thead>"
        f"<tbody>{body}</tbody><tfoot><tr><th scope='row'>Total</th>"
        f"<td class='amount'>{escape(money.pounds(money.total(rows)))}</td></tr></tfoot></table>"
    )


def _links_html(found: list[tuple[str, str]]) -> str:
    if not found:
        return ""
    items = "".join(f"<li><a href='{escape(url)}'>{escape(title)}</a></li>" for title, url in found)
    return (
        f"<details><summary>{len(found)} record{'s' if len(found) != 1 else ''} you may see</summary>"
        f"<ul>{items}</ul></details>"
    )


def section_html(
    section: dict, level: int = 3, links: Links | None = None, chart: bool = True, prefix: str = ""
) -> str:
    """One figure: its heading, what it counts, a table of its rows and a bar chart of the same rows.

    :param section: a stored section (``{"key", "label", "total", "breakdown", "note"?}``)
    :param level: heading level of the figure
    :param links: for a page, which counted records the reader may open (None in a PDF: no links)
    :param chart: draw the chart
    :param prefix: for the element ids, when the same figure is shown twice on a page (a preview)
    """
    key = "".join(c for c in str(section.get("key", "")) if c.isalnum() or c in "-_") or "figure"
    h = f"h{level}"
    rows = [(str(label), int(number)) for label, number in section.get("breakdown") or []]
    head = "<th scope='col'>What</th><th scope='col' class='number'>Number</th>"
    if links is not None:
        head += "<th scope='col'>Records</th>"
    body = "".join(
        f"<tr><th scope='row'>{escape(label)}</th><td class='number'>{number}</td>"
        + (f"<td>{_links_html(links(section.get('key', ''), label))}</td>" if links is not None else "")
        + "</tr>"
        for label, number in rows
    )
    if not rows:
        span = 3 if links is not None else 2
        body = f"<tr><td colspan='{span}'>None in this period.</td></tr>"
    note = f"<p class='note'>{escape(section['note'])}</p>" if section.get("note") else ""
    picture = ""
    if chart and rows:
        svg = bar_chart(str(section.get("label", "")), rows, f"{prefix}chart-{key}")
        picture = (
            f"<figure class='chart'>{svg}<figcaption>Chart of the table above "
            f"({escape(str(section.get('label', '')).lower())}).</figcaption></figure>"
        )
    return (
        f"<section class='figure' id='{prefix}figure-{key}'>"
        f"<{h}>{escape(str(section.get('label', '')))}</{h}>{note}"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
        f"<tfoot><tr><th scope='row'>Total</th><td class='number'>{int(section.get('total') or 0)}</td>"
        + ("<td></td>" if links is not None else "")
        + f"</tr></tfoot></table>{picture}</section>"
    )
