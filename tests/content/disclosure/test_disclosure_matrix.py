"""The generated disclosure matrix (#12): type x workflow state x role x read channel.

Everything is derived at test time: the types are those bound to a links workflow whose schema or
behaviors carry a ``read_permission``; the states are their workflow's; the roles are the site's (each as a
user holding it), Anonymous, the Owner and the Assigned Reviewer (local roles); the expectation comes from
the workflow's permission maps (or the site's role map for a permission the workflow does not manage). A
new type, field, state or role is covered without editing this file. One site, one record per type, moved
through its states with ``set_state``; the channels are called in-process as their services call them.

The summary (who reads each group of protected fields in each state) must match the table in the README's
security section, so the README cannot drift from what the code does.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from AccessControl import Unauthorized
from AccessControl import getSecurityManager
from AccessControl.SecurityManagement import newSecurityManager
from AccessControl.SecurityManagement import setSecurityManager
from AccessControl.SpecialUsers import nobody
from plone import api
from plone.autoform.interfaces import READ_PERMISSIONS_KEY
from plone.dexterity.utils import iterSchemataForType
from plone.restapi.interfaces import ISerializeToJson
from plone.supermodel.utils import mergedTaggedValueDict
from zope.component import getMultiAdapter
from zope.component import queryUtility
from zope.globalrequest import getRequest
from zope.schema import getFields
from zope.schema.interfaces import IText
from zope.schema.interfaces import ITextLine
from zope.security.interfaces import IPermission

from links.content import disclosure
from links.content import words
from links.content.foi import api as foi
from links.content.foi.exceptions import InvalidRedaction
from links.content.foi.exceptions import InvalidSelection
from links.content.history import api as history
from links.content.history.services.history import HistoryGet
from links.content.records.views import FieldsView
from links.content.testing import add_users
from links.content.testing import set_state

README = Path(__file__).parents[3] / "README.md"
VIEW = "View"
APV = "CMFEditions: Access previous versions"
LOCAL_ROLES = ("Owner", "Assigned Reviewer")
#: Channels that answer whether a text occurs in a field rather than returning fields.
TEXT_CHANNELS = ("@redactions", "FOI search")
#: Channels that read the live record (View decides), not its versions.
LIVE_CHANNELS = ("GET", "record-view")
#: Field values a type's subscribers need to create it (everything else is derived).
MAKE = {
    "Complaint": {
        "received": date(2026, 11, 2),
        "how_received": "email",
        "about": "host",
        "event_date": date(2026, 10, 20),
    },
    "FOIRequest": {"received": date(2026, 11, 2), "summary": "Matrix"},
    "DeclarationOfInterest": {"member": "matrix-owner", "sensitive": True},
    "AnnualReport": {"period_start": date(2025, 4, 1), "period_end": date(2026, 3, 31)},
}


def _protected(portal_type) -> dict[str, tuple[str, object]]:
    """field name -> (permission title, field) for the type's fields with a read permission."""
    result = {}
    for schema in iterSchemataForType(portal_type):
        fields = getFields(schema)
        for name, permission_id in mergedTaggedValueDict(schema, READ_PERMISSIONS_KEY).items():
            permission = queryUtility(IPermission, name=permission_id)
            result.setdefault(name, (permission.title if permission else None, fields.get(name)))
    return result


def _types(portal):
    workflows = api.portal.get_tool("portal_workflow")
    found = []
    for fti in api.portal.get_tool("portal_types").listTypeInfo():
        chain = workflows.getChainForPortalType(fti.getId())
        if chain and chain[0].startswith("links_") and _protected(fti.getId()):
            found.append((fti.getId(), workflows[chain[0]]))
    return sorted(found, key=lambda item: item[0])


def _roles(portal) -> list[str]:
    site_roles = [r for r in portal.validRoles() if r not in ("Anonymous", "Authenticated", *LOCAL_ROLES)]
    return ["Anonymous", *sorted(site_roles), *LOCAL_ROLES]


def _userid(role: str) -> str:
    return "matrix-" + re.sub(r"[^a-z]+", "-", role.lower()).strip("-")


def _has(portal, state, roles: set[str], permission: str) -> bool:
    """Whether a user with ``roles`` holds ``permission`` in ``state`` (workflow map, else the site's)."""
    mapped = (state.permission_roles or {}).get(permission)
    granted = set(mapped or ())
    if mapped is None or isinstance(mapped, list):  # not managed, or acquired: the site's roles count too
        granted |= {r["name"] for r in portal.rolesOfPermission(permission) if r["selected"]}
    return (
        "Anonymous" in granted
        or bool(granted & roles)
        or ("Authenticated" in granted and "Anonymous" not in roles)
    )


def _user_roles(role: str) -> set[str]:
    if role == "Anonymous":
        return {"Anonymous"}
    return {role, "Member", "Authenticated"}


def _make(portal, portal_type, protected):
    with api.env.adopt_roles(["Manager"]):
        obj = api.content.create(
            container=portal,
            type=portal_type,
            id=f"matrix-{portal_type.lower()}",
            title="Matrix",
            **MAKE.get(portal_type, {}),
        )
        markers = {}
        for name, (_permission, field) in protected.items():
            if IText.providedBy(field) or ITextLine.providedBy(field):
                markers[name] = f"zq{name.replace('_', '')}zq"
                setattr(obj, name, markers[name])
        obj.manage_setLocalRoles(_userid("Owner"), ["Owner"])
        obj.manage_setLocalRoles(_userid("Assigned Reviewer"), ["Assigned Reviewer"])
        obj.reindexObjectSecurity()
        history.save(obj, "Matrix markers")
        return obj, markers, history.latest_version_id(obj)


def _channels(obj, request_record, markers, version_id):
    """What each read channel discloses to the current user: channel -> set of protected field names
    present (None when the channel refuses the user altogether)."""
    request = getRequest()
    seen: dict[str, set | None] = {}

    def attempt(channel, call):
        try:
            seen[channel] = set(call())
        except (Unauthorized, InvalidSelection):
            seen[channel] = None

    def live():
        if not disclosure.may_view(obj):  # the publisher refuses before the serializer runs
            raise Unauthorized("no View")
        return getMultiAdapter((obj, request), ISerializeToJson)()

    def history_version():
        service = _History(obj, request)
        service.version = str(version_id)
        return service.reply()

    def record_view():
        if not disclosure.may_view(obj):  # the page's permission is View
            raise Unauthorized("no View")
        return [row["name"] for row in FieldsView(obj, request).fields()]

    attempt("GET", live)
    attempt("record-view", record_view)
    attempt("@history/<n>", history_version)
    attempt("@as-of", lambda: disclosure.as_of(obj, _far_future())["fields"])
    attempt(
        "@compare", lambda: [r["field"] for r in disclosure.compare(obj, version_id, version_id)["fields"]]
    )
    attempt("bundle", lambda: foi._item(request_record, {"uid": obj.UID(), "version": version_id})["fields"])
    # Redaction lookup: a readable field answers "does not occur", an unreadable one "no field you may read".
    readable = set()
    for name in markers:
        try:
            foi.redact(request_record, obj.UID(), version_id, name, "absent-text", "s40", "matrix")
        except InvalidRedaction as error:
            if "does not occur" in str(error):
                readable.add(name)
    seen["@redactions"] = readable
    if obj.portal_type in foi.record_types():
        found = set()
        for marker in markers.values():
            for result in foi.find_held_information(marker, words.today()):
                if result["uid"] == obj.UID():
                    found |= set(result["fields"])
        seen["FOI search"] = found
    return seen


class _History(HistoryGet):
    """Our ``@history`` service as its ZCML registration builds it (context, request, no version)."""

    def __init__(self, context, request):
        self.context, self.request, self.version = context, request, None


def _far_future():
    """The end of today: every version made by the test (a future moment is refused)."""
    return history.parse_moment(words.today().isoformat())


def test_disclosure_matrix(portal):
    types = _types(portal)
    assert {t for t, _ in types} >= {"Complaint", "FOIRequest", "DeclarationOfInterest"}
    roles = _roles(portal)
    with api.env.adopt_roles(["Manager"]):
        add_users(
            portal, {_userid(r): ([r] if r not in LOCAL_ROLES else []) for r in roles[1:]}, "matrix-pw-1"
        )
        request_record = foi.create_request(portal, received=date(2026, 11, 2), summary="Matrix bundle")
    failures, summary, checked = [], [], 0
    for portal_type, workflow in types:
        protected = _protected(portal_type)
        obj, markers, version_id = _make(portal, portal_type, protected)
        by_permission: dict[str, list[str]] = {}
        for name, (permission, _field) in protected.items():
            by_permission.setdefault(permission, []).append(name)
        for state in workflow.states.objectValues():
            set_state(obj, workflow.getId(), state.getId(), "matrix", date(2026, 11, 3))
            readers: dict[str, list[str]] = {p: [] for p in by_permission}
            for role in roles:
                user_roles = _user_roles(role)
                view = _has(portal, state, user_roles, VIEW)
                versions = view and _has(portal, state, user_roles, APV)
                expected = {
                    name
                    for name, (permission, _f) in protected.items()
                    if permission and _has(portal, state, user_roles, permission)
                }
                for permission, names in by_permission.items():
                    if view and set(names) <= expected:
                        readers[permission].append(role)
                with _acting_as(role):
                    seen = _channels(obj, request_record, markers, version_id)
                for channel, present in seen.items():
                    where = f"{portal_type}/{state.getId()}/{role}/{channel}"
                    may = view if channel in LIVE_CHANNELS else versions
                    # Text lookups (redaction, search) can only be asked about the fields holding a marker.
                    if channel in TEXT_CHANNELS:
                        asked = set(markers)
                    elif channel == "record-view":  # the page leaves empty fields out: ask about filled ones
                        asked = {n for n in protected if getattr(obj, n, None) not in (None, "", [], ())}
                    else:
                        asked = set(protected)
                    want = (expected if may else set()) & asked
                    got = (present or set()) & asked
                    if channel not in TEXT_CHANNELS and (present is None) == may:
                        failures.append(f"{where}: refused={present is None}, may={may}")
                    if got != want:
                        failures.append(f"{where}: got {sorted(got)}, expected {sorted(want)}")
                    checked += 1
            for permission in by_permission:
                summary.append((portal_type, permission, state.getId(), readers[permission]))
    print(f"disclosure matrix: {checked} checks")
    assert checked > 500
    assert not failures, "\n".join(failures[:40])
    table = summary_table(summary)
    assert table in README.read_text(), "README's disclosure matrix is out of date; it should read:\n" + table


@contextmanager
def _acting_as(role: str):
    """The security context of the role's test user (Anonymous: nobody)."""
    if role != "Anonymous":
        with api.env.adopt_user(username=_userid(role)):
            yield
        return
    manager = getSecurityManager()
    newSecurityManager(None, nobody)
    try:
        yield
    finally:
        setSecurityManager(manager)


def summary_table(rows) -> str:
    """Markdown: for each type and read permission, the states (grouped when the readers are the same) and
    the roles that read those fields on every channel."""
    grouped: dict[tuple, list[str]] = {}
    for portal_type, permission, state, roles in rows:
        grouped.setdefault((portal_type, permission, tuple(roles)), []).append(state)
    lines = [
        "| type | fields with this read permission | states | who reads them (every channel) |",
        "| --- | --- | --- | --- |",
    ]
    for (portal_type, permission, roles), states in grouped.items():
        lines.append(
            f"| {portal_type} | {permission} | {', '.join(states)} | {', '.join(roles) or 'nobody'} |"
        )
    return "\n".join(lines)
