"""What the archive holds about each record, the site root, the principals and the registry.

``item_data`` and ``apply_item`` are inverses: exporting a record, importing it into another site and
exporting it again gives byte-identical JSON, which is what ``verify`` checks. Field values go through
``encoding`` (lossless, canonical); versions are CMFEditions versions in order with their metadata.
"""

import contextlib
import threading

from Acquisition import aq_base
from plone import api
from plone.dexterity.interfaces import IDexterityContent
from plone.dexterity.utils import iterSchemata
from zope.annotation.interfaces import IAnnotations
from zope.schema import ValidationError
from zope.schema import getFieldsInOrder

from links.policy.handover import versions
from links.policy.handover.encoding import Decoder
from links.policy.handover.encoding import Encoder
from links.policy.handover.exceptions import ArchiveRefused

#: Annotation keys that are never exported as plain annotations: the audit trail (exported through its
#: own API, as a verifiable chain) and the handover's own import state.
SKIPPED_ANNOTATIONS = ("links.content.audit", "links.policy.handover")
ANNOTATION_PREFIX = "links."
#: Schemata whose fields are not stored state (the id is the item's id; the change note is a form value).
SKIPPED_SCHEMATA = (
    "plone.app.versioningbehavior.behaviors.IVersionable",
    "plone.app.dexterity.behaviors.id.IShortName",
)
#: Stored Dublin Core dates (the behaviour's fields round them).
DC_DATES = ("effective_date", "expiration_date")
#: Member properties that describe sessions, not the person.
SKIPPED_MEMBER_PROPERTIES = ("login_time", "last_login_time", "portrait")


def relative_path(obj, site) -> str:
    """Path of ``obj`` below the site, e.g. "reports/visit-1" ("" for the site root)."""
    site_path = site.getPhysicalPath()
    return "/".join(obj.getPhysicalPath()[len(site_path) :])


def walk(container):
    """Every Dexterity item below ``container``, parents before children, in folder order (a generator)."""
    for obj in container.objectValues():
        if not IDexterityContent.providedBy(obj):
            continue
        yield obj
        if getattr(aq_base(obj), "isPrincipiaFolderish", False):
            yield from walk(obj)


_local = threading.local()


@contextlib.contextmanager
def same_schemata():
    """Within this block (one export, import or comparison), work out each type's stored fields once.

    The schemata of a record are its type's (schema and behaviors from the FTI), so every record and every
    version of one type has the same fields; outside this block they are worked out on every call.
    """
    outer = getattr(_local, "entries", None)
    _local.entries = {}
    try:
        yield
    finally:
        _local.entries = outer


def _field_entries(obj) -> list:
    cache = getattr(_local, "entries", None)
    if cache is None:
        return _find_field_entries(obj)
    portal_type = getattr(aq_base(obj), "portal_type", None)
    entries = cache.get(portal_type)
    if entries is None:
        entries = cache[portal_type] = _find_field_entries(obj)
    return entries


def _find_field_entries(obj) -> list:
    """(key, schema, field) for every stored field of ``obj``; keys are field names, prefixed with the
    schema's dotted name only when two schemata use the same name."""
    entries = []
    seen = set()
    for schema in iterSchemata(obj):
        if schema.__identifier__ in SKIPPED_SCHEMATA:
            continue
        for name, field in getFieldsInOrder(schema):
            if field.readonly:
                continue
            key = name if name not in seen else f"{schema.__identifier__}.{name}"
            seen.add(key)
            entries.append((key, schema, field))
    return entries


def field_values(obj, encoder: Encoder) -> dict:
    values = {}
    for key, schema, field in _field_entries(obj):
        adapted = schema(obj, None)
        if adapted is None:
            continue
        try:
            value = field.get(adapted)
        except AttributeError:
            continue
        values[key] = encoder.encode(value)
    return values


def set_field_values(
    obj, values: dict, decoder: Decoder, only_relations: bool = False, where: str = "/fields"
) -> None:
    for key, schema, field in _field_entries(obj):
        if key not in values:
            continue
        encoded = values[key]
        if only_relations and not has_relations(encoded):
            continue
        adapted = schema(obj, None)
        if adapted is not None:
            _set(obj, adapted, field, decoder.decode(encoded, f"{where}/{key}"))


def _set(obj, adapted, field, value) -> None:
    """Set a field as stored in the source, even where today's vocabulary or constraints would refuse it
    (a handover restores records as they were, it does not re-validate history)."""
    try:
        field.set(adapted, value)
        return
    except (ValidationError, ValueError):
        pass
    descriptor = type(adapted).__dict__.get(field.__name__)
    if adapted is obj or descriptor is None:
        setattr(aq_base(obj), field.__name__, value)
    elif getattr(descriptor, "_set_name", None):
        getattr(obj, descriptor._set_name)(value)
    else:
        setattr(aq_base(obj), getattr(descriptor, "_get_name", field.__name__), value)


def has_relations(value) -> bool:
    """Whether an encoded value holds a relation anywhere (a ``{"@relation": uid}`` object)."""
    if isinstance(value, dict):
        return "@relation" in value or any(has_relations(v) for v in value.values())
    if isinstance(value, list):
        return any(has_relations(v) for v in value)
    return False


def annotations_data(obj, encoder: Encoder) -> dict:
    annotations = IAnnotations(obj, None)
    if annotations is None:
        return {}
    return {
        key: encoder.encode(annotations[key])
        for key in sorted(k for k in list(annotations) if isinstance(k, str))
        if key.startswith(ANNOTATION_PREFIX) and key not in SKIPPED_ANNOTATIONS
    }


def set_annotations(obj, data: dict, decoder: Decoder) -> None:
    annotations = IAnnotations(obj)
    for key in [k for k in list(annotations) if isinstance(k, str)]:
        if key.startswith(ANNOTATION_PREFIX) and key not in SKIPPED_ANNOTATIONS and key not in data:
            del annotations[key]  # added by a subscriber on creation; the source did not have it
    for key, value in data.items():
        if not isinstance(key, str) or not key.startswith(ANNOTATION_PREFIX) or key in SKIPPED_ANNOTATIONS:
            raise ArchiveRefused(
                [f"{decoder.item} names the annotation {str(key)[:80]!r}, which it may not set"]
            )
        annotations[key] = decoder.decode(value, f"/annotations/{key}")


def _owner(obj) -> str | None:
    owner = getattr(aq_base(obj), "_owner", None)
    return owner[1] if isinstance(owner, tuple) and len(owner) == 2 else None


def _local_roles(obj) -> dict:
    roles = getattr(aq_base(obj), "__ac_local_roles__", None) or {}
    return {principal: sorted(value) for principal, value in sorted(roles.items()) if value}


def security_data(obj, encoder: Encoder) -> dict:
    history = getattr(aq_base(obj), "workflow_history", None)
    return {
        "owner": _owner(obj),
        "local_roles": _local_roles(obj),
        "local_roles_block": bool(getattr(aq_base(obj), "__ac_local_roles_block__", False)),
        "workflow_history": encoder.encode(dict(history)) if history else {},
        "review_state": api.content.get_state(obj, default=None),
    }


def versions_data(obj, encoder: Encoder) -> list:
    """Every CMFEditions version of ``obj``, oldest first, with author, date and comment."""
    entries = versions.history_entries(obj)
    with versions.same_modifiers():
        retrieved = versions.retrieve_many(obj, [entry["version_id"] for entry in entries])
        for entry, version in zip(entries, retrieved, strict=True):
            entry["fields"] = field_values(version, encoder)
    return entries


def item_data(obj, site, encoder: Encoder) -> dict:
    """Everything the archive keeps about one record (see FORMAT.md, ``items/<uid>.json``)."""
    base = aq_base(obj)
    data = {
        "uid": obj.UID(),
        "id": obj.getId(),
        "path": relative_path(obj, site),
        "portal_type": obj.portal_type,
        "fields": field_values(obj, encoder),
        "creation_date": encoder.encode(getattr(base, "creation_date", None)),
        "modification_date": encoder.encode(getattr(base, "modification_date", None)),
        "layout": base.__dict__.get("layout"),
        # The metadata behaviour shows effective/expires rounded to the minute: keep the stored values.
        "dublin_core_dates": {name: encoder.encode(base.__dict__.get(name)) for name in DC_DATES},
        "annotations": annotations_data(obj, encoder),
        "versions": versions_data(obj, encoder),
    }
    data.update(security_data(obj, encoder))
    return data


def site_data(site, encoder: Encoder) -> dict:
    """The site root: its own fields, title, local roles and product annotations."""
    history = getattr(aq_base(site), "workflow_history", None)
    return {
        "id": site.getId(),
        "title": site.Title(),
        "fields": field_values(site, encoder) if IDexterityContent.providedBy(site) else {},
        "local_roles": _local_roles(site),
        "annotations": annotations_data(site, encoder),
        "workflow_history": encoder.encode(dict(history)) if history else {},
    }


def principals_data(site, include_passwords: bool = False) -> dict:
    """Users (without password hashes unless asked) and groups, with their site-wide roles."""
    acl = site.acl_users
    roles = acl.portal_role_manager._principal_roles
    memberdata = api.portal.get_tool("portal_memberdata")
    properties = [p for p in memberdata.propertyIds() if p not in SKIPPED_MEMBER_PROPERTIES]
    encoder = Encoder()
    users = []
    for userid in sorted(acl.source_users.getUserIds()):
        member = api.user.get(userid=userid)
        user = {
            "id": userid,
            "login": acl.source_users.getLoginForUserId(userid),
            "roles": sorted(roles.get(userid, ())),
            "properties": {p: encoder.encode(member.getProperty(p, None)) for p in properties}
            if member
            else {},
        }
        if include_passwords:
            user["password_hash"] = acl.source_users._user_passwords.get(userid)
        users.append(user)
    groups = []
    source_groups = acl.source_groups
    for groupid in sorted(source_groups.getGroupIds()):
        group = api.group.get(groupname=groupid)
        groups.append(
            {
                "id": groupid,
                "title": (group.getProperty("title", "") if group else "") or "",
                "description": (group.getProperty("description", "") if group else "") or "",
                "roles": sorted(roles.get(groupid, ())),
                "members": sorted(source_groups.getGroupMembers(groupid)),
            }
        )
    return {"users": users, "groups": groups, "password_hashes": include_passwords}


def registry_data(prefix: str = "links.") -> dict:
    """Every registry record of the product (names starting with ``prefix``), values encoded."""
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    registry = getUtility(IRegistry)
    encoder = Encoder()
    names = [n for n in registry.records.keys(prefix, prefix + "\uffff") if n.startswith(prefix)]
    return {name: encoder.encode(registry.records[name].value) for name in sorted(names)}
