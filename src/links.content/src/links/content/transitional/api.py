"""Transitional report API: the period's figures, the statutory due dates and the signed report.

Reg 15 of SI 2008/528: the report is prepared within two months of the host ceasing its activities and
copies go to the host, the local authority and the Secretary of State within three. Both are calendar-month
clocks (same date n months later, the month's last day if there is none) started from "ceased on".
"""

from __future__ import annotations

from datetime import date

from plone import api

from links.content.periodreport.api import store_figures
from links.content.transitional import activities
from links.content.transitional.events import ActivitiesCounted
from links.content.words import add_months

PORTAL_TYPE = "TransitionalReport"
#: Clock rule names (registry links.content.clocks.rules).
PREPARATION_CLOCK = "transitional-report"
COPIES_CLOCK = "transitional-report-copies"
#: Months after ceasing, used when the clock rules are not configured.
PREPARATION_MONTHS = 2
COPIES_MONTHS = 3
SIGNED_STATES = ("signed_off", "published")


def take_snapshot(obj, today: date | None = None, actor: str | None = None) -> dict:
    """Count the period's activities and store them on the report (what the governing body signs).

    :param obj: a TransitionalReport
    :param today: the day the figures are taken (default: today)
    :param actor: who caused it (for the audit trail)
    :returns: the figures (see ``activities.count``)
    """
    data = activities.count(api.portal.get(), obj.period_start, obj.period_end, today=today)
    return store_figures(obj, data, ActivitiesCounted, actor=actor)


def due_dates(obj) -> dict | None:
    """When the report and its copies are due, counted from "ceased on".

    :param obj: a TransitionalReport
    :returns: ``{"ceased_on", "report_due", "copies_due"}`` (dates), or None when "ceased on" is empty
    """
    ceased = getattr(obj, "ceased_on", None)
    if not ceased:
        return None
    return {
        "ceased_on": ceased,
        "report_due": add_months(ceased, PREPARATION_MONTHS),
        "copies_due": add_months(ceased, COPIES_MONTHS),
    }


def copies_sent_on(obj) -> date | None:
    """The day the last of the three copies was sent, or None while any is still to send."""
    from links.content.transitional.report import RECIPIENT_FIELDS

    sent = [getattr(obj, name, None) for name, _title in RECIPIENT_FIELDS]
    return max(sent) if all(sent) else None


def signed_report(site=None):
    """The signed-off transitional report of the site with the latest period, or None.

    :param site: the Plone site (default: the current one)
    :returns: a TransitionalReport in "signed_off" or "published" with a signed PDF, or None
    """
    from links.content.signing.api import signed_pdf

    site = site or api.portal.get()
    catalog = api.portal.get_tool("portal_catalog")
    found = []
    for brain in catalog.unrestrictedSearchResults(
        portal_type=PORTAL_TYPE, review_state=SIGNED_STATES, path="/".join(site.getPhysicalPath())
    ):
        obj = brain._unrestrictedGetObject()
        if signed_pdf(obj) is not None:
            found.append(obj)
    if not found:
        return None
    return max(found, key=lambda o: (o.period_end or date.min, o.created()))
