"""Stores kept in annotations: a BTree created on first write, and conflict-free yearly counters.

Several areas keep their own store in an object's (or the site's) annotations; creating it only when
something is written keeps read-only requests from writing to the ZODB.
"""

from BTrees.Length import Length
from BTrees.OOBTree import OOBTree
from plone import api
from zope.annotation.interfaces import IAnnotations


def annotated_tree(obj, key: str, create: bool = False) -> OOBTree | None:
    """The OOBTree stored under ``key`` in ``obj``'s annotations (None if missing and not ``create``)."""
    annotations = IAnnotations(obj)
    tree = annotations.get(key)
    if tree is None and create:
        tree = annotations[key] = OOBTree()
    return tree


def next_in_year(key: str, year: int) -> int:
    """The next number (1, 2, ...) of ``year`` in the site's counters under ``key``.

    Each year's counter is a ``BTrees.Length``: two transactions incrementing it at once are resolved
    instead of raising a ConflictError, so two officers logging cases together both get a number.
    """
    counters = annotated_tree(api.portal.get(), key, create=True)
    counter = counters.get(year)
    if counter is None:
        counter = counters[year] = Length(0)
    counter.change(1)
    return counter()
