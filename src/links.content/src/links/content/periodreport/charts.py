"""Simple bar charts drawn on the server as SVG, for pages and PDFs alike (no script, no library).

A chart is a picture of a table that is always printed next to it, so it carries a text alternative
(``<title>`` and ``<desc>`` naming every bar and its number) and is never the only way to read a figure.
Every text is escaped; the colours keep a contrast of at least 4.5:1 against white (WCAG 2.2 AA).
"""

from __future__ import annotations

from html import escape

WIDTH = 640
LABEL_HEIGHT = 16
BAR_HEIGHT = 16
ROW_GAP = 10
BAR_COLOUR = "#1f4e79"  # 8.6:1 on white
TEXT_COLOUR = "#111111"
#: Room kept right of the longest bar for its number.
NUMBER_ROOM = 60
#: Longest label drawn in full (longer ones are cut with an ellipsis; the table has them whole).
MAX_LABEL = 90


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def describe(rows: list[tuple[str, int]]) -> str:
    """The chart in words: "Upheld: 2; Not upheld: 1." (its text alternative)."""
    if not rows:
        return "No records were counted."
    return "; ".join(f"{label}: {number}" for label, number in rows) + "."


def bar_chart(title: str, rows: list[tuple[str, int]], chart_id: str) -> str:
    """A horizontal bar chart, one labelled bar per row.

    :param title: what the chart shows (its accessible name)
    :param rows: ``(label, number)`` in the order to draw them
    :param chart_id: a document-unique id (letters, digits and hyphens) for the title and description
    :returns: an ``<svg>`` element, or "" when there is nothing to draw
    """
    if not rows:
        return ""
    chart_id = "".join(c for c in chart_id if c.isalnum() or c == "-") or "chart"
    top = max(number for _label_text, number in rows) or 1
    scale = (WIDTH - NUMBER_ROOM) / top
    step = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    height = step * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="links-chart" role="img" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(rows))}</desc>',
    ]
    for index, (label, number) in enumerate(rows):
        y = index * step
        width = max(round(number * scale), 2 if number else 0)
        parts.append(
            f'<text x="0" y="{y + LABEL_HEIGHT - 4}" font-size="12" fill="{TEXT_COLOUR}" '
            f'aria-hidden="true">{escape(_label(label))}</text>'
        )
        if width:
            parts.append(
                f'<rect x="0" y="{y + LABEL_HEIGHT}" width="{width}" height="{BAR_HEIGHT}" '
                f'fill="{BAR_COLOUR}" aria-hidden="true"/>'
            )
        parts.append(
            f'<text x="{width + 6}" y="{y + LABEL_HEIGHT + BAR_HEIGHT - 3}" font-size="12" '
            f'font-weight="bold" fill="{TEXT_COLOUR}" aria-hidden="true">{number}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
