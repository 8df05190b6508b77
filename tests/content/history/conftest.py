"""Fixtures of the version history tests: providers, an information request related to one, and a
clock for CMFEditions' version timestamps (so "as of" questions have a past to ask about)."""

from datetime import UTC
from datetime import datetime

import pytest
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles

from links.content.history import api as history


class FakeClock:
    """Replaces ``time`` in CMFEditions' repository tool: versions get the timestamps we set."""

    def __init__(self):
        self.now = datetime(2026, 4, 1, 9, 0, tzinfo=UTC).timestamp()

    def time(self):
        return self.now

    def set(self, *args):
        self.now = datetime(*args, tzinfo=UTC).timestamp()


@pytest.fixture
def version_clock(monkeypatch):
    import Products.CMFEditions.CopyModifyMergeRepositoryTool as tool

    clock = FakeClock()
    monkeypatch.setattr(tool, "time", clock)
    return clock


@pytest.fixture
def manager(portal):
    setRoles(portal, TEST_USER_ID, ["Manager"])
    return portal


def make_provider(portal, title):
    return api.content.create(
        container=portal,
        type="ServiceProvider",
        title=title,
        service_type="care-home",
        address="1 High Street",
    )


@pytest.fixture
def providers(manager):
    return make_provider(manager, "Elm House"), make_provider(manager, "Oak Lodge")


def relate(obj, target):
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    obj.provider = RelationValue(getUtility(IIntIds).getId(target))


@pytest.fixture
def request_record(manager, providers, version_clock):
    """An information request to Elm House (version 0 saved on 1 April 2026)."""
    obj = api.content.create(
        container=manager,
        type="InformationRequest",
        title="Waiting times",
        addressee="Northbridge ICB",
        addressee_kind="commissioner",
        questions="How long do residents wait for a GP visit?",
    )
    relate(obj, providers[0])
    history.save(obj, "Provider linked")
    return obj
