"""The clocks dashboard's one catalog query, shared by the page and the REST service.

Records with open clocks are found through the clock_next_due index, sorted on it, filtered by
portal_type and clock_owner; the catalog applies the user's view permission. Per-clock detail comes
from the clock_summary metadata column, so no record is woken up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from plone import api
from plone.batching import Batch

from links.content.clocks.api import reminder_days
from links.content.clocks.storage import STATUS_WORDS
from links.content.words import format_date as short_date
from links.content.words import plural
from links.content.words import today as london_today

BEHAVIOR = "links.content.clocks"
SHOW = ("all", "overdue", "due_soon", "met_late")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


class DashboardInputError(ValueError):
    """A dashboard parameter is not valid; the message says what to fix."""


@dataclass
class DashboardQuery:
    portal_types: tuple[str, ...] = ()
    owner: str = ""
    within: int = 3
    show: str = "all"
    b_start: int = 0
    b_size: int = DEFAULT_PAGE_SIZE

    @classmethod
    def from_request(cls, form) -> DashboardQuery:
        def number(key, default, low, high):
            raw = form.get(key)
            if raw in (None, ""):
                return default
            try:
                value = int(raw)
            except (TypeError, ValueError) as error:
                raise DashboardInputError(f"{key} must be a whole number.") from error
            if not low <= value <= high:
                raise DashboardInputError(f"{key} must be between {low} and {high}.")
            return value

        types = form.get("portal_type") or ()
        if isinstance(types, str):
            types = (types,)
        show = form.get("show") or "all"
        if show not in SHOW:
            raise DashboardInputError(f"show must be one of {', '.join(SHOW)}.")
        return cls(
            portal_types=tuple(t for t in types if t),
            owner=(form.get("owner") or "").strip(),
            within=number("within", reminder_days(), 0, 366),
            show=show,
            b_start=number("b_start", 0, 0, 10**9),
            b_size=number("b_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
        )


def clock_types() -> list[str]:
    """Portal types whose FTI enables the clocks behavior (for the type filter)."""
    return sorted(
        fti.getId()
        for fti in api.portal.get_tool("portal_types").listTypeInfo()
        if BEHAVIOR in (getattr(fti, "behaviors", None) or ())
    )


def clock_owners() -> list[str]:
    """Owners that have records with clocks (the index's unique values, not a scan of records)."""
    return sorted(v for v in api.portal.get_tool("portal_catalog").uniqueValuesFor("clock_owner") if v)


def search(query: DashboardQuery, today: date | None = None):
    """Run the dashboard query.

    :returns: (Batch of row dicts, total count)
    """
    today = today or london_today()
    due = {"query": date(1900, 1, 1), "range": "min"}
    if query.show == "overdue":
        due = {"query": today - timedelta(days=1), "range": "max"}
    elif query.show == "due_soon":
        due = {"query": (today, today + timedelta(days=query.within)), "range": "min:max"}
    catalog_query = {"clock_next_due": due, "sort_on": "clock_next_due", "sort_order": "ascending"}
    if query.show == "met_late":
        # Records with a clock met late may have nothing open: most recently changed first.
        catalog_query = {"clock_status": "met_late", "sort_on": "modified", "sort_order": "descending"}
    if query.portal_types:
        catalog_query["portal_type"] = list(query.portal_types)
    if query.owner:
        catalog_query["clock_owner"] = query.owner
    # sort_limit lets the catalog sort only what the page needs.
    catalog_query["sort_limit"] = query.b_start + query.b_size
    brains = api.portal.get_tool("portal_catalog").searchResults(**catalog_query)
    total = brains.actual_result_count if brains.actual_result_count is not None else len(brains)
    batch = Batch(brains, query.b_size, query.b_start)
    soon = today + timedelta(days=query.within)
    rows = [_row(brain, today, soon) for brain in batch]
    return batch, rows, total


def _row(brain, today: date, soon: date) -> dict:
    clocks = []
    for entry in brain.clock_summary or ():
        # Catalogs indexed before 1.1 hold (name, title, due, state) only.
        name, title, due_iso, state, late, unit = (*entry, 0, "working day")[:6]
        due = date.fromisoformat(due_iso)
        status = "overdue" if state == "running" and due < today else state
        clocks.append(
            {
                "name": name,
                "title": title,
                "due": due_iso,
                "due_text": short_date(due),
                "status": status,
                "status_text": f"Met {plural(late, unit)} late" if late else STATUS_WORDS[status],
                "met_late_days": late if state == "met" else None,
                "due_soon": state == "running" and today <= due <= soon,
            }
        )
    open_ = [c for c in clocks if c["status"] not in ("met", "ended")]
    return {
        "@id": brain.getURL(),
        "title": brain.Title,
        "portal_type": brain.portal_type,
        "owner": brain.clock_owner,
        "next_due": open_[0]["due"] if open_ else None,
        "next_due_text": open_[0]["due_text"] if open_ else "",
        "overdue": any(c["status"] == "overdue" for c in clocks),
        "due_soon": any(c["due_soon"] for c in clocks),
        "met_late": any(c["met_late_days"] for c in clocks),
        "clocks": clocks,
    }
