"""Fixtures of the version history tests: providers and an information request related to one (the
`version_clock` for CMFEditions' timestamps is in tests/content/conftest.py)."""

import pytest
from plone import api
from plone.app.testing import TEST_USER_ID
from plone.app.testing import setRoles

from links.content.history import api as history


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
