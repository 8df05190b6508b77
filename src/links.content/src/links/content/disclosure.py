"""Disclosure: which fields of a record a user may read, the one rule every channel asks.

A field is disclosed on any channel (live GET, ``@history/<n>``, ``@compare``, ``@as-of`` and their
pages, the FOI search, redaction lookup and bundle, PDFs, reminder e-mails) only to a user who holds View
on the record **and** the field's ``read_permission`` (plone.autoform, on the schema or a behavior) *in the
record's current state*. Old versions are judged by the live record: CMFEditions keeps each version's
role mappings as they were then, so checking the retrieved copy would answer with yesterday's rules.

Free text that may carry personal data and is not a field (transition and version comments, clock pause
and extension reasons) follows the same rule through ``may_read_free_text``: it is shown only to users who
may read every read-protected field of the record; others learn that it exists, who wrote it and when.

Channels never serialize fields themselves: they call ``version_fields``/``compare``/``as_of`` here, or
``filter_fields`` on a field map they built for another reason. Reading a confidential record through any
of them is noted with ``note_read`` and written to the read-audit files once the response has gone out
(``links.content.audit.subscribers.publication_succeeded``).
"""

from __future__ import annotations

from contextlib import contextmanager

from AccessControl import Unauthorized
from AccessControl import getSecurityManager
from plone import api
from plone.autoform.interfaces import READ_PERMISSIONS_KEY
from plone.dexterity.utils import iterSchemata
from plone.dexterity.utils import iterSchemataForType
from plone.supermodel.utils import mergedTaggedValueDict
from zope.component import queryUtility
from zope.globalrequest import getRequest
from zope.schema import getFieldNamesInOrder
from zope.security.interfaces import IPermission

from links.content.history import api as history
from links.content.interfaces import IConfidentialRecord

VIEW = "View"
ACCESS_PREVIOUS_VERSIONS = "CMFEditions: Access previous versions"
#: Request annotation holding the confidential records read while answering the request.
READS_KEY = "links.content.disclosure.reads"
#: What a reader without the right sees instead of a comment or reason.
WITHHELD = None
#: Keys of audit entry details that hold free text (transition comments, clock and signature reasons).
FREE_TEXT_KEYS = ("comment", "comments", "reason")


def field_read_permissions(obj) -> dict[str, str | None]:
    """Fields of the record's type that carry a ``read_permission``, across its schema and behaviors.

    :param obj: a record (or a version of one)
    :returns: field name -> permission title (None when the permission id is not registered: nobody reads
        that field)
    """
    result: dict[str, str | None] = {}
    for schema in iterSchemata(obj):
        for name, permission_id in mergedTaggedValueDict(schema, READ_PERMISSIONS_KEY).items():
            if name in result:
                continue
            permission = queryUtility(IPermission, name=permission_id)
            result[name] = permission.title if permission is not None else None
    return result


def field_names(obj) -> list[str]:
    """Every schema field name of the record's type (main schema first, then behaviors)."""
    names: list[str] = []
    for schema in iterSchemata(obj):
        names.extend(n for n in getFieldNamesInOrder(schema) if n not in names)
    return names


@contextmanager
def _as(user):
    if user is None:
        yield
    else:
        with api.env.adopt_user(user=user):
            yield


def _check(permission: str | None, obj) -> bool:
    return permission is not None and bool(getSecurityManager().checkPermission(permission, obj))


def may_view(obj, user=None) -> bool:
    """Whether the user (default: the current one) holds View on the record."""
    with _as(user):
        return _check(VIEW, obj)


def may_read_versions(obj, user=None) -> bool:
    """Whether the user may read the record's earlier versions: View and "Access previous versions",
    which every links workflow grants per state (never more widely than View)."""
    with _as(user):
        return _check(VIEW, obj) and _check(ACCESS_PREVIOUS_VERSIONS, obj)


def readable_fields(obj, user=None) -> frozenset[str]:
    """Names of the record's fields the user may read now (empty without View).

    :param obj: the live record
    :param user: a user object (default: the current user)
    """
    with _as(user):
        if not _check(VIEW, obj):
            return frozenset()
        protected = field_read_permissions(obj)
        return frozenset(
            name for name in field_names(obj) if name not in protected or _check(protected[name], obj)
        )


def may_read_field(obj, name: str, user=None) -> bool:
    """Whether the user may read one field of the record (View and the field's read permission)."""
    return name in readable_fields(obj, user)


def may_read_free_text(obj, user=None) -> bool:
    """Whether the user may read the record's free text (comments, reasons): View and every read-protected
    field of the record. A record without read-protected fields keeps its free text for whoever may view it.
    """
    with _as(user):
        if not _check(VIEW, obj):
            return False
        return all(_check(permission, obj) for permission in field_read_permissions(obj).values())


def require_view(obj) -> None:
    """Refuse (401/403 through Zope's Unauthorized) a user without View on the record."""
    if not may_view(obj):
        raise Unauthorized(f"You may not view {obj.getId()!r}.")


def filter_fields(obj, field_map: dict, user=None) -> dict:
    """The entries of a field map (name -> anything) the user may read on the record, in their order."""
    allowed = readable_fields(obj, user)
    return {name: value for name, value in field_map.items() if name in allowed}


def free_text(obj, text, user=None, allowed: bool | None = None):
    """A comment or reason as the user may see it: the text, or ``WITHHELD`` (None) when they may not read
    the record's personal fields. ``allowed`` passes an answer already worked out for a list of texts."""
    if not text:
        return text
    if allowed is None:
        allowed = may_read_free_text(obj, user)
    return text if allowed else WITHHELD


def _record(uid: str):
    brains = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(UID=uid)
    return brains[0]._unrestrictedGetObject() if brains else None


def withhold_free_text(entries: list[dict]) -> list[dict]:
    """Audit entries as the current user may see them: on a record whose free text they may not read, the
    transition comment or clock reason (``FREE_TEXT_KEYS`` of ``details``) is None and ``details.withheld``
    names what was withheld; the action, actor, time and every other fact stay. The stored, hash-chained
    entries are not touched (this is the display). Entries of deleted records keep their text withheld.

    :param entries: entries as ``links.content.audit.api.entries`` returns them (changed in place)
    :returns: the same list
    """
    allowed: dict[str, bool] = {}
    for entry in entries:
        details = entry.get("details") or {}
        keys = [key for key in FREE_TEXT_KEYS if details.get(key)]
        uid = entry.get("uid")
        if not keys or not uid:
            continue
        if uid not in allowed:
            record = _record(uid)
            allowed[uid] = record is not None and may_read_free_text(record)
        if not allowed[uid]:
            entry["details"] = _withheld(details, keys)
    return entries


def _withheld(details: dict, keys: list[str]) -> dict:
    return {**details, **dict.fromkeys(keys, WITHHELD), "withheld": keys}


def protected_types() -> frozenset[str]:
    """Portal types whose schema or behaviors have a field with a read permission."""
    found = set()
    for fti in api.portal.get_tool("portal_types").listTypeInfo():
        try:
            schemata = list(iterSchemataForType(fti.getId()))
        except Exception:  # not a Dexterity type
            continue
        if any(mergedTaggedValueDict(schema, READ_PERMISSIONS_KEY) for schema in schemata):
            found.add(fti.getId())
    return frozenset(found)


def free_text_filter():
    """``withhold_free_text`` for a stream of entries read after the request (``@audit-export``): worked out
    now, in the user's security context, for every record of a type with read-protected fields. Entries of
    such records that no longer exist keep their text withheld; Managers get every entry as stored.

    :returns: a function taking an entry and returning it as the user may see it
    """
    if _check("Manage portal", api.portal.get()):
        return lambda entry: entry
    types = protected_types()
    brains = api.portal.get_tool("portal_catalog").unrestrictedSearchResults(portal_type=sorted(types))
    allowed = {brain.UID for brain in brains if may_read_free_text(brain._unrestrictedGetObject())}

    def apply(entry: dict) -> dict:
        details = entry.get("details") or {}
        keys = [key for key in FREE_TEXT_KEYS if details.get(key)]
        if keys and entry.get("portal_type") in types and entry.get("uid") not in allowed:
            entry["details"] = _withheld(details, keys)
        return entry

    return apply


def note_read(obj, channel: str) -> None:
    """Remember that the current request read a confidential record (audited after publication)."""
    if not IConfidentialRecord.providedBy(obj):
        return
    request = getRequest()
    if request is None:
        return
    reads = request.other.setdefault(READS_KEY, {}) if hasattr(request, "other") else None
    if reads is not None:
        reads.setdefault(obj.UID(), (obj, channel))


def noted_reads(request) -> list[tuple[object, str]]:
    """The confidential records the request read through a gated channel: ``[(record, channel)]``."""
    other = getattr(request, "other", None) or {}
    return list((other.get(READS_KEY) or {}).values())


def version_fields(obj, version_id: int | None = None, channel: str = "version") -> dict[str, dict]:
    """The fields of a version (or of the working copy) the current user may read.

    :param obj: the live record
    :param version_id: a version id, or None for the working copy
    :param channel: what asks (for the read audit)
    :returns: field name -> ``{"title", "value"}`` (as ``history.api.fields``), unreadable fields left out
    :raises Unauthorized: without View on the record, or for a version without "Access previous versions"
    :raises NoSuchVersion: when the version does not exist
    """
    require_view(obj)
    if version_id is not None and not may_read_versions(obj):
        raise Unauthorized(f"You may not read earlier versions of {obj.getId()!r}.")
    result = filter_fields(obj, history.fields(obj, version_id))
    note_read(obj, channel)
    return result


def versions(obj) -> list[dict]:
    """The record's versions (``history.api.versions``) with comments withheld from users who may not read
    the record's free text.

    :raises Unauthorized: without View on the record
    """
    require_view(obj)
    allowed = may_read_free_text(obj)
    return [{**v, "comment": free_text(obj, v["comment"], allowed=allowed)} for v in history.versions(obj)]


def compare(obj, from_id: int, to_id: int) -> dict:
    """``history.api.compare`` restricted to the fields the current user may read (see ``compare``'s
    return value there); version comments follow ``may_read_free_text``."""
    require_view(obj)
    result = history.compare(obj, from_id, to_id)
    allowed = readable_fields(obj)
    rows = [row for row in result["fields"] if row["field"] in allowed]
    free = may_read_free_text(obj)
    note_read(obj, "compare")
    return {
        "from": {**result["from"], "comment": free_text(obj, result["from"]["comment"], allowed=free)},
        "to": {**result["to"], "comment": free_text(obj, result["to"]["comment"], allowed=free)},
        "fields": rows,
        "changed": [row["field"] for row in rows if row["changed"]],
    }


def as_of(obj, moment) -> dict:
    """``history.api.as_of`` restricted to the fields the current user may read."""
    require_view(obj)
    version = history.version_at(obj, moment)
    version = {**version, "comment": free_text(obj, version["comment"])}
    return {"version": version, "fields": version_fields(obj, version["version_id"], channel="as-of")}
