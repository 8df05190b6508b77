"""Annual report API: the year's figures, the 30 June deadlines and the copies sent to the listed bodies.

The 2007 Act s.227 asks for a report on each financial year by 30 June, made public and sent to the bodies
listed (registry ``links.content.annual.recipients``; by default the Secretary of State, the local
authority, its overview and scrutiny committee, the Care Quality Commission and the host, each committee
named where a council has several). Two clocks, started on the last day of the year: "annual-report"
(met when the report is published) and "annual-report-copies" (met when the last copy is recorded as sent).
Both are three calendar months from 31 March by default, which is 30 June; the rules are in the registry.
"""

from __future__ import annotations

from datetime import date

from plone import api
from zope.annotation.interfaces import IAnnotations
from zope.event import notify

from links.content.annotations import annotated_tree
from links.content.annual import figures
from links.content.annual.events import CopyRecorded
from links.content.annual.events import FiguresCounted
from links.content.annual.exceptions import CopiesError
from links.content.annual.interfaces import DEFAULT_RECIPIENTS
from links.content.annual.years import PORTAL_TYPE
from links.content.periodreport.api import store_figures
from links.content.periodreport.figures import published_on
from links.content.words import format_date
from links.content.words import fullname
from links.content.words import today as london_today
from links.content.words import utcnow

REPORT_CLOCK = "annual-report"
COPIES_CLOCK = "annual-report-copies"
RECIPIENTS_RECORD = "links.content.annual.recipients"
SIGNED_STATES = ("signed_off", "published", "copies_sent")
PUBLIC_STATES = ("published", "copies_sent")
#: Annotations of a report: recipient -> the copy recorded; and the list of recipients taken on publication.
COPIES_KEY = "links.content.annual.copies"
RECIPIENTS_KEY = "links.content.annual.recipients"
#: Longest recipient name accepted from a client (the registry's names are shorter).
MAX_RECIPIENT = 300


def take_snapshot(obj, today: date | None = None, actor: str | None = None) -> dict:
    """Count the year's figures and store them, with the records each counts, on the report.

    :param obj: an AnnualReport
    :param today: the day the figures are taken (default: today in England)
    :param actor: who caused it (for the audit trail)
    :returns: the figures (see ``annual.figures.count``)
    """
    data, records = figures.count(api.portal.get(), obj.period_start, obj.period_end, today or london_today())
    return store_figures(obj, data, FiguresCounted, actor=actor, counted_records=records)


def configured_recipients() -> tuple[str, ...]:
    """The bodies a copy goes to, from the registry (the defaults when the record is missing or empty)."""
    value = api.portal.get_registry_record(RECIPIENTS_RECORD, default=None)
    names = tuple(dict.fromkeys(name.strip() for name in (value or ()) if name and name.strip()))
    return names or DEFAULT_RECIPIENTS


def recipients(obj) -> tuple[str, ...]:
    """The recipients of this report's copies: fixed when it was published, the configured list before."""
    fixed = IAnnotations(obj).get(RECIPIENTS_KEY)
    return tuple(fixed) if fixed else configured_recipients()


def fix_recipients(obj) -> tuple[str, ...]:
    """On publication: this report's copies go to the bodies listed today (a later change of the registry
    does not alter a checklist already under way)."""
    annotations = IAnnotations(obj)
    if not annotations.get(RECIPIENTS_KEY):
        annotations[RECIPIENTS_KEY] = configured_recipients()
    return tuple(annotations[RECIPIENTS_KEY])


def checklist(obj) -> list[dict]:
    """The copies: one entry per recipient, in the listed order.

    :returns: ``[{"recipient", "sent_on" (date or None), "recorded_by" (printed name), "recorded_at"}]``
    """
    sent = annotated_tree(obj, COPIES_KEY) or {}
    rows = []
    for name in recipients(obj):
        entry = sent.get(name) or {}
        rows.append(
            {
                "recipient": name,
                "sent_on": date.fromisoformat(entry["sent_on"]) if entry.get("sent_on") else None,
                "recorded_by": fullname(entry.get("recorded_by")),
                "recorded_at": entry.get("recorded_at"),
            }
        )
    return rows


def copies_sent_on(obj) -> date | None:
    """The day the last copy was sent, or None while any is still to send."""
    days = [row["sent_on"] for row in checklist(obj)]
    return max(days) if days and all(days) else None


def record_copy(obj, recipient: str, sent_on: date, actor: str | None = None) -> list[dict]:
    """Record that the copy for ``recipient`` was sent on ``sent_on``.

    When it was the last, the copies clock stops on the latest day and the report moves to "Copies sent".

    :param obj: a published AnnualReport
    :param recipient: one of ``recipients(obj)``, exactly
    :param sent_on: the day it was sent (not in the future, not before the report was published)
    :param actor: who records it
    :returns: the checklist after the change
    :raises CopiesError: the report is not published, the recipient is not listed, the date is impossible,
        or that copy is already recorded
    """
    state = api.content.get_state(obj, default=None)
    if state != "published":
        raise CopiesError(
            "Copies are recorded once the report is published and until every copy is sent; this report is "
            f"“{_state_words(obj)}”."
        )
    listed = recipients(obj)
    if not isinstance(recipient, str) or recipient.strip() not in listed:
        shown = recipient[:MAX_RECIPIENT] if isinstance(recipient, str) else repr(type(recipient).__name__)
        raise CopiesError(
            f"“{shown}” is not on this report's list of recipients: {'; '.join(listed)}. Name one of them "
            "exactly."
        )
    recipient = recipient.strip()
    if not isinstance(sent_on, date):
        raise CopiesError("Give the day the copy was sent as a date, e.g. 2026-06-20.")
    if sent_on > london_today():
        raise CopiesError(f"The day a copy was sent cannot be in the future ({format_date(sent_on)}).")
    published = published_on(obj)
    if published is not None and sent_on < published:
        raise CopiesError(
            f"A copy cannot be sent before the report was published ({format_date(published)})."
        )
    copies = annotated_tree(obj, COPIES_KEY, create=True)
    if recipient in copies:
        raise CopiesError(
            f"The copy to {recipient} is already recorded as sent on "
            f"{format_date(date.fromisoformat(copies[recipient]['sent_on']))}."
        )
    actor = actor or _current_user()
    copies[recipient] = {
        "sent_on": sent_on.isoformat(),
        "recorded_by": actor,
        "recorded_at": utcnow().isoformat(),
    }
    notify(CopyRecorded(obj, details={"recipient": recipient, "sent_on": sent_on.isoformat()}, actor=actor))
    update_clocks(obj)
    if copies_sent_on(obj) is not None:
        # All sent: the checklist is complete. The transition is the system's, as a quorum's sign-off is.
        with api.env.adopt_roles(["Manager"]):
            api.content.transition(obj=obj, transition="mark_copies_sent")
    return checklist(obj)


def parse_day(value) -> date:
    """A day written YYYY-MM-DD (as a date input sends it).

    :raises CopiesError: anything else, named
    """
    text = value.strip() if isinstance(value, str) else ""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        shown = text[:40] if text else "nothing"
        raise CopiesError(f"“{shown}” is not a date: give the day the copy was sent as YYYY-MM-DD.") from None


def _current_user() -> str | None:
    user = api.user.get_current()
    return user.getId() if user is not None else None


def _state_words(obj) -> str:
    from links.content.words import state_title

    return state_title(obj) or api.content.get_state(obj, default="") or ""


def update_clocks(obj) -> None:
    """Keep the two 30 June clocks in step with the report (added, its year changed, published, copies).

    Each starts on the last day of the year (restarted when the year changes while in draft); the report
    clock stops on the day the report is published, the copies clock on the day the last copy was sent.
    """
    from links.content.periodreport.api import follow_clock

    end = getattr(obj, "period_end", None)
    if end is None or end >= london_today():
        return  # a year not ended is refused by the schema; its clocks would start in the future
    public = api.content.get_state(obj, default=None) in PUBLIC_STATES
    follow_clock(obj, REPORT_CLOCK, end, (published_on(obj) or london_today()) if public else None)
    follow_clock(obj, COPIES_CLOCK, end, copies_sent_on(obj))


def due_dates(obj) -> dict | None:
    """When the report and its copies are due: the clocks' due dates (30 June by default).

    :returns: ``{"report_due", "copies_due"}`` (dates or None), or None before the report has a year
    """
    from links.content.clocks import api as clocks_api

    if getattr(obj, "period_end", None) is None:
        return None
    found = {name: clocks_api.get(obj, name) for name in (REPORT_CLOCK, COPIES_CLOCK)}
    return {
        "report_due": found[REPORT_CLOCK].due if found[REPORT_CLOCK] else None,
        "copies_due": found[COPIES_CLOCK].due if found[COPIES_CLOCK] else None,
    }


def reports(site=None, states: tuple[str, ...] | None = None) -> list:
    """The site's annual reports, newest year first (as the system; callers check View before showing).

    :param states: only reports in these workflow states
    """
    site = site or api.portal.get()
    catalog = api.portal.get_tool("portal_catalog")
    query = {"portal_type": PORTAL_TYPE, "path": "/".join(site.getPhysicalPath())}
    if states:
        query["review_state"] = list(states)
    found = [brain._unrestrictedGetObject() for brain in catalog.unrestrictedSearchResults(**query)]
    return sorted(found, key=lambda o: o.period_start or date.min, reverse=True)
