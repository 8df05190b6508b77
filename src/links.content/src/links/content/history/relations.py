"""Relations as they were when each version was saved.

plone.app.versioningbehavior's ``SkipRelations`` modifier does not store relations in a version and
puts today's relations back on every retrieved version, so an old version would show where a
relation points *now*. This module keeps, per record and version, the targets of its relation
fields at the time of saving: one OOBTree on the site keyed by ``(uid, version_id)`` (append cost
independent of size; concurrent saves of different records touch different keys).

A snapshot is taken right after the versioning behavior has saved (subscribers registered after
it run after it) and again before commit, so a version saved by any code path gets one. A version
without its own snapshot has the relations of the nearest earlier snapshot: relations only change
by edits, and every edit that changes them is followed by a snapshot.
"""

from __future__ import annotations

import transaction
from Acquisition import aq_base
from BTrees.OOBTree import OOBTree
from plone import api
from plone.dexterity.utils import iterSchemata
from z3c.relationfield.interfaces import IRelationChoice
from z3c.relationfield.interfaces import IRelationList
from zope.schema import getFieldsInOrder

from links.content.annotations import annotated_tree

KEY = "links.content.history.relations"
_PENDING = object()  # key of this module's data on the current transaction


def _store(create: bool = False) -> OOBTree | None:
    return annotated_tree(api.portal.get(), KEY, create)


def relation_fields(obj) -> list[tuple[str, object, object]]:
    """Relation fields of a record: ``(name, field, schema)`` for every RelationChoice/RelationList."""
    result = []
    for schema in iterSchemata(obj):
        for name, field in getFieldsInOrder(schema):
            if IRelationChoice.providedBy(field) or IRelationList.providedBy(field):
                result.append((name, field, schema))
    return result


def describe_target(target) -> dict | None:
    """What a relation pointed to: UID, title, path (None for a broken relation)."""
    if target is None:
        return None
    return {
        "uid": target.UID() if hasattr(target, "UID") else None,
        "title": target.Title() if hasattr(target, "Title") else str(target),
        "path": "/".join(target.getPhysicalPath()),
        "portal_type": getattr(target, "portal_type", None),
    }


def current_relations(obj) -> dict[str, object]:
    """The targets of the record's relation fields now: field name -> target dict, list, or None."""
    result = {}
    for name, field, schema in relation_fields(obj):
        try:
            value = field.get(schema(obj, None) or obj)
        except (AttributeError, TypeError):
            value = None
        if IRelationList.providedBy(field):
            result[name] = [describe_target(getattr(v, "to_object", None)) for v in value or ()]
        else:
            result[name] = describe_target(getattr(value, "to_object", None)) if value is not None else None
    return result


def record(obj) -> bool:
    """Snapshot the record's relations for its latest version, once.

    :param obj: a versioned record
    :returns: True when a snapshot was written
    """
    version_id = getattr(aq_base(obj), "version_id", None)
    if version_id is None or not relation_fields(obj):
        return False
    repository = api.portal.get_tool("portal_repository")
    try:
        if not repository.isUpToDate(obj):
            # Edited after its last version (or the versioning subscriber has not run yet).
            return False
    except Exception:  # not registered in the history storage yet
        return False
    key = (obj.UID(), int(version_id))
    store = _store(create=True)
    if key in store:
        return False
    store[key] = current_relations(obj)
    return True


def relations_at(uid: str, version_id: int) -> dict | None:
    """The relations a record had at one of its versions.

    :param uid: the record's UID
    :param version_id: CMFEditions version id
    :returns: field name -> target(s), or None when no snapshot exists at or before that version
    """
    store = _store()
    if not store:
        return None
    try:
        key = store.maxKey((uid, int(version_id)))
    except ValueError:
        return None
    return store[key] if key[0] == uid else None


def snapshot_of(uid: str, version_id: int) -> dict | None:
    """The relations recorded for exactly this version (None when none were recorded for it).

    Unlike ``relations_at`` this never falls back to an earlier version's snapshot: callers that check a
    hash (signatures) must compare against what that version had, or against nothing.
    """
    store = _store()
    return store.get((uid, int(version_id))) if store else None


def _before_commit(objects: list) -> None:
    for obj in objects:
        try:
            record(obj)
        except Exception:  # a snapshot must never make the user's save fail
            import logging

            logging.getLogger(__name__).warning("No relation snapshot for %r", obj, exc_info=True)


def record_later(obj) -> None:
    """Snapshot at the end of the transaction too (whatever order the subscribers ran in)."""
    txn = transaction.get()
    try:
        pending = txn.data(_PENDING)
    except KeyError:
        pending = []
        txn.set_data(_PENDING, pending)
        txn.addBeforeCommitHook(_before_commit, (pending,))
    if all(o is not obj for o in pending):
        pending.append(obj)


def version_saved(obj, event) -> None:
    """Subscriber (after plone.app.versioningbehavior's): snapshot relations of the new version."""
    if not getattr(obj, "portal_type", None):
        return
    record(obj)
    record_later(obj)
