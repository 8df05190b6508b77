"""Declarations of interest: who has declared what, and which records a declaration touches.

Other areas (signing: recusal; complaints) ask here whether a member is conflicted, so the rules of
"current declaration" live in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from datetime import timedelta

from plone import api

from links.content import _
from links.content.roles import GOVERNING_BODY_MEMBER
from links.content.roles import users_with_role
from links.content.words import add_months
from links.content.words import fullname

#: portal_type of a declaration and of a provider (kept here so callers need not import the schemas).
DECLARATION_TYPE = "DeclarationOfInterest"
PROVIDER_TYPE = "ServiceProvider"
#: The workflow state of a member's current declaration.
CURRENT_STATE = "declared"


def _relation_uids(value) -> set[str]:
    """UIDs of the targets of a RelationValue / RelationList value (broken relations are skipped)."""
    if not value:
        return set()
    if not isinstance(value, (list, tuple, set)):
        value = [value]
    uids = set()
    for rel in value:
        target = getattr(rel, "to_object", None)
        if target is not None:
            uids.add(target.UID())
    return uids


def providers_of(obj) -> set[str]:
    """Return the UIDs of the ServiceProvider(s) a record concerns.

    Knows ServiceProvider itself, ``provider`` (single relation, e.g. EnterAndViewReport) and
    ``providers`` (relation list, e.g. DeclarationOfInterest) fields.

    :param obj: any content object
    :returns: set of UIDs; empty when the record concerns no provider
    """
    if obj is None:
        return set()
    if getattr(obj, "portal_type", None) == PROVIDER_TYPE:
        return {obj.UID()}
    uids = _relation_uids(getattr(obj, "provider", None))
    uids |= _relation_uids(getattr(obj, "providers", None))
    return uids


def current_declarations(userid: str | None = None) -> list:
    """Return the current (declared) declarations, optionally of one member.

    Runs unrestricted: callers decide what to show (the register withholds sensitive details).

    :param userid: member user id, or None for all members
    :returns: list of DeclarationOfInterest objects, newest first
    """
    query = {
        "portal_type": DECLARATION_TYPE,
        "review_state": CURRENT_STATE,
        "sort_on": "created",
        "sort_order": "descending",
    }
    if userid:
        query["record_member"] = userid
    catalog = api.portal.get_tool("portal_catalog")
    return [brain._unrestrictedGetObject() for brain in catalog.unrestrictedSearchResults(**query)]


def conflicting_declarations(userid: str, provider_uids: Iterable[str], on: date | None = None) -> list:
    """Return the member's current declarations that touch any of the given providers.

    :param userid: the member's user id
    :param provider_uids: UIDs of ServiceProvider objects (e.g. ``providers_of(report)``)
    :param on: the date to judge "current" on; a declaration whose date of change is after it does not count
    :returns: list of DeclarationOfInterest objects (empty when there is no conflict)
    """
    wanted = set(provider_uids or ())
    if not userid or not wanted:
        return []
    found = []
    for declaration in current_declarations(userid):
        if getattr(declaration, "nil_declaration", False):
            continue
        changed = getattr(declaration, "date_of_change", None)
        if on is not None and changed is not None and changed > on:
            continue
        if providers_of(declaration) & wanted:
            found.append(declaration)
    return found


#: Shown on the public register instead of a sensitive declaration's content.
WITHHELD = _("A sensitive interest has been declared and withheld under the register's policy")


def declared_on(declaration) -> date | None:
    """The date a declaration was declared (set by the declare transition), else its date of change."""
    return getattr(declaration, "declared_on", None) or getattr(declaration, "date_of_change", None)


def policy() -> dict:
    """The register policy from the registry: review interval (months) and update window (days)."""
    return {
        "review_interval_months": api.portal.get_registry_record(
            "links.content.declarations.review_interval_months", default=12
        ),
        "update_window_days": api.portal.get_registry_record(
            "links.content.declarations.update_window_days", default=28
        ),
    }


def governing_body_members() -> dict[str, str]:
    """User id -> printed name of every current governing body member."""
    return users_with_role(GOVERNING_BODY_MEMBER)


def overdue_declarations(today: date | None = None) -> list[dict]:
    """Governing body members whose declaration is missing, due for review, or was made late.

    :param today: the date to judge on (today by default)
    :returns: list of dicts ``{"userid", "fullname", "reason", "last_declared", "due"}``, sorted by name;
        ``reason`` is "missing", "review-overdue" or "late-update"
    """
    today = today or date.today()
    rules = policy()
    members = governing_body_members()
    latest = {}
    for declaration in current_declarations():
        latest.setdefault(declaration.member, declaration)  # newest first
    overdue = [_assess(userid, name, latest.get(userid), today, rules) for userid, name in members.items()]
    overdue = [entry for entry in overdue if entry]
    return sorted(overdue, key=lambda item: item["fullname"])


def register_entries() -> list[dict]:
    """The public register: current declarations of governing body members, sensitive ones withheld.

    Built only from fields that may be published; a sensitive declaration contributes nothing but the
    member's name and the WITHHELD statement.

    :returns: list of dicts sorted by member name
    """
    from links.content.declarations.declaration import CATEGORIES
    from links.content.records.vocabularies import NHS_GROUPINGS

    members = governing_body_members()
    entries = []
    seen = set()
    for declaration in current_declarations():
        userid = declaration.member
        if userid not in members or userid in seen:
            continue
        seen.add(userid)
        entry = {
            "member": userid,
            "fullname": members[userid],
            "declared_on": declared_on(declaration),
            "sensitive": bool(declaration.sensitive),
        }
        if declaration.sensitive:
            entry["statement"] = WITHHELD
        else:
            entry.update(
                {
                    "nil_declaration": bool(declaration.nil_declaration),
                    "nolan_wording": declaration.nolan_wording,
                    "date_of_change": declaration.date_of_change,
                    "categories": [
                        {"id": name, "title": title, "entries": _lines(getattr(declaration, name, ""))}
                        for name, title in CATEGORIES
                        if _lines(getattr(declaration, name, ""))
                    ],
                    "nhs_groupings": [
                        NHS_GROUPINGS.getTerm(value).title for value in (declaration.nhs_groupings or [])
                    ],
                    "providers": sorted(
                        rel.to_object.title for rel in (declaration.providers or []) if rel.to_object
                    ),
                }
            )
        entries.append(entry)
    return sorted(entries, key=lambda item: item["fullname"])


def _lines(text) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def reminder_for(userid: str, today: date | None = None) -> dict | None:
    """The overdue entry of one member (see overdue_declarations), or None when they are up to date.

    Cheap: only that member's declarations are looked up.
    """

    if not userid or userid not in governing_body_members():
        return None
    found = current_declarations(userid)
    return _assess(userid, fullname(userid), found[0] if found else None, today or date.today(), policy())


def _assess(userid: str, name: str, declaration, today: date, rules: dict) -> dict | None:
    """Whether one member's current declaration is missing, due for review or was made late."""
    entry = {"userid": userid, "fullname": name, "last_declared": None, "due": None}
    if declaration is None:
        return {**entry, "reason": "missing"}
    made = declared_on(declaration)
    entry["last_declared"] = made
    due = add_months(made, rules["review_interval_months"])
    if due < today:
        return {**entry, "reason": "review-overdue", "due": due}
    changed = declaration.date_of_change
    window = timedelta(days=rules["update_window_days"])
    if changed and made and made - changed > window:
        return {**entry, "reason": "late-update", "due": changed + window}
    return None
