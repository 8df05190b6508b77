"""Event subscribers feeding the audit trail (registered in configure.zcml).

Changes (content, workflow, sharing, users and groups, logins, domain events) are recorded in the same
transaction as the change. Read-only events (views of confidential records, failed logins) go to the
append-only files (readstore.py) from a publication-end subscriber, so a read never writes the ZODB.
"""

import json
import logging

from plone.app.workflow.interfaces import ILocalrolesModifiedEvent
from zope.component.hooks import getSite
from zope.container.interfaces import IContainerModifiedEvent

from links.content.audit import api
from links.content.disclosure import noted_reads
from links.content.integrity import json_safe
from links.content.interfaces import IConfidentialRecord

logger = logging.getLogger(__name__)

#: Longest text kept as a before/after value; longer values are cut and marked.
MAX_VALUE = 2000


def _site():
    site = getSite()
    # Events fired outside a Plone site (Zope root, site creation before the site hook) are not ours.
    if site is None or getattr(site, "portal_type", None) != "Plone Site":
        return None
    return site


def _plain(value):
    """A field value as JSON-friendly plain data (rich text as its source, files as their name)."""
    raw = getattr(value, "raw", None)
    if raw is not None:
        value = raw
    elif getattr(value, "filename", None) is not None:
        value = {"filename": value.filename, "size": getattr(value, "size", None)}
    elif isinstance(value, (set, frozenset)):
        value = sorted(value, key=str)
    if isinstance(value, str) and len(value) > MAX_VALUE:
        value = value[:MAX_VALUE] + "… (cut)"
    return json_safe(value)


def _old_state(obj) -> dict:
    """The object's last committed attributes (its ZODB state before this transaction), or {}."""
    jar, serial = getattr(obj, "_p_jar", None), getattr(obj, "_p_serial", None)
    if jar is None or not serial or serial == b"\0" * 8:
        return {}
    # After a savepoint (CMFEditions makes some) the connection's storage is a TmpStore without
    # loadSerial: read the committed record from the database's own storage.
    storage = getattr(jar, "_normal_storage", None) or jar._storage
    try:
        state = jar._reader.getState(storage.loadSerial(obj._p_oid, serial))
    except Exception:  # new in this transaction or packed away: no before value to show
        return {}
    return state if isinstance(state, dict) else {}


def object_added(obj, event):
    if _site() is None or event.newParent is None:
        return
    api.record(
        "record.created", obj, {"title": obj.Title() if not IConfidentialRecord.providedBy(obj) else ""}
    )


def object_removed(obj, event):
    if _site() is None or event.oldParent is None:
        return
    api.record(
        "record.deleted", obj, {"from": "/".join(event.oldParent.getPhysicalPath()), "id": event.oldName}
    )


def object_modified(obj, event):
    if _site() is None:
        return
    if ILocalrolesModifiedEvent.providedBy(event):
        return sharing_changed(obj, event)
    if IContainerModifiedEvent.providedBy(event):
        return None  # a child added or removed: recorded on the child itself
    names = []
    for description in getattr(event, "descriptions", ()) or ():
        for name in getattr(description, "attributes", ()) or ():
            # Edit forms name fields "IBehavior.field"; the stored attribute is the last part.
            names.append(name.split(".")[-1])
    details = {"fields": sorted(set(names))}
    if names and not IConfidentialRecord.providedBy(obj):
        # Values of fields with a read permission stay out of the trail whatever the record's markers say
        # (a declaration becomes confidential in a subscriber that runs after this one): names only.
        from links.content.disclosure import field_read_permissions

        protected = field_read_permissions(obj)
        before = _old_state(obj)
        details["changes"] = {
            name: {"before": _plain(before.get(name)), "after": _plain(getattr(obj, name, None))}
            for name in details["fields"]
            if name not in protected
        }
    api.record("record.modified", obj, details)


def sharing_changed(obj, event):
    roles = {
        principal: sorted(local)
        for principal, local in (obj.get_local_roles() if hasattr(obj, "get_local_roles") else ())
    }
    api.record(
        "sharing.changed",
        obj,
        {"local_roles": roles, "inherit": not getattr(obj, "__ac_local_roles_block__", False)},
    )


#: Types whose transition comments stay out of the trail although the record is not confidential.
PRIVATE_COMMENTS = ("DeclarationOfInterest",)


def workflow_transition(obj, event):
    if _site() is None or event.action is None:
        return
    workflow = getattr(event.workflow, "id", "")
    history = (getattr(obj, "workflow_history", {}) or {}).get(workflow) or ({},)
    last = history[-1]
    details = {"workflow": workflow, "transition": event.action, "state": last.get("review_state")}
    # A comment is free text: on confidential records and declarations (whose domain events drop it too)
    # it may be personal, and the trail is immutable and read by council auditors. Say only that one was
    # given (review finding 7d).
    if IConfidentialRecord.providedBy(obj) or getattr(obj, "portal_type", "") in PRIVATE_COMMENTS:
        details["commented"] = bool(last.get("comments"))
    else:
        details["comment"] = last.get("comments", "")
    api.record("workflow.transition", obj, details, actor=last.get("actor"))


def record_event(event):
    if _site() is None:
        return
    api.record(event.action, event.object, event.details, actor=event.actor)


def _principal_id(principal) -> str:
    if isinstance(principal, str):
        return principal
    getter = getattr(principal, "getId", None)
    return getter() if getter else str(principal)


def pas_event(action):
    """A subscriber recording a PAS event on a principal under ``action``."""

    def handler(event):
        if _site() is None:
            return
        details = {"principal": _principal_id(event.principal)}
        group = getattr(event, "group_id", None)
        if group:
            details["group"] = group
        properties = getattr(event, "properties", None)
        if isinstance(properties, dict):
            details["properties"] = sorted(properties)  # names only: values may be personal data
        api.record(action, None, details)

    return handler


user_logged_in = pas_event("login.succeeded")
user_logged_out = pas_event("logout")
principal_created = pas_event("principal.created")
principal_deleted = pas_event("principal.deleted")
properties_updated = pas_event("principal.properties_updated")
credentials_updated = pas_event("principal.credentials_updated")
added_to_group = pas_event("group.member_added")
removed_from_group = pas_event("group.member_removed")
group_created = pas_event("group.created")
group_deleted = pas_event("group.deleted")


def _published_context(request):
    published = request.get("PUBLISHED")
    context = getattr(published, "context", None)
    if context is None:
        context = getattr(published, "__self__", None) or getattr(published, "aq_parent", None)
    return context


def publication_succeeded(event):
    """Views of confidential records and failed logins, written to the read-event files."""
    request = event.request
    try:
        method = request.get("REQUEST_METHOD", "GET")
        site = _site()
        if site is None:
            return
        status = request.response.getStatus()
        if method == "POST":
            _failed_login(request, status, site)
            return
        if method != "GET" or status != 200:
            return
        context = _published_context(request)
        published = request.get("PUBLISHED")
        view = getattr(published, "__name__", "") or ""
        audited = set()
        if context is not None and IConfidentialRecord.providedBy(context):
            api.record_read("record.viewed", context, {"view": view}, site_id=site.getId())
            audited.add(context.UID())
        # Confidential records read through another page or service (@search?fullobjects, the FOI
        # search and bundle...): noted by links.content.disclosure while the answer was made.
        for record, channel in noted_reads(request):
            if record.UID() not in audited:
                audited.add(record.UID())
                api.record_read(
                    "record.viewed", record, {"view": view, "channel": channel}, site_id=site.getId()
                )
    except Exception:  # auditing a read must never break the response already rendered
        logger.exception("Could not record a read event")


def _failed_login(request, status, site):
    form = request.form
    url = request.get("ACTUAL_URL", "")
    if "__ac_name" in form and "__ac_password" in form:
        user = request.get("AUTHENTICATED_USER")
        if user is not None and user.getId() is not None:
            return
        login = form.get("__ac_name", "")
    elif url.endswith("/@login") and status == 401:
        try:
            login = json_safe(json.loads(request.get("BODY") or b"{}")).get("login", "")
        except ValueError:
            login = ""
    else:
        return
    api.record_read(
        "login.failed",
        None,
        {"login": str(login)[:200], "client": request.getClientAddr()},
        actor="Anonymous User",
        site_id=site.getId(),
    )
