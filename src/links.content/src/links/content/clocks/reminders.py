"""Daily reminders for clocks due soon or overdue, e-mailed through Plone's MailHost.

Run once a day by scripts/send_reminders.py. One catalog query finds the records whose earliest open
clock is due within the reminder window (or overdue); each reminder is remembered in the clock as
(kind, due date), so a clock is reminded once per event: once when it becomes due soon and once when
it becomes overdue — again only if its due date moves (pause, extension). Mail is queued by MailHost
and leaves only when the transaction commits.
"""

from __future__ import annotations

import logging
from datetime import date
from datetime import timedelta

from plone import api

from links.content import disclosure
from links.content.clocks.api import clocks as clocks_of
from links.content.clocks.api import reminder_days
from links.content.clocks.storage import RUNNING
from links.content.interfaces import IConfidentialRecord
from links.content.words import format_date as short_date
from links.content.words import today as london_today

logger = logging.getLogger("links.content.clocks.reminders")

#: Records of these types also remind the complaints officers' group (an appeal is a stage of a Complaint).
COMPLAINT_TYPES = ("Complaint",)
COMPLAINTS_GROUP = "complaints-officers"


def send_reminders(portal, today: date | None = None) -> list[tuple[str, str, str]]:
    """Queue reminder e-mails for running clocks due within the reminder window or overdue.

    :param portal: the Plone site
    :param today: the date to judge against (default: today in Europe/London)
    :returns: [(record path, clock name, "due_soon" | "overdue")] for each reminder queued
    """
    today = today or london_today()
    window = reminder_days()
    horizon = today + timedelta(days=window)
    catalog = api.portal.get_tool("portal_catalog")
    # The job runs without a user: search unrestricted, mail only the people responsible.
    brains = catalog.unrestrictedSearchResults(
        clock_next_due={"query": horizon, "range": "max"}, sort_on="clock_next_due"
    )
    sent = []
    for brain in brains:
        obj = brain._unrestrictedGetObject()
        for clock in clocks_of(obj):
            if clock.state != RUNNING or clock.due > horizon:
                continue
            kind = "overdue" if today > clock.due else "due_soon"
            key = (kind, clock.due)
            if key in clock.reminders_sent:
                continue
            recipients = _recipients(obj, brain)
            if not recipients:
                logger.warning("No e-mail address to remind about %s on %s", clock.name, brain.getPath())
                continue
            for recipient, userid in sorted(recipients.items()):
                reasons = _may_read_reasons(obj, userid)
                subject, body = _message(obj, clock, kind, today, reasons)
                api.portal.send_email(recipient=recipient, subject=subject, body=body, immediate=False)
            clock.reminders_sent = clock.reminders_sent | {key}
            sent.append((brain.getPath(), clock.name, kind))
    return sent


def _email(userid: str | None) -> str | None:
    if not userid:
        return None
    user = api.user.get(userid=userid)
    return (user.getProperty("email") or None) if user is not None else None


def _recipients(obj, brain) -> dict[str, str]:
    """E-mail address -> user id of the people responsible for the record's clocks."""
    userids = {brain.clock_owner}
    if brain.portal_type in COMPLAINT_TYPES:
        group = api.group.get(groupname=COMPLAINTS_GROUP)
        if group is not None:
            userids |= {member.getId() for member in api.user.get_users(group=group)}
    found = {_email(userid): userid for userid in sorted(u for u in userids if u)}
    return {address: userid for address, userid in found.items() if address}


def _may_read_reasons(obj, userid: str) -> bool:
    """Whether a recipient may read the record's free text (the clock's reasons): the disclosure rule."""
    user = api.user.get(userid=userid)
    return user is not None and disclosure.may_read_free_text(obj, user)


def _message(obj, clock, kind: str, today: date, reasons: bool = False) -> tuple[str, str]:
    title = clock.rule.title or clock.name
    # A confidential record's title may name the complainant: the mail gives only the link.
    record = "a confidential record" if IConfidentialRecord.providedBy(obj) else f"“{obj.Title()}”"
    if kind == "overdue":
        subject = f"Overdue: {title}"
        when = f"was due on {short_date(clock.due)} and is overdue"
    else:
        days = (clock.due - today).days
        subject = f"Due {short_date(clock.due)}: {title}"
        when = f"is due on {short_date(clock.due)} ({'today' if days == 0 else f'in {days} days'})"
    body = (
        f"The deadline “{title}” for {record} {when}.\n\n"
        f"How the date was worked out: {clock.explain(reasons)}\n\n"
        f"Open the record: {obj.absolute_url()}\n"
    )
    return subject, body
