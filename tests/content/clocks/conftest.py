"""Clock tests run on Documents with the clocks behavior (the record types belong to other areas)."""

from datetime import timedelta

import pytest
from plone import api

from links.content.clocks.calendar import WorkingCalendar
from links.content.words import today as london_today

BEHAVIOR = "links.content.clocks"


def enable_clocks_on_documents(portal):
    """Give Documents the clocks behavior and a workflow (the test layer has no default chain), so
    tests can publish them and the catalog's permission filtering behaves as on a real site."""
    workflow = portal.portal_workflow
    if not workflow.getChainForPortalType("Document"):
        workflow.setChainForPortalTypes(("Document",), ("simple_publication_workflow",))
    fti = portal.portal_types.Document
    if BEHAVIOR not in fti.behaviors:
        # _updateProperty fires the FTI-modified event, which clears dexterity's schema/marker caches.
        fti._updateProperty("behaviors", tuple(fti.behaviors) + (BEHAVIOR,))


def add_user(userid, roles, email=None):
    api.user.create(email=email or f"{userid}@example.org", username=userid, password="secret-password-1")
    api.user.grant_roles(username=userid, roles=roles)
    return userid


@pytest.fixture
def clocks_portal(portal):
    enable_clocks_on_documents(portal)
    return portal


@pytest.fixture
def document(clocks_portal):
    with api.env.adopt_roles(["Manager"]):
        return api.content.create(container=clocks_portal, type="Document", id="record", title="A record")


@pytest.fixture
def manager(clocks_portal):
    """The test acts as a Manager: hand-worked dates in 2024 are far in the past, which only a Manager
    may record (with a reason)."""
    with api.env.adopt_roles(["Manager"]):
        yield


def working_days_ago(n: int, calendar: str = "england-and-wales"):
    """A date with exactly ``n`` working days after it up to and including today."""
    cal = WorkingCalendar(calendar)
    day, count = london_today(), 0
    while True:
        count += cal.is_working_day(day)
        if count == n:
            return day - timedelta(days=1)
        day -= timedelta(days=1)
