"""The annual report's figures as a spreadsheet, for the council's returns: CSV and OpenDocument (ODS).

Both are made from the figures stored on the report (what was signed), never counted again, and carry the
money by heading too. ODS is written with odfpy, the OpenDocument library pandas uses: an ODS file is a
ZIP whose first member must be an uncompressed ``mimetype``, with a manifest and typed cells, which a
library keeps right where hand-written XML would need its own validation.

Every cell that a spreadsheet would read as a formula (text starting with =, +, -, @, a tab or a carriage
return) is written with a leading apostrophe: headings are typed by people, and a CSV is opened by others.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

from links.content.annual.document import money_rows
from links.content.annual.document import period_words
from links.content.annual.exceptions import FiguresNotTaken
from links.content.periodreport.document import snapshot_of

HEADER = ("Part", "Figure", "Item", "Value")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe(text) -> str:
    """A text cell that no spreadsheet runs as a formula."""
    text = str(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows(obj) -> list[tuple[str, str, str, int | Decimal | str]]:
    """The export's rows: (part, figure, item, value), figures first, then money.

    :raises FiguresNotTaken: before the report was first submitted
    """
    data = snapshot_of(obj)
    if not data:
        raise FiguresNotTaken(
            "This report has no figures yet: they are counted from the records when it is submitted for "
            "sign-off."
        )
    result: list = [("Report", "Financial year", "", period_words(obj))]
    result.append(("Report", "Figures counted on", "", str(data.get("taken_on") or "")))
    for section in data.get("sections") or []:
        label = str(section.get("label", ""))
        for item, number in section.get("breakdown") or []:
            result.append(("Figures", label, str(item), int(number)))
        result.append(("Figures", label, "Total", int(section.get("total") or 0)))
    for part, field in (("Spending", "expenditure"), ("Income", "income")):
        lines = money_rows(getattr(obj, field, None))
        for heading, amount in lines:
            result.append(("Money", part, heading, amount))
        result.append(("Money", part, "Total", sum((a for _h, a in lines), Decimal("0.00"))))
    return result


def csv_bytes(obj) -> bytes:
    """The figures as CSV (UTF-8 with a byte order mark, so spreadsheet programs read the £ right)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for part, figure, item, value in rows(obj):
        shown = f"{value:.2f}" if isinstance(value, Decimal) else value
        writer.writerow(
            [safe(part), safe(figure), safe(item), shown if isinstance(shown, int) else safe(shown)]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def ods_bytes(obj, title: str = "Annual report") -> bytes:
    """The figures as an OpenDocument spreadsheet: one sheet, numbers as numbers, pounds as GBP."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table
    from odf.table import TableCell
    from odf.table import TableRow
    from odf.text import P

    lines = rows(obj)
    document = OpenDocumentSpreadsheet()
    document.meta.addElement(_meta_title(title))
    table = Table(name="Figures")

    def cell(value):
        if isinstance(value, bool) or value is None:
            value = str(value or "")
        if isinstance(value, int):
            node = TableCell(valuetype="float", value=value)
            node.addElement(P(text=str(value)))
        elif isinstance(value, Decimal):
            node = TableCell(valuetype="currency", currency="GBP", value=f"{value:.2f}")
            node.addElement(P(text=f"£{value:,.2f}"))
        elif isinstance(value, date):
            node = TableCell(valuetype="date", datevalue=value.isoformat())
            node.addElement(P(text=value.isoformat()))
        else:
            node = TableCell(valuetype="string")
            node.addElement(P(text=safe(value)))
        return node

    for values in [HEADER, *lines]:
        row = TableRow()
        for value in values:
            row.addElement(cell(value))
        table.addElement(row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _meta_title(title: str):
    from odf.dc import Title

    return Title(text=title)
