"""Period report API: what the transitional and the annual report do the same way.

Storing the figures taken on submission (so members sign what they read), turning workflow transitions
into the type's domain events, the day a report was signed off, and deadlines as people read them.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from datetime import datetime

from plone import api
from zope.event import notify

from links.content.events import current_actor
from links.content.events import transition_details
from links.content.words import LONDON
from links.content.words import format_date
from links.content.words import today as london_today

logger = logging.getLogger(__name__)


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def store_figures(obj, data: dict, event_factory, actor: str | None = None, **snapshots) -> dict:
    """Store the figures (and any other snapshot taken with them) on the report, as the system.

    No form or client can write these fields (their write permission is granted to no role). Pending
    approvals were given to other figures, so they are superseded; a new version is due.

    :param obj: a period report
    :param data: the figures (see ``figures.document``)
    :param event_factory: the type's "figures counted" RecordEvent class
    :param actor: who caused it (for the audit trail)
    :param snapshots: further fields to store as JSON (e.g. ``counted_records``)
    :returns: ``data``
    """
    from links.content.signing.api import supersede_pending

    obj.activities = _json(data)
    for name, value in snapshots.items():
        setattr(obj, name, _json(value))
    obj.setModificationDate()  # CMFEditions compares modification dates to decide a version is due
    obj.reindexObject(idxs=["modified"])
    supersede_pending(obj, actor=actor)
    notify(
        event_factory(
            obj,
            details={"totals": {s["key"]: s["total"] for s in data["sections"]}, "period": data["period"]},
            actor=actor,
        )
    )
    return data


def announce_transition(obj, event, transition_events: dict, take_snapshot) -> str | None:
    """IAfterTransitionEvent of a period report: take the figures on submission, then announce the type's
    domain event for the transition.

    :param transition_events: transition id -> RecordEvent class
    :param take_snapshot: ``take_snapshot(obj, actor=...)`` of the type
    :returns: the transition id (None on creation)
    """
    if event.transition is None:
        return None  # creation: the workflow sets the initial state
    actor = current_actor()
    if event.transition.id == "submit":
        take_snapshot(obj, actor=actor)
    factory = transition_events.get(event.transition.id)
    if factory is not None:
        notify(factory(obj, details=transition_details(event), actor=actor))
    return event.transition.id


def clock_configured(name: str) -> bool:
    """Whether the clock rule ``name`` is configured (a broken rules record is logged, not raised)."""
    from links.content.clocks import api as clocks_api
    from links.content.clocks.exceptions import ClockError

    try:
        return name in clocks_api.configured_rules()
    except ClockError:
        logger.exception("The clock rules cannot be read")
        return False


def follow_clock(obj, name: str, started: date, met_on: date | None = None) -> None:
    """Keep a report's clock in step with it: started on ``started`` (restarted if that day changed), and
    stopped on ``met_on`` once the deadline is met (never before the clock started). A clock rule the site
    has not configured is left alone; a met clock stays met.
    """
    from links.content.clocks import api as clocks_api

    if not clock_configured(name):
        return
    clock = clocks_api.get(obj, name)
    if clock is None or clock.started != started:
        clock = clocks_api.start(obj, name, started=started)
    if clock.met_on is None and met_on is not None:
        clocks_api.stop(obj, name, on=max(met_on, clock.started))


def signed_on(obj) -> date:
    """The day (London) the report was last signed off, from the signing area (today if unknown)."""
    from links.content.signing.api import latest_signoff

    signoff = latest_signoff(obj)
    if signoff is None:
        return london_today()
    return datetime.fromisoformat(signoff["time"]).astimezone(LONDON).date()


def deadline_row(what: str, due: date, met: date | None, today: date | None = None) -> dict:
    """A deadline as a page shows it: what, due by, done on, and Met / Met late / Overdue / Open.

    :returns: ``{"what", "due", "met", "status"}`` (dates in words)
    """
    if met is not None:
        status = "Met" if met <= due else "Met late"
    else:
        status = "Overdue" if (today or london_today()) > due else "Open"
    return {"what": what, "due": format_date(due), "met": format_date(met) if met else "", "status": status}


#: At most this many counted records are linked from one report (a year's records are far fewer).
MAX_LINKED = 20000


def counted_records(obj) -> dict[str, dict[str, list[str]]]:
    """Which records each figure counts, as stored with the figures (section -> row -> UIDs); {} if none.

    Trusted code only: the field's read permission is granted to no role, and every reader gets the links
    through ``visible_records``, filtered to the records they may see.
    """
    text = getattr(obj, "counted_records", None)
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    result = {}
    for key, rows in data.items():
        if isinstance(rows, dict):
            result[str(key)] = {
                str(row): [str(u) for u in uids if isinstance(u, str)]
                for row, uids in rows.items()
                if isinstance(uids, list)
            }
    return result


def visible_records(obj):
    """The gate for the links of a report's figures: ``links(section, row)`` lists ``(title, url)`` of the
    counted records the current user may View, checked record by record. Others see the number only: a
    record they may not see is neither linked nor named.

    :param obj: a period report
    :returns: a function ``(section key, row label) -> [(title, url), ...]``
    """
    from AccessControl import Unauthorized

    records = counted_records(obj)
    uids = list(dict.fromkeys(u for rows in records.values() for found in rows.values() for u in found))
    uids = uids[:MAX_LINKED]
    seen: dict[str, tuple[str, str]] = {}
    if uids:
        catalog = api.portal.get_tool("portal_catalog")
        # searchResults already keeps to what the user may View; each object is checked again below.
        for brain in catalog.searchResults(UID=uids):
            try:
                target = brain.getObject()
            except (Unauthorized, KeyError, AttributeError):
                continue
            if api.user.has_permission("View", obj=target):
                seen[brain.UID] = (target.Title() or brain.getId, target.absolute_url())

    def links(section: str, row: str) -> list[tuple[str, str]]:
        return [seen[uid] for uid in records.get(section, {}).get(row, []) if uid in seen]

    return links
