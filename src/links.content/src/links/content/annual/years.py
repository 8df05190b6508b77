"""Financial years (1 April to 31 March, days in England) and the rule of one annual report per year.

The rule has one gate, ``check_unique``: the schema's invariant calls it (so a form or a REST client gets
a message naming the report already there) and so does the subscriber on every addition or change of
period (so no path, Python included, gets round it). The subscriber also claims the year in a site
annotation keyed by year: two reports for the same year added at the same moment write the same BTree key,
so one of the two transactions conflicts, is retried and then meets the first report.
"""

from __future__ import annotations

from datetime import date

from plone import api
from plone.uuid.interfaces import IUUID

from links.content.annotations import annotated_tree
from links.content.words import format_date
from links.content.words import today as london_today

PORTAL_TYPE = "AnnualReport"
#: Site annotation: start year (int) -> UID of the annual report of that year.
YEARS_KEY = "links.content.annual.years"


class DuplicateAnnualReport(Exception):
    """A second annual report for a financial year that has one. The message names the first."""


def financial_year(day: date) -> tuple[date, date]:
    """The financial year ``day`` falls in: (1 April, 31 March)."""
    first = day.year if day.month >= 4 else day.year - 1
    return date(first, 4, 1), date(first + 1, 3, 31)


def last_complete_year(today: date | None = None) -> tuple[date, date]:
    """The most recent financial year that has ended (as at ``today``, England)."""
    start, _end = financial_year(today or london_today())
    return date(start.year - 1, 4, 1), date(start.year, 3, 31)


def is_financial_year(start: date | None, end: date | None) -> bool:
    return bool(start and end and (start.month, start.day) == (4, 1) and end == date(start.year + 1, 3, 31))


def year_words(start: date) -> str:
    """'2025 to 2026'."""
    return f"{start.year} to {start.year + 1}"


def default_start() -> date:
    return last_complete_year()[0]


def default_end() -> date:
    return last_complete_year()[1]


def default_title() -> str:
    return f"Annual report {year_words(default_start())}"


def report_for_year(start: date, exclude=None):
    """The annual report whose period starts on ``start`` (another than ``exclude``), or None.

    Looked up as the system: the rule holds whoever is asking. Reports are few (one a year).
    """
    catalog = api.portal.get_tool("portal_catalog")
    # A report plone.restapi is still creating has no UID yet (nor a catalog entry).
    skip = IUUID(exclude, None) if exclude is not None else None
    for brain in catalog.unrestrictedSearchResults(portal_type=PORTAL_TYPE):
        if skip == brain.UID:
            continue
        try:
            obj = brain._unrestrictedGetObject()
        except (AttributeError, KeyError):
            continue
        if getattr(obj, "period_start", None) == start:
            return obj
    return None


def duplicate_message(first) -> str:
    """The refusal, naming the first report to those who may see it (its title only to them)."""
    start = first.period_start
    years = f"{format_date(start)} to {format_date(date(start.year + 1, 3, 31))}"
    if api.user.has_permission("View", obj=first):
        return (
            f"There is already an annual report for {years}: “{first.Title()}” ({first.absolute_url()}). "
            "A financial year has one annual report: edit that one instead."
        )
    return f"There is already an annual report for {years}. A financial year has one annual report."


def check_unique(start: date | None, obj=None) -> None:
    """Refuse a second annual report for the financial year starting on ``start``.

    :param start: the period start of the report being added or changed
    :param obj: that report (left out of the search), if it exists yet
    :raises DuplicateAnnualReport: naming the report already there
    """
    if start is None:
        return
    first = report_for_year(start, exclude=obj)
    if first is not None:
        raise DuplicateAnnualReport(duplicate_message(first))


def claim_year(obj) -> None:
    """Record ``obj`` as its year's report (and release the year it held before, if it moved).

    :raises DuplicateAnnualReport: another existing report holds the year
    """
    start = getattr(obj, "period_start", None)
    check_unique(start, obj)
    years = annotated_tree(api.portal.get(), YEARS_KEY, create=True)
    uid = obj.UID()
    for year in [y for y, held in years.items() if held == uid and y != getattr(start, "year", None)]:
        del years[year]
    if start is not None and years.get(start.year) != uid:
        # Two transactions claiming the same year write the same key: ZODB refuses to merge them.
        years[start.year] = uid


def release_year(obj) -> None:
    """A report removed: its year is free again."""
    years = annotated_tree(api.portal.get(), YEARS_KEY)
    if years is None:
        return
    uid = obj.UID()
    for year in [y for y, held in years.items() if held == uid]:
        del years[year]
