"""links.policy:demo 1005 -> 1006: published demo records get the date they were published, and the
reports and decisions are listed with their states.

The demo published its records through ``plone.api``, which sets no effective date, so they showed
31 December 1969. Each public item without a date gets the time it entered the published state (its
workflow history), or its creation time when the history does not say (``links.content.workflows.
publication`` dates new publications).
"""

from plone import api

from links.content.workflows.publication import first_public_time
from links.content.workflows.publication import is_public


def date_publications(context) -> int:
    """Set the missing effective dates; returns how many items were dated."""
    dated = 0
    portal = api.portal.get()
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(path="/".join(portal.getPhysicalPath())):
        obj = brain._unrestrictedGetObject()
        if getattr(obj, "effective_date", None) is not None or not is_public(obj):
            continue
        obj.setEffectiveDate(first_public_time(obj) or obj.created())
        obj.reindexObject(idxs=["effective", "effectiveRange"])
        dated += 1
    return dated


def list_with_states(context) -> None:
    """The demo's reports and decisions folders list each record's state (``@@records-listing``)."""
    from links.policy.demo.records import list_with_states as set_layouts

    set_layouts(api.portal.get())
