"""Records API: the authorisation check for visits and the writing of decision statements.

Views, schema invariants and subscribers call these functions; nothing else reaches into the catalog
for authorisations or creates decision statements.
"""

from __future__ import annotations

from datetime import date

from plone import api

from links.content.ids import free_id
from links.content.roles import AUTHORISED_REPRESENTATIVE
from links.content.words import format_date
from links.content.words import fullname

AUTHORISATION_TYPE = "RepresentativeAuthorisation"
DECISION_TYPE = "DecisionStatement"
#: Id of the folder (at the site root) that holds the published decision statements.
DECISIONS_FOLDER = "decisions"


def authorisations_of(userid: str) -> list:
    """All RepresentativeAuthorisation records of one person, newest authorisation first.

    Unrestricted: the check must see the records even when the person saving a report cannot.
    """
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(portal_type=AUTHORISATION_TYPE, record_member=userid)
    found = [brain._unrestrictedGetObject() for brain in brains]
    return sorted(found, key=lambda a: a.authorised_on or date.min, reverse=True)


def _problem_with(authorisation, userid: str, on: date) -> str | None:
    """Why one authorisation does not cover a visit on ``on`` (None when it does)."""
    if authorisation.authorised_on and authorisation.authorised_on > on:
        since = format_date(authorisation.authorised_on)
        return f"was not yet authorised on {format_date(on)} (authorised on {since})"
    if not authorisation.dbs_check_date:
        return "has no DBS check recorded"
    if authorisation.dbs_check_date > on:
        return f"had no DBS check by {format_date(on)}"
    if authorisation.dbs_outcome != "clear":
        return "has a DBS check whose outcome is not “clear”"
    if (authorisation.checked_by or "").strip() in ("", userid):
        return "has a DBS check that was not considered by another person"
    if authorisation.expires_on and authorisation.expires_on < on:
        return f"has an authorisation that expired on {format_date(authorisation.expires_on)}"
    return None


def authorisation_problem(userid: str, on: date) -> str | None:
    """Say why a person may not visit on a date, or None when they may.

    A person may visit when they hold the Authorised Representative role and one of their
    RepresentativeAuthorisation records is in force on the day, with a DBS check considered by
    someone else whose outcome is "clear".

    :param userid: the representative's user id
    :param on: the visit date
    :returns: a message naming the person and the problem, or None
    """
    user = api.user.get(userid=userid)
    if user is None:
        return f"“{userid}” is not a user of this site."
    name = f"{fullname(userid)} ({userid})"
    if AUTHORISED_REPRESENTATIVE not in api.user.get_roles(user=user):
        return f"{name} is not an authorised representative."
    records = authorisations_of(userid)
    if not records:
        return f"{name} has no recorded authorisation to enter and view."
    problems = [_problem_with(record, userid, on) for record in records]
    if None in problems:
        return None
    # Report the newest authorisation's problem: it is the one the person would fix.
    return f"{name} cannot visit on {format_date(on)}: {problems[0]}."


def decisions_folder():
    """The folder of decision statements, created (and published) on first use."""
    portal = api.portal.get()
    folder = portal.get(DECISIONS_FOLDER)
    if folder is None:
        with api.env.adopt_roles(["Manager"]):
            folder = api.content.create(
                container=portal, type="Folder", id=DECISIONS_FOLDER, title="Decisions"
            )
            folder.description = "Statements of relevant decisions and their reasons (SI 2008/528 reg 2)."
            if api.content.get_state(folder, default=None) not in (None, "published"):
                api.content.transition(folder, to_state="published")
    return folder


def record_decision(record, decision: str, reasons: str, category: str, decided_on: date | None = None):
    """Write and publish the statement of a relevant decision about ``record``.

    :param record: the record the decision concerns (a report, the constitution ...)
    :param decision: what was decided, one sentence
    :param reasons: why
    :param category: a token of the DECISION_CATEGORIES vocabulary
    :param decided_on: the date of the decision (today by default)
    :returns: the DecisionStatement
    """
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    folder = decisions_folder()
    intid = getUtility(IIntIds).queryId(record)
    with api.env.adopt_roles(["Manager"]):
        # The relation is passed to create() so it is catalogued by the added event; see ids.free_id.
        return api.content.create(
            container=folder,
            type=DECISION_TYPE,
            id=free_id(folder, decision, default="decision"),
            title=decision[:200],
            decision=decision,
            reasons=reasons or _default_reasons(category),
            category=category,
            decided_on=decided_on or date.today(),
            related_record=RelationValue(intid) if intid is not None else None,
        )


def _default_reasons(category: str) -> str:
    return {
        "refer-report": "The governing body signed off the report under its published procedures.",
        "enter-and-view": (
            "The premises were chosen under the network's enter-and-view procedure and work plan."
        ),
        "activities": "The governing body adopted the constitution under its published procedures.",
    }.get(category, "Decided under the network's published procedures.")
