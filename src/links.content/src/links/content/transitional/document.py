"""The transitional report as HTML: the same fragments for the record's page, its signed PDF and the
handover archive's unsigned summary, so every copy shows the same figures the same way (the money table and
the stored figures come from the period report base)."""

from __future__ import annotations

from datetime import date
from html import escape

from links.content.pdf.api import render_pdf
from links.content.periodreport.document import day as _day
from links.content.periodreport.document import money_html
from links.content.periodreport.document import snapshot_of
from links.content.words import format_date

REGULATION = "regulation 15 of the Local Involvement Networks Regulations 2008 (SI 2008/528)"


def activities_html(data: dict | None, heading_level: int = 2) -> str:
    """The activities table: one row per activity with its total and breakdown."""
    h = f"h{heading_level}"
    if not data:
        return (
            f"<{h}>Activities</{h}><p class='muted'>The figures are taken from the records when the report "
            "is submitted for sign-off.</p>"
        )
    rows = []
    for section in data["sections"]:
        detail = (
            "<ul>" + "".join(f"<li>{escape(label)}: {n}</li>" for label, n in section["breakdown"]) + "</ul>"
            if section["breakdown"]
            else "None"
        )
        rows.append(
            f"<tr><th scope='row'>{escape(section['label'])}</th><td>{section['total']}</td>"
            f"<td>{detail}</td></tr>"
        )
    period = data.get("period") or {}
    start, end = _day(period.get("start")), _day(period.get("end"))
    scope = (
        f"from {format_date(start)} to {format_date(end)}"
        if start and end
        else "over the whole life of the records"
    )
    return (
        f"<{h}>Activities</{h}>"
        f"<p>Counted from the network's records {scope}; figures taken on "
        f"{escape(format_date(_day(data.get('taken_on'))))}.</p>"
        "<table><thead><tr><th scope='col'>Activity</th><th scope='col'>Number</th>"
        "<th scope='col'>By outcome or state</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def expenditure_html(text: str | None, heading_level: int = 2) -> str:
    """The expenditure headings as recorded, with their total."""
    return money_html(text, "Spending", "No expenditure headings are recorded.", level=heading_level)


def body_html(obj) -> str:
    """The body of the report (everything but the title page and signatures) as HTML."""
    from links.content.transitional.report import RECIPIENT_FIELDS

    facts = [
        ("Period", f"{format_date(obj.period_start)} to {format_date(obj.period_end)}"),
        ("Outgoing host", obj.host_name or ""),
        ("Local authority", obj.council_name or ""),
        ("Host ceased its activities on", format_date(obj.ceased_on) if obj.ceased_on else "Not recorded"),
    ]
    facts_html = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in facts if v)
    narrative = obj.narrative.output if getattr(obj, "narrative", None) else ""
    copies = "".join(
        f"<li>{escape(str(title))}: "
        + (f"sent on {escape(format_date(sent))}" if (sent := getattr(obj, name, None)) else "not yet sent")
        + "</li>"
        for name, title in RECIPIENT_FIELDS
    )
    return (
        f"<section class='section'><p>Prepared under {REGULATION}: the network's activities in the "
        f"period and the amounts spent and on what.</p><dl>{facts_html}</dl></section>"
        + (f"<section class='section'><h2>Summary</h2>{narrative}</section>" if narrative else "")
        + f"<section class='section'>{activities_html(snapshot_of(obj))}</section>"
        + f"<section class='section'>{expenditure_html(obj.expenditure)}</section>"
        + f"<section class='section'><h2>Copies</h2><ul>{copies}</ul></section>"
    )


def summary_pdf(site, data: dict, expenditure_text: str | None = None, today: date | None = None) -> bytes:
    """An unsigned summary of the activities (the handover archive's report when none is signed off).

    :param site: the Plone site
    :param data: figures from ``activities.count``
    :param expenditure_text: "Heading: amount" lines, if any are recorded
    :returns: PDF bytes
    """
    title = escape(f"Transitional report: {site.Title()}")
    document = (
        f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><h1>{title}</h1>"
        f"<p>Summary prepared on {escape(format_date(today or date.today()))} under {REGULATION}, for the "
        "host, the local authority and the Secretary of State. It has not been signed off by the governing "
        "body: no signed-off transitional report was found in the site.</p>"
        f"{activities_html(data)}{expenditure_html(expenditure_text)}</body></html>"
    )
    return render_pdf(document, base_url=site.absolute_url())


class SignedBody:
    """ISignedRecordBody of a transitional report: its signed PDF shows the report, not a field list."""

    def __init__(self, context):
        self.context = context

    def __call__(self) -> str:
        return body_html(self.context)
