"""Words for people: UK dates and times, month arithmetic, printed names, state, type and field titles.

Pages, PDFs, e-mails, REST answers meant for reading and the audit display all call this module, so a
date or a name is written the same way everywhere ("8 November 2026, 10:00"; "Margaret Okafor"; "Awaiting
sign-off"), and nobody sees an id or a message id such as ``label_creators``.
"""

from __future__ import annotations

import calendar
import html
import itertools
import json
import re
from datetime import UTC
from datetime import date
from datetime import datetime
from zoneinfo import ZoneInfo

#: The network's time zone: dates are "today" and times are shown as people in England count them.
LONDON = ZoneInfo("Europe/London")


# -- Time -------------------------------------------------------------------------------------------
def today() -> date:
    """Today in England (a date typed at 00:30 BST is still "today", whatever the server's time zone)."""
    return datetime.now(LONDON).date()


def utcnow() -> datetime:
    """Now, as an aware UTC datetime (what records store)."""
    return datetime.now(UTC)


def as_datetime(value) -> datetime | None:
    """An aware datetime from what the product stores: a datetime, a Zope ``DateTime``, ISO 8601 text or
    seconds since 1970. Naive values are taken to be UTC (the product stores UTC)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    elif isinstance(value, int | float):
        value = datetime.fromtimestamp(value, tz=UTC)
    elif hasattr(value, "asdatetime"):  # Zope DateTime
        value = value.asdatetime()
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def add_months(day: date, months: int) -> date:
    """The same date ``months`` later; the last day of that month if it has no such date (31 January + 1
    month = 28 or 29 February).

    :param day: the start
    :param months: whole months (may be negative)
    """
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


# -- Dates and times as people write them -----------------------------------------------------------------
def format_date(value) -> str:
    """A date as the network writes it: "8 November 2026" (no leading zero; datetimes in London time).

    :param value: a date, datetime, Zope DateTime, ISO text or None
    :returns: the date, or "" for None
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str) and len(value) == 10:
        value = date.fromisoformat(value)
    if not isinstance(value, date) or isinstance(value, datetime):
        value = as_datetime(value).astimezone(LONDON).date()
    return f"{value.day} {value:%B %Y}"


def format_datetime(value, zone: bool = False) -> str:
    """A moment as "8 November 2026, 10:00" in London time ("… 10:00 GMT" with ``zone``).

    :param value: a datetime (naive = UTC), Zope DateTime, ISO text, epoch seconds or None
    :param zone: add the zone's abbreviation (GMT/BST), as signature pages do
    :returns: the moment, or "" for None
    """
    moment = as_datetime(value)
    if moment is None:
        return ""
    local = moment.astimezone(LONDON)
    text = f"{local.day} {local:%B %Y}, {local:%H:%M}"
    return f"{text} {local.tzname()}" if zone else text


def format_time(value) -> str:
    """A time of day as "10:00" (24-hour clock, no seconds).

    :param value: a ``datetime.time`` or None
    :returns: the time, or "" for None
    """
    return "" if value is None or value == "" else f"{value:%H:%M}"


def long_date(day: date) -> str:
    """'Monday 23 November 2026'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def and_join(parts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    parts = list(parts)
    if not parts:
        return ""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def format_days(days) -> str:
    """Several dates, grouped by month: '25 and 26 December 2024 and 1 January 2025'."""
    groups = []
    for _, group in itertools.groupby(sorted(days), key=lambda d: (d.year, d.month)):
        group = list(group)
        groups.append(f"{and_join([str(d.day) for d in group])} {group[0]:%B %Y}")
    return and_join(groups)


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 working day', '3 working days' ('1 reply', '2 replies' with ``words``)."""
    return f"{n} {word}" if n == 1 else f"{n} {words or word + 's'}"


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_BLOCK_TAG = re.compile(r"</?(p|br|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def display_value(value) -> str:
    """A stored value (a field as ``history.api.fields`` encodes it, an audit detail) as plain text:
    UK dates, "Yes"/"No", rich text as its words, a relation or file by its title or name."""
    if value is None or value == "" or value == [] or value == {}:
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            return format_date(value)
        if _ISO_DATETIME.match(value):
            try:
                return format_datetime(value)
            except ValueError:
                return value
        if "<" in value and ">" in value:  # rich text: its words, not its markup
            return " ".join(html.unescape(_TAG.sub("", _BLOCK_TAG.sub(" ", value))).split())
        if value[:1] in "{[":  # figures kept as JSON text: their values, in words
            try:
                return display_value(json.loads(value))
            except ValueError:
                return value
        return value
    if isinstance(value, dict):
        if "title" in value or "path" in value:  # a relation target as it was
            return value.get("title") or value.get("path") or value.get("uid", "")
        if "filename" in value:
            return f"{value['filename']} (SHA-256 {value.get('sha256', '')[:12]}…)"
        if "data" in value or "raw" in value:
            return display_value(value.get("raw", value.get("data")))
        return "; ".join(f"{humanise(key)}: {display_value(item)}" for key, item in sorted(value.items()))
    if isinstance(value, (list, tuple, set)):
        return ", ".join(display_value(item) for item in value)
    return str(value)


# -- Names and titles ------------------------------------------------------------------------------------
def fullname(userid: str | None) -> str:
    """The person's full name as printed on records; their user id when they have none or are gone.

    :param userid: a user id (or login name)
    :returns: the name, or "" for no user
    """
    if not userid:
        return ""
    from plone import api

    user = api.user.get(userid=userid) or api.user.get(username=userid)
    return (user is not None and user.getProperty("fullname")) or userid


def person(userid: str | None, with_id: bool | None = None) -> str:
    """A person as people see them: "Margaret Okafor"; "Margaret Okafor (chair)" for administrators, who
    need the user id to manage the account; the system for no user.

    :param userid: a user id
    :param with_id: add the user id; default: when the current user may manage users
    """
    if not userid or userid == "Anonymous User":
        return "the system" if not userid else "Anonymous visitor"
    name = fullname(userid)
    if with_id is None:
        from plone import api

        with_id = api.user.has_permission("Manage users", obj=api.portal.get())
    return f"{name} ({userid})" if with_id and name != userid else name


def version_number(version_id) -> int:
    """The version as people count it, from 1 (CMFEditions counts from 0)."""
    return int(version_id) + 1


def version_label(version_id) -> str:
    """'Version 1' for CMFEditions' version 0."""
    return f"Version {version_number(version_id)}"


#: What each audit action is called on pages ("What" column). Actions not listed are shown by
#: ``action_title`` from their dotted name, never as the raw id.
ACTION_TITLES = {
    "record.created": "Created",
    "record.modified": "Changed",
    "record.deleted": "Deleted",
    "record.viewed": "Viewed (confidential record)",
    "sharing.changed": "Sharing changed",
    "workflow.transition": "Workflow step",
    "version.saved": "Version saved",
    "version.reverted": "Reverted to an earlier version",
    "signature.added": "Signed (approved)",
    "signature.rejected": "Signed (rejected)",
    "signature.superseded": "Signatures no longer count",
    "recusal.recorded": "Signature refused (conflict of interest)",
    "signoff.completed": "Signed off by the governing body",
    "signoff.fields_set": "Set at sign-off",
    "report.submitted": "Submitted for sign-off",
    "report.returned_for_changes": "Returned for changes",
    "report.signed_off": "Signed off",
    "report.sent_to_provider": "Sent to the provider",
    "report.provider_responded": "Provider's response received",
    "report.published": "Published",
    "report.withdrawn": "Withdrawn",
    "constitution.proposed": "Proposed",
    "constitution.returned_to_draft": "Returned to draft",
    "constitution.adopted": "Adopted",
    "constitution.superseded": "Superseded",
    "declaration.declared": "Declared",
    "declaration.superseded": "Superseded",
    "decision.recorded": "Decision recorded",
    "clock.started": "Clock started",
    "clock.paused": "Clock paused",
    "clock.resumed": "Clock resumed",
    "clock.extended": "Deadline extended",
    "clock.stopped": "Deadline met",
    "clock.ended": "Clock ended",
    "complaint.received": "Complaint received",
    "complaint.reviewer_assigned": "Independent reviewer assigned",
    "complaint.appeal_requested": "Appeal requested",
    "complaint.closed": "Complaint closed",
    "foi.received": "Request received",
    "foi.redacted": "Redaction recorded",
    "foi.disclosed": "Information disclosed",
    "foi.answered": "Request answered",
    "transitional_report.submitted": "Submitted for sign-off",
    "transitional_report.returned_for_changes": "Returned for changes",
    "transitional_report.signed_off": "Signed off",
    "transitional_report.published": "Published",
    "transitional_report.activities_counted": "Activities counted",
    "annual_report.submitted": "Submitted for sign-off",
    "annual_report.returned_for_changes": "Returned for changes",
    "annual_report.signed_off": "Signed off",
    "annual_report.published": "Published",
    "annual_report.copies_sent": "Copies sent",
    "annual_report.figures_counted": "Figures counted",
    "annual_report.copy_recorded": "Copy sent",
    "keys.rotated": "Signing keys replaced",
    "login.succeeded": "Logged in",
    "login.failed": "Failed login",
    "logout": "Logged out",
    "principal.created": "User created",
    "principal.deleted": "User deleted",
    "principal.properties_updated": "User details changed",
    "principal.credentials_updated": "Password changed",
    "group.member_added": "Added to a group",
    "group.member_removed": "Removed from a group",
    "group.created": "Group created",
    "group.deleted": "Group deleted",
}


def action_title(action: str) -> str:
    """An audit action in words ("Signed (approved)" for ``signature.added``); an unknown action's last
    part with its underscores as spaces ("Copies sent" for ``x.copies_sent``)."""
    if action in ACTION_TITLES:
        return ACTION_TITLES[action]
    words = (action or "").rsplit(".", 1)[-1].replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def humanise(name: str) -> str:
    """An identifier in words: 'met_late_days' -> 'Met late days', 'part-disclosed' -> 'Part disclosed'."""
    text = str(name).replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


def translate(message) -> str:
    """A message id in words: its translation for the current request, else its default text."""
    from zope.globalrequest import getRequest
    from zope.i18n import translate as _translate

    return str(_translate(message, context=getRequest())) if message is not None else ""


def field_label(field) -> str:
    """A schema field's label as forms show it ("Creators", never ``label_creators``)."""
    return translate(field.title) or field.__name__


def state_title(obj, state: str | None = None) -> str | None:
    """The title ("Awaiting sign-off") of ``state`` in ``obj``'s workflow; None when no workflow has it.

    :param obj: a record (its workflow chain is looked up)
    :param state: a state id; default: the record's current state
    """
    from plone import api

    if state is None:
        state = api.content.get_state(obj, default=None)
    workflow = api.portal.get_tool("portal_workflow")
    for chain_id in workflow.getChainFor(obj):
        definition = workflow[chain_id].states.get(state)
        if definition is not None:
            return definition.title or state
    return None


def transition_title(obj, transition: str) -> str:
    """The title ("Submit for sign-off") of a workflow transition of ``obj``'s workflow, else the id in
    words."""
    from plone import api

    workflow = api.portal.get_tool("portal_workflow")
    for chain_id in workflow.getChainFor(obj) if obj is not None else ():
        definition = workflow[chain_id].transitions.get(transition)
        if definition is not None and definition.title:
            return definition.title
    return humanise(transition)


def type_title(portal_type: str) -> str:
    """A content type's title ("Freedom of information request", never "FOIRequest")."""
    from plone import api

    fti = api.portal.get_tool("portal_types").getTypeInfo(portal_type)
    return translate(fti.Title()) if fti is not None else portal_type
