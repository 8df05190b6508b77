"""Side effects on declarations: ownership by the member, the confidential marker, superseding."""

from __future__ import annotations

import contextlib
import logging

from plone import api
from zope.interface import alsoProvides
from zope.interface import noLongerProvides

from links.content.interfaces import IConfidentialRecord
from links.content.words import today

logger = logging.getLogger(__name__)


def sync_member_and_sensitivity(obj, event):
    """Added or edited: the member owns their declaration; a sensitive one is a confidential record.

    Ownership gives the member the right to read their sensitive details (VIEW_SENSITIVE is granted
    to Owner) even when someone in the host's staff typed the declaration in.
    """
    member = (obj.member or "").strip()
    if (
        member
        and api.user.get(userid=member) is not None
        and "Owner" not in obj.get_local_roles_for_userid(member)
    ):
        obj.manage_addLocalRoles(member, ["Owner"])
        obj.reindexObjectSecurity()
    if obj.sensitive:
        alsoProvides(obj, IConfidentialRecord)
    else:
        noLongerProvides(obj, IConfidentialRecord)
    obj.reindexObject(idxs=["object_provides", "record_member", "provider_uids"])


def track_update(obj, event):
    """Added or edited before it is declared: the 28-day update clock runs from the date of change.

    A member records a change of interests by starting a declaration with its date of change; the
    clock "declaration-update" (28 days following that date) runs until the declaration is declared,
    and restarts if the date of change is corrected. A change dated in the future starts no clock yet.
    """
    from links.content.clocks import api as clocks_api

    changed = getattr(obj, "date_of_change", None)
    if getattr(obj, "declared_on", None) or changed is None or changed > today():
        return
    if changed < clocks_api.EARLIEST_START:  # a typing error the form shows; no clock from year 202
        return
    clock = clocks_api.get(obj, UPDATE_CLOCK)
    if clock is None or clock.started != changed:
        clocks_api.start(obj, UPDATE_CLOCK, started=changed)


def supersede_previous(obj, event):
    """A member declared: note the date, stop the update clock and supersede their previous declaration."""
    obj.declared_on = today()
    _stop_update_clock(obj)
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(
        portal_type="DeclarationOfInterest", review_state="declared", record_member=obj.member
    ):
        older = brain._unrestrictedGetObject()
        if older.UID() == obj.UID():
            continue
        with api.env.adopt_roles(["Manager"]):
            api.content.transition(older, transition="supersede")
        _stop_review_clock(older)
    _start_review_clock(obj)


#: The yearly review of a declaration, and the 28 days to declare a change (registry/clocks.xml).
REVIEW_CLOCK = "declaration-review"
UPDATE_CLOCK = "declaration-update"


def _stop_update_clock(obj) -> None:
    from links.content.clocks import api as clocks_api

    clock = clocks_api.get(obj, UPDATE_CLOCK)
    if clock is not None and clock.is_open:
        clocks_api.stop(obj, UPDATE_CLOCK, on=max(obj.declared_on, clock.started))


def _start_review_clock(obj) -> None:
    """A declaration is due for review a year after it is declared: the clocks' reminders say so."""
    from links.content.clocks import api as clocks_api
    from links.content.clocks.exceptions import ClockError

    try:
        clocks_api.start(obj, REVIEW_CLOCK)
    except ClockError:
        # A site without the rule still has declarations_api.overdue_declarations().
        logger.warning("No %s clock rule configured; declaration reviews are not clocked.", REVIEW_CLOCK)


def _stop_review_clock(obj) -> None:
    from links.content.clocks import api as clocks_api
    from links.content.clocks.exceptions import ClockError

    # A declaration made before clocks existed has none to stop.
    with contextlib.suppress(ClockError):
        clocks_api.stop(obj, REVIEW_CLOCK)
