"""Money by heading, as recorded in a period report: one "Heading: amount" line each, amounts in pounds.

The transitional report's expenditure and the annual report's expenditure and income are written this way.
A text field (one line per heading) works the same in the Classic UI form (a text area) and over REST
(a string with newlines), and a bad line is reported as a field error naming the line.
"""

from __future__ import annotations

import re
from decimal import Decimal
from decimal import InvalidOperation

from zope.schema import ValidationError

from links.content import _

#: "1250", "1,250.00", "£1,250.5", "£ 30" (at most two decimal places, thousands separated by commas)
AMOUNT = re.compile(r"^£?\s*(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?P<pence>\.\d{1,2})?$")
#: The largest amount one heading may hold (a typo guard, not a rule: a LINk's budget is far smaller).
MAXIMUM = Decimal("100000000")


class ExpenditureError(ValidationError):
    """A line of the expenditure headings cannot be read. The message says which line and why."""

    # A ValidationError (not Invalid) so forms show it on the field and plone.restapi answers 400.
    __doc__ = _("Write one heading per line as “Heading: amount”, e.g. “Room hire: 1,250.00”.")

    def doc(self):
        return self.args[0] if self.args else self.__doc__


def parse_amount(text: str) -> Decimal:
    """Pounds as a Decimal with two places.

    :param text: e.g. "1,250.00", "£30", "30.5"
    :returns: the amount, quantized to pence
    :raises ValueError: when it is not an amount in pounds
    """
    match = AMOUNT.match(text.strip())
    if match is None:
        raise ValueError(text)
    try:
        amount = Decimal(match.group("number").replace(",", "") + (match.group("pence") or ""))
    except InvalidOperation as error:
        raise ValueError(text) from error
    if amount > MAXIMUM:
        raise ValueError(text)
    return amount.quantize(Decimal("0.01"))


def parse(text: str | None) -> list[tuple[str, Decimal]]:
    """The headings of the text, in order.

    :param text: one "Heading: amount" per line; blank lines are ignored
    :returns: list of ``(heading, amount)``
    :raises ExpenditureError: naming the first line that is not "Heading: amount" with an amount in pounds,
        or a heading given twice
    """
    rows: list[tuple[str, Decimal]] = []
    seen: set[str] = set()
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        heading, colon, amount = line.rpartition(":")
        heading = heading.strip()
        if not colon or not heading:
            raise ExpenditureError(
                f"Line {number} (“{line.strip()}”): write the heading, a colon and the amount, "
                "e.g. “Room hire: 1,250.00”."
            )
        try:
            value = parse_amount(amount)
        except ValueError:
            raise ExpenditureError(
                f"Line {number} (“{line.strip()}”): “{amount.strip()}” is not an amount in pounds. "
                "Write digits with at most two decimal places, e.g. “1,250.00” or “£30”."
            ) from None
        if heading.casefold() in seen:
            raise ExpenditureError(
                f"Line {number}: the heading “{heading}” is given twice. Add the amounts up."
            )
        seen.add(heading.casefold())
        rows.append((heading, value))
    return rows


def valid(text: str | None) -> bool:
    """Field constraint of ``expenditure``: every line parses (see ``parse``)."""
    parse(text)
    return True


def total(rows: list[tuple[str, Decimal]]) -> Decimal:
    """Sum of the amounts (0.00 when there are none)."""
    return sum((amount for _heading, amount in rows), Decimal("0.00"))


def pounds(amount: Decimal) -> str:
    """An amount as people read it: "£1,250.00" ("−£80.00" below zero)."""
    return f"−£{-amount:,.2f}" if amount < 0 else f"£{amount:,.2f}"
