"""Catalog indexers for the dashboard: one sorted query on clock_next_due, never a scan of records."""

from plone.indexer import indexer

from links.content.clocks import api
from links.content.clocks.behaviors import IHasStatutoryClocks
from links.content.words import today as london_today


def _open(obj):
    return [c for c in api.clocks(obj) if c.is_open]


@indexer(IHasStatutoryClocks)
def clock_next_due(obj):
    """Earliest due date of the running or paused clocks (None: nothing open, so not in the index)."""
    dues = [c.due for c in _open(obj)]
    return min(dues) if dues else None


@indexer(IHasStatutoryClocks)
def clock_names(obj):
    """Names of the open clocks."""
    return [c.name for c in _open(obj)]


@indexer(IHasStatutoryClocks)
def clock_status(obj):
    """Statuses of all clocks as at indexing time ("overdue" goes stale: the dashboard compares dates),
    plus "met_late" when a clock was met after its due date (the dashboard's "met late" filter)."""
    today = london_today()
    statuses = {c.status(today) for c in api.clocks(obj)}
    if any(c.met_late_days for c in api.clocks(obj)):
        statuses.add("met_late")
    return sorted(statuses)


@indexer(IHasStatutoryClocks)
def clock_owner(obj):
    """The user responsible for the record: its ``responsible`` attribute if set, else its creator."""
    responsible = getattr(obj, "responsible", None)
    if responsible:
        return responsible
    # Dexterity 4 has listCreators() (the old Creators() alias is gone).
    list_creators = getattr(obj, "listCreators", None)
    creators = list_creators() if list_creators is not None else ()
    return creators[0] if creators else None


@indexer(IHasStatutoryClocks)
def clock_summary(obj):
    """Dashboard metadata: ((name, title, due ISO, state, working/calendar days late, unit), ...) of the
    open clocks, earliest due first, then the clocks met late."""
    listed = sorted(_open(obj), key=lambda c: c.due)
    listed += [c for c in api.clocks(obj) if c.met_late_days]
    return tuple(
        (c.name, c.rule.title or c.name, c.due.isoformat(), c.state, c.met_late_days or 0, c.late_unit)
        for c in listed
    )
