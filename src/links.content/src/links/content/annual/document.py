"""The annual report as a document: the same body for its public page and its signed PDF, and the easy read
summary.

Built only from what is stored on the object it is given (a live report or a version retrieved from
CMFEditions: the signed PDF is rendered from the signed version), plus the network's name. The page adds,
for each figure, links to the counted records its reader may see; the PDF has no links (it is public).
Every value is escaped except rich text, which is Plone's safe-HTML output of the field.
"""

from __future__ import annotations

import json
from datetime import date
from html import escape

from plone import api

from links.content.annual.years import year_words
from links.content.periodreport import expenditure as money
from links.content.periodreport.document import Links
from links.content.periodreport.document import day
from links.content.periodreport.document import money_html
from links.content.periodreport.document import section_html
from links.content.periodreport.document import snapshot_of
from links.content.words import and_join
from links.content.words import format_date
from links.content.words import plural

ACT = "section 227 of the Local Government and Public Involvement in Health Act 2007"

#: (anchor, heading, field) of the parts people write, in the order the report prints them.
WRITTEN = (
    ("achievements", "Achievements and impact", "achievements"),
    ("case-studies", "Case studies", "case_studies"),
    ("involvement", "How people took part", "involvement"),
    ("equality", "Working with every part of the community", "equality"),
)

STYLE = """<style>
.links-annual-report .number, .links-annual-report .amount { text-align: right; }
.links-annual-report .glance { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.75em; }
.links-annual-report .glance li { border: 1px solid #888; padding: 0.5em 0.75em; min-width: 10em; }
.links-annual-report .glance strong { display: block; font-size: 1.6em; }
.links-annual-report figure.chart { margin: 0.5em 0 1.5em 0; }
.links-annual-report figure.chart svg { max-width: 100%; height: auto; }
.links-annual-report .note { color: #333; }
@media print {
  .links-annual-report nav.contents a { color: #111; text-decoration: none; }
  .links-annual-report nav.contents a::after { content: leader('.') target-counter(attr(href), page); }
  .links-annual-report nav.contents { break-after: page; }
  #part-figures, #part-money { break-before: page; }
  .links-annual-report section.figure, .links-annual-report figure.chart { break-inside: avoid; }
  .links-annual-report .glance li { display: inline-block; margin: 0 2mm 2mm 0; }
}
</style>"""


def _text(obj, name: str) -> str:
    value = getattr(obj, name, None)
    return value.output if value is not None and getattr(value, "output", None) else ""


def people_of(data: dict | None) -> dict:
    people = (data or {}).get("people") or {}
    return {
        "representatives": [str(n) for n in people.get("representatives") or []],
        "decision_makers": [str(n) for n in people.get("decision_makers") or []],
    }


def sections_of(data: dict | None) -> dict[str, dict]:
    return {str(s.get("key")): s for s in (data or {}).get("sections") or [] if isinstance(s, dict)}


def total(data: dict | None, key: str) -> int:
    return int(sections_of(data).get(key, {}).get("total") or 0)


def count_of(data: dict | None, key: str, predicate) -> int:
    """Sum of a figure's rows whose label satisfies ``predicate``."""
    return sum(
        int(n) for label, n in sections_of(data).get(key, {}).get("breakdown") or [] if predicate(label)
    )


def in_time(label: str) -> bool:
    return " within " in label and "late" not in label


def period_words(obj) -> str:
    start, end = getattr(obj, "period_start", None), getattr(obj, "period_end", None)
    if not (start and end):
        return "the financial year"
    return f"1 April {start.year} to 31 March {end.year}"


def money_rows(text: str | None) -> list:
    try:
        return money.parse(text)
    except money.ExpenditureError:
        return []


def glance(data: dict | None, obj) -> list[tuple[int | str, str]]:
    """The year at a glance: (number, what) pairs for the cover of the figures."""
    if not data:
        return []
    spent = money.total(money_rows(getattr(obj, "expenditure", None)))
    return [
        (total(data, "visits_by_service"), "enter and view visits"),
        (total(data, "reports_published"), "reports published"),
        (total(data, "recommendations"), "recommendations to providers"),
        (total(data, "information_requests"), "requests for information"),
        (total(data, "osc_referrals"), "referrals to scrutiny"),
        (total(data, "complaints"), "complaints received"),
        (total(data, "foi_outcomes"), "freedom of information requests"),
        (total(data, "decisions"), "relevant decisions published"),
        (money.pounds(spent), "spent"),
    ]


def _names(names: list[str], empty: str) -> str:
    if not names:
        return f"<p class='muted'>{escape(empty)}</p>"
    return "<ul>" + "".join(f"<li>{escape(n)}</li>" for n in names) + "</ul>"


def body_html(obj, links: Links | None = None, network: str | None = None) -> str:
    """The report's body (everything but the cover and signature pages) as HTML.

    :param obj: an AnnualReport, or a version of one retrieved from CMFEditions
    :param links: for the page: which counted records the reader may see (None: no links, as in the PDF)
    :param network: the network's name (default: the site's title)
    """
    network = network if network is not None else api.portal.get().Title()
    data = snapshot_of(obj)
    parts = []  # (anchor, heading, html)
    taken = day((data or {}).get("taken_on"))
    intro = (
        f"<p>This is the annual report of {escape(network)} for the financial year {period_words(obj)}, made "
        f"under {ACT}. It says what the network did and achieved in the year, what it spent, and who took "
        "part.</p>"
    )
    if taken:
        intro += (
            "<p>The figures were counted from the network's records on "
            f"{escape(format_date(taken))}, when the report was submitted to the governing body for "
            "sign-off; each figure says what it counts.</p>"
        )
    else:
        intro += (
            "<p class='muted'>The figures are counted from the network's records when the report is "
            "submitted to the governing body for sign-off.</p>"
        )
    facts = glance(data, obj)
    if facts:
        intro += (
            "<h3>The year at a glance</h3><ul class='glance'>"
            + "".join(f"<li><strong>{escape(str(n))}</strong> {escape(what)}</li>" for n, what in facts)
            + "</ul>"
        )
    parts.append(("about", "About this report", intro))
    for anchor, heading, name in WRITTEN:
        text = _text(obj, name)
        if text:
            parts.append((anchor, heading, text))
    if data:
        figures_html = "".join(
            section_html(section, level=3, links=links) for section in (data.get("sections") or [])
        )
        parts.append(("figures", "What we did in figures", figures_html))
    parts.append(("money", "Money", money_part(obj)))
    people = people_of(data)
    if data:
        parts.append(
            (
                "people",
                "People",
                "<h3>Authorised representatives</h3><p>People authorised to enter and view premises at some "
                "time in the year:</p>"
                + _names(people["representatives"], "No authorisation was in force in the year.")
                + "<h3>People involved in relevant decisions</h3><p>Who recorded the year's relevant "
                "decisions, and the governing body members who signed the records they concern:</p>"
                + _names(people["decision_makers"], "No relevant decision was recorded in the year."),
            )
        )
    plans = _text(obj, "plans")
    if plans:
        parts.append(("plans", "Plans for next year", plans))
    contents = "".join(f"<li><a href='#part-{a}'>{escape(h)}</a></li>" for a, h, _html in parts)
    return (
        f"{STYLE}<div class='links-annual-report'>"
        f"<nav class='contents' aria-labelledby='contents-heading'><h2 id='contents-heading'>Contents</h2>"
        f"<ol>{contents}</ol></nav>"
        + "".join(
            f"<section class='part' id='part-{a}' aria-labelledby='part-{a}-heading'>"
            f"<h2 id='part-{a}-heading'>{escape(h)}</h2>{html}</section>"
            for a, h, html in parts
        )
        + "</div>"
    )


def money_part(obj) -> str:
    """Spending and income by heading, income less expenditure, and the year-end position."""
    spent = money_rows(getattr(obj, "expenditure", None))
    income = money_rows(getattr(obj, "income", None))
    html = money_html(getattr(obj, "expenditure", None), "Spending", "No spending is recorded.", level=3)
    html += money_html(
        getattr(obj, "income", None), "Income", "No income is recorded.", level=3, column="Source"
    )
    if spent or income:
        difference = money.total(income) - money.total(spent)
        words = "more than" if difference > 0 else ("less than" if difference < 0 else "the same as")
        html += (
            "<h3>Income less spending</h3>"
            f"<p>Income was {escape(money.pounds(money.total(income)))} and spending "
            f"{escape(money.pounds(money.total(spent)))}: income was {escape(words)} spending"
            + (f" by {escape(money.pounds(abs(difference)))}" if difference else "")
            + ".</p>"
        )
    position = (getattr(obj, "year_end_position", None) or "").strip()
    if position:
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in position.split("\n\n") if p.strip())
        html += f"<h3>Position at 31 March</h3>{paragraphs.replace(chr(10), '<br>')}"
    return html


def easy_read_html(obj, network: str | None = None) -> str:
    """The easy read summary: short sentences, one idea each, the main numbers, no jargon.

    :param obj: an AnnualReport (its stored figures; nothing is counted again)
    """
    network = network if network is not None else api.portal.get().Title()
    data = snapshot_of(obj)
    start = getattr(obj, "period_start", None) or date.today()
    lines = [
        f"We are {escape(network)}. We help people have a say about health and social care services.",
        f"This is about what we did from April {start.year} to March {start.year + 1}.",
    ]
    if not data:
        lines.append("We will count what we did when the report is finished.")
    else:
        visits = total(data, "visits_by_service")
        lines.append(
            f"We visited {plural(visits, 'place')} like care homes and doctors' surgeries, to see what "
            "they are like for the people who use them."
        )
        lines.append(
            f"We wrote and shared {plural(total(data, 'reports_published'), 'report')} about our visits."
        )
        asked = total(data, "recommendations")
        answered = count_of(data, "provider_responses", in_time)
        lines.append(
            f"We asked services to make {plural(asked, 'change')} to make things better. "
            f"{plural(answered, 'service')} answered us on time."
        )
        complaints = total(data, "complaints")
        upheld = count_of(data, "complaints", lambda label: label in ("Upheld", "Partly upheld"))
        lines.append(
            f"{plural(complaints, 'person', 'people')} told us they were unhappy with us. "
            f"We agreed with {upheld} of them, fully or in part."
        )
        foi = total(data, "foi_outcomes")
        foi_in_time = count_of(data, "foi_deadlines", in_time)
        lines.append(
            f"{plural(foi, 'person', 'people')} asked us for information under the Freedom of Information "
            f"law. We answered {foi_in_time} of them on time."
        )
        lines.append(
            f"We made {plural(total(data, 'decisions'), 'important decision')} and told everyone about "
            f"{'it' if total(data, 'decisions') == 1 else 'them'}."
        )
    spent = money_rows(getattr(obj, "expenditure", None))
    if spent:
        biggest = sorted(spent, key=lambda row: row[1], reverse=True)[:2]
        lines.append(
            f"We spent {escape(money.pounds(money.total(spent)))}. Most of it went on "
            f"{escape(and_join([name.lower() for name, _amount in biggest]))}."
        )
    return "".join(f"<p class='easy-read-line'>{line}</p>" for line in lines)


def figures_json(obj) -> str:
    """The stored figures as indented JSON (for people who want the raw data)."""
    data = snapshot_of(obj)
    return json.dumps(data, indent=2, ensure_ascii=False) if data else ""


def year_title(obj) -> str:
    start = getattr(obj, "period_start", None)
    return f"Annual report {year_words(start)}" if start else "Annual report"


class SignedBody:
    """ISignedRecordBody of an annual report: its signed PDF is laid out as the report (contents, parts,
    tables, charts), from whatever object it is given: the live report or its retrieved signed version."""

    def __init__(self, context):
        self.context = context

    def __call__(self) -> str:
        return body_html(self.context)
