"""A record made public carries the date it was made public.

Plone's own publish buttons set the effective date, but transitions fired through ``plone.api`` (the
demo, sign-off, scripts) and our own workflows' public states did not, so published records showed an
effective date of 31 December 1969 (the empty date). Any transition into a state in which anonymous
visitors may view the item, or creation in such a state, now sets it, once. ``effective`` is not part of
the signed hash (``canonical.EXCLUDED_FIELDS``), so signatures are untouched.
"""

from __future__ import annotations

from DateTime import DateTime


def is_public(obj) -> bool:
    """Whether anonymous visitors may view ``obj`` as its workflow state now stands."""
    return "Anonymous" in {
        entry["name"] for entry in obj.rolesOfPermission("View") if entry.get("selected") == "SELECTED"
    }


def first_public_time(obj):
    """When ``obj`` entered a public state first, from its workflow history (None if never or unknown)."""
    for entries in (getattr(obj, "workflow_history", None) or {}).values():
        for entry in entries:
            if entry.get("review_state") == "published" and entry.get("time") is not None:
                return entry["time"]
    return None


def set_publication_date(obj, event) -> None:
    """``IAfterTransitionEvent``: date a record entering a public state (also a public initial state, on
    creation), unless it has a date already."""
    if getattr(obj, "effective_date", None) is not None:
        return
    if is_public(obj):
        obj.setEffectiveDate(DateTime())
        obj.reindexObject(idxs=["effective", "effectiveRange"])
