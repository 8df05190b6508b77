"""Version history of records (CMFEditions), as the audit and FOI features need it.

Versions are identified by CMFEditions' ``version_id`` (0 for the first save). Versions are never
purged (``portal_purgepolicy`` keeps all), so a version id, once given, always answers the same.
Relation fields are answered from ``relations.py``'s snapshots, not from CMFEditions (which shows
today's relations on old versions); files and images come from the version itself (the
``CloneNamedFileBlobs`` modifier keeps the old blob).
"""

from __future__ import annotations

import re
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from Acquisition import aq_base
from plone import api
from zope.event import notify

from links.content.audit.witness import witness_later
from links.content.canonical import encode_value
from links.content.canonical import field_values
from links.content.events import RecordEvent
from links.content.history import relations
from links.content.history.exceptions import NoSuchVersion
from links.content.history.exceptions import NotVersioned
from links.content.history.exceptions import NotYetCreated
from links.content.words import LONDON
from links.content.words import format_date
from links.content.words import format_datetime
from links.content.words import fullname
from links.content.words import today
from links.content.words import type_title
from links.content.words import utcnow
from links.content.words import version_number

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class VersionReverted(RecordEvent):
    """A record was reverted to an earlier version (and the result saved as a new version)."""

    action = "version.reverted"


def _repository():
    return api.portal.get_tool("portal_repository")


def is_versioned(obj) -> bool:
    """Whether the record's type is versioned and at least one version was saved."""
    repository = _repository()
    return bool(repository.isVersionable(obj)) and len(_history(obj)) > 0


def _history(obj) -> list[dict]:
    """Raw CMFEditions history entries, oldest first: ``{"version_id", "sys_metadata"}``."""
    repository = _repository()
    history = repository.getHistoryMetadata(obj)
    if not history:
        return []
    entries = []
    for position in range(history.getLength(countPurged=False)):
        entry = history.retrieve(position, countPurged=False)
        if entry is None:
            continue
        version_id = history.getVersionId(position, countPurged=False)
        entries.append({"version_id": int(version_id), "sys_metadata": entry["metadata"]["sys_metadata"]})
    return entries


def _describe(entry: dict) -> dict:
    meta = entry["sys_metadata"]
    return {
        "version_id": entry["version_id"],
        "author": meta.get("principal"),
        "author_name": fullname(meta.get("principal")) or None,
        "time": datetime.fromtimestamp(meta["timestamp"], tz=UTC),
        "comment": meta.get("comment") or "",
        "review_state": meta.get("review_state"),
    }


def versions(obj) -> list[dict]:
    """Every saved version of a record, oldest first.

    :param obj: a versioned record
    :returns: list of ``{"version_id", "author", "author_name", "time" (aware UTC), "comment",
        "review_state"}``
    :raises NotVersioned: when the record has no versions
    """
    entries = _history(obj)
    if not entries:
        kind = type_title(obj.portal_type)
        raise NotVersioned(f"“{obj.Title() or obj.getId()}” ({kind}) has no saved versions.")
    return [_describe(e) for e in entries]


def latest_version_id(obj) -> int | None:
    """The id of the record's latest saved version (None when there is none)."""
    entries = _history(obj)
    return entries[-1]["version_id"] if entries else None


def get_version(obj, version_id: int):
    """The record as saved in one version (a detached copy: changing it changes nothing).

    :param obj: the record
    :param version_id: CMFEditions version id
    :returns: the versioned object
    :raises NoSuchVersion: when the record has no such version
    """
    ids = {e["version_id"] for e in _history(obj)}
    if int(version_id) not in ids:
        raise NoSuchVersion(
            f"Version {version_id} of {obj.getId()!r} does not exist (versions: {sorted(ids)})."
        )
    return _repository().retrieve(obj, int(version_id)).object


def fields(obj, version_id: int | None = None) -> dict[str, dict]:
    """The record's fields, current or as saved in a version, JSON-ready.

    Values are encoded as for signatures (``links.content.canonical.encode_value``: rich text raw, dates
    ISO, files ``{filename, content_type, sha256}``); relations are ``{uid, title, path,
    portal_type}`` of their target *as it was when the version was saved*.

    :param obj: the record
    :param version_id: a version id, or None for the working copy
    :returns: field name -> ``{"title", "value"}``, in form order
    :raises NoSuchVersion: when the version does not exist
    """
    source = obj if version_id is None else get_version(obj, version_id)
    result = {
        name: {"title": title, "value": encode_value(value)} for name, value, title in field_values(source)
    }
    snapshot = (
        relations.current_relations(obj)
        if version_id is None
        else relations.relations_at(obj.UID(), version_id)
    )
    for name, targets in (snapshot or {}).items():
        if name in result:
            result[name]["value"] = targets
    return result


def compare(obj, from_id: int, to_id: int) -> dict:
    """Compare two versions field by field.

    :param obj: the record
    :param from_id: the older version id
    :param to_id: the newer version id
    :returns: ``{"from": <version>, "to": <version>, "fields": [{"field", "title", "from", "to",
        "changed"}], "changed": [names]}``
    :raises NoSuchVersion: when either version does not exist
    """
    by_id = {v["version_id"]: v for v in versions(obj)}
    for vid in (from_id, to_id):
        if vid not in by_id:
            raise NoSuchVersion(f"Version {vid} does not exist (versions: {sorted(by_id)}).")
    before, after = fields(obj, from_id), fields(obj, to_id)
    rows = []
    for name in list(dict.fromkeys([*before, *after])):
        old = before.get(name, {}).get("value")
        new = after.get(name, {}).get("value")
        title = (after.get(name) or before.get(name))["title"]
        rows.append({"field": name, "title": title, "from": old, "to": new, "changed": old != new})
    return {
        "from": by_id[from_id],
        "to": by_id[to_id],
        "fields": rows,
        "changed": [r["field"] for r in rows if r["changed"]],
    }


def parse_moment(text: str) -> datetime:
    """Parse an "as of" moment.

    A date (``2026-05-01``) means the end of that day in Europe/London ("as it stood on 1 May");
    a date and time needs a UTC offset (``2026-05-01T09:30:00+01:00``).

    :param text: ISO 8601 date or aware date-time
    :returns: an aware datetime
    :raises ValueError: with a message saying what to send (also for a moment in the future: nobody
        knows yet how the record will stand then, and the latest version would be shown as if it did)
    """
    if not isinstance(text, str | None):
        raise ValueError("Give 'date' once, as a date like 2026-05-01.")
    text = (text or "").strip()
    if _DATE.match(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'date' {text!r} is not a real date (use YYYY-MM-DD).") from None
        if day > today():
            raise ValueError(_future(day))
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON) - timedelta(microseconds=1)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise ValueError(
            f"'date' must be a date like 2026-05-01 or a date and time with a UTC offset like "
            f"2026-05-01T09:30:00+01:00, not {text!r}."
        )
    if moment > utcnow():
        raise ValueError(_future(moment))
    return moment


def _future(when) -> str:
    shown = format_datetime(when) if isinstance(when, datetime) else format_date(when)
    return f"{shown} is in the future: choose today or an earlier date."


def version_at(obj, moment: datetime) -> dict:
    """The version that was current at a moment (the last one saved at or before it).

    :param obj: the record
    :param moment: an aware datetime (see ``parse_moment``)
    :returns: the version description (as in ``versions``)
    :raises NotYetCreated: when no version had been saved by then
    :raises NotVersioned: when the record has no versions at all
    """
    current = None
    for version in versions(obj):
        if version["time"] <= moment:
            current = version
        else:
            break
    if current is None:
        raise NotYetCreated(f"“{obj.Title() or obj.getId()}” did not exist yet on {format_datetime(moment)}.")
    return current


def as_of(obj, moment: datetime) -> dict:
    """The record as it stood at a moment.

    :param obj: the record
    :param moment: an aware datetime
    :returns: ``{"version": <version>, "fields": <fields>}``
    :raises NotYetCreated: when the record did not exist then
    """
    version = version_at(obj, moment)
    return {"version": version, "fields": fields(obj, version["version_id"])}


def save(obj, comment: str) -> int:
    """Save the record's current state as a new version.

    :param obj: the record
    :param comment: the change note
    :returns: the new version id
    """
    _repository().save(obj, comment=comment)
    relations.record(obj)
    witness_later(obj)
    return int(aq_base(obj).version_id)


def _restore_relations(obj, version_id: int) -> None:
    """Put back the relation targets a version had (CMFEditions keeps today's)."""
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    snapshot = relations.relations_at(obj.UID(), version_id)
    if snapshot is None:
        return
    intids = getUtility(IIntIds)

    def value_for(target):
        found = api.content.get(UID=target["uid"]) if target and target.get("uid") else None
        return RelationValue(intids.getId(found)) if found is not None else None

    for name, field, schema in relations.relation_fields(obj):
        if name not in snapshot:
            continue
        old = snapshot[name]
        adapted = schema(obj, None) or obj
        if isinstance(old, list):
            field.set(adapted, [v for v in (value_for(t) for t in old) if v is not None])
        else:
            field.set(adapted, value_for(old))


def revert(obj, version_id: int, actor: str | None = None) -> int:
    """Revert the record to an earlier version, saving the result as a new version.

    History stays append-only: the versions in between are kept and the revert itself is a version
    ("Reverted to version N").

    :param obj: the record
    :param version_id: the version to go back to
    :param actor: who reverts (for the domain event)
    :returns: the id of the new version
    :raises NoSuchVersion: when the version does not exist
    """
    get_version(obj, version_id)  # raises NoSuchVersion
    repository = _repository()
    repository.revert(obj, int(version_id))
    _restore_relations(obj, int(version_id))
    obj.reindexObject()
    new_id = save(obj, comment=f"Reverted to version {version_number(version_id)}")
    notify(VersionReverted(obj, details={"to_version": int(version_id), "new_version": new_id}, actor=actor))
    return new_id


def to_json(version: dict) -> dict:
    """A version description with its time as ISO 8601 (for REST answers)."""
    return {**version, "time": version["time"].isoformat()}
