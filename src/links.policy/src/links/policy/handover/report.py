"""The transitional report (SI 2008/528 reg 15): activities and spending of the period, as a PDF.

Figures come from the catalog (counts per record type and state); expenditure headings from the registry
record ``links.policy.expenditure_headings`` when a site keeps one (JSON list of {"heading", "amount"}).
Signing it off through the governing body is done in the site, not here (see README).
"""

import html
import json
from collections import Counter
from datetime import date

from plone import api

from links.content.pdf.api import format_date
from links.content.pdf.api import render_pdf

#: Record types the regulation asks about, in the order the report lists them.
HEADINGS = (
    ("EnterAndViewReport", "Reports and visits (enter and view)"),
    ("InformationRequest", "Requests for information"),
    ("OSCReferral", "Referrals to overview and scrutiny"),
    ("Complaint", "Complaints"),
    ("DeclarationOfInterest", "Declarations of interest"),
)


def _counts(site) -> dict[str, Counter]:
    catalog = api.portal.get_tool("portal_catalog")
    counts: dict[str, Counter] = {}
    path = "/".join(site.getPhysicalPath())
    for brain in catalog.unrestrictedSearchResults(path=path):
        counts.setdefault(brain.portal_type, Counter())[brain.review_state or "no state"] += 1
    return counts


def _expenditure() -> list[dict]:
    raw = api.portal.get_registry_record("links.policy.expenditure_headings", default=None)
    try:
        return [dict(row) for row in json.loads(raw)] if raw else []
    except (TypeError, ValueError):
        return []


def render(site, today: date | None = None) -> bytes:
    """The transitional report of ``site`` as PDF bytes."""
    today = today or date.today()
    counts = _counts(site)
    esc = html.escape
    rows = []
    for portal_type, label in HEADINGS:
        states = counts.get(portal_type, Counter())
        detail = (
            ", ".join(f"{n} {esc(state.replace('_', ' '))}" for state, n in sorted(states.items())) or "none"
        )
        rows.append(
            f"<tr><th scope='row'>{esc(label)}</th><td>{sum(states.values())}</td><td>{detail}</td></tr>"
        )
    others = sorted(t for t in counts if t not in dict(HEADINGS))
    other_rows = "".join(
        f"<tr><th scope='row'>{esc(t)}</th><td>{sum(counts[t].values())}</td></tr>" for t in others
    )
    spending = _expenditure()
    spending_html = (
        "<table><thead><tr><th scope='col'>Heading</th><th scope='col'>Amount</th></tr></thead><tbody>"
        + "".join(
            f"<tr><td>{esc(str(r.get('heading', '')))}</td><td>{esc(str(r.get('amount', '')))}</td></tr>"
            for r in spending
        )
        + "</tbody></table>"
        if spending
        else "<p>No expenditure headings are recorded in this site.</p>"
    )
    title = f"Transitional report: {esc(site.Title())}"
    document = f"""<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title></head>
<body><h1>{title}</h1>
<p>Prepared on {format_date(today)} under regulation 15 of the Local Involvement Networks Regulations 2008,
for the host, the local authority and the Secretary of State.</p>
<h2>Activities</h2>
<table><thead><tr><th scope="col">Activity</th><th scope="col">Records</th><th scope="col">By state</th>
</tr></thead><tbody>{"".join(rows)}</tbody></table>
<h2>Other records handed over</h2>
<table><thead><tr><th scope="col">Type</th><th scope="col">Records</th></tr></thead>
<tbody>{other_rows}</tbody>
</table>
<h2>Spending</h2>{spending_html}
</body></html>"""
    return render_pdf(document)
