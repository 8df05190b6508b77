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
    """Statuses of all clocks as at indexing time ("overdue" goes stale: the dashboard compares dates)."""
    today = london_today()
    return sorted({c.status(today) for c in api.clocks(obj)})


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
    """Dashboard metadata: ((name, title, due ISO, state), ...) of the open clocks, earliest due first."""
    return tuple(
        (c.name, c.rule.title or c.name, c.due.isoformat(), c.state)
        for c in sorted(_open(obj), key=lambda c: c.due)
    )
