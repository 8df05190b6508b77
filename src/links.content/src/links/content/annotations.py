"""Stores kept in annotations: a BTree created on first write, and yearly reference counters.

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
    """Allocate the next number (1, 2, ...) of ``year`` under ``key`` in the site's counters.

    Call it in the transaction that creates the record the number is for. The counter of a year is a
    plain integer value in an OOBTree, and BTrees refuse to merge two concurrent changes to the same
    key: when two transactions allocate at the same time, the second to commit gets a ConflictError and
    Zope retries its request, which then reads the first one's number. So no two committed records share
    a number, and a number is used up only when its record is committed (no gaps unless a record is
    deleted). (A ``BTrees.Length`` here, as before 1.1, resolves the conflict by adding the increments,
    after both transactions have read the same value: two cases got the same reference.)

    :param key: the counters' annotation key (one per kind of reference)
    :param year: the year the numbers belong to
    :returns: the number allocated
    """
    counters = annotated_tree(api.portal.get(), key, create=True)
    value = counters.get(year, 0)
    if isinstance(value, Length):  # a counter of a site not yet upgraded (profile 1003)
        value = value()
    counters[year] = value + 1
    return value + 1
