"""The public register of interests and the reminders of overdue declarations."""

from datetime import date
from datetime import timedelta

import pytest
from plone import api

from links.content.clocks import api as clocks_api
from links.content.declarations import api as declarations_api


def _declare(portal, member, **values):
    obj = api.content.create(
        container=portal,
        type="DeclarationOfInterest",
        title=f"Declaration of {member}",
        member=member,
        **values,
    )
    api.content.transition(obj, transition="declare")
    return obj


@pytest.fixture
def declarations(portal, users, provider):
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds

    return {
        "chair": _declare(
            portal,
            "chair",
            employment="Retired head teacher",
            providers=[RelationValue(getUtility(IIntIds).getId(provider))],
        ),
        "member1": _declare(portal, "member1", sensitive=True, sensitive_details="Relative in a refuge"),
    }


def test_register_withholds_sensitive_details(portal, declarations):
    entries = {entry["member"]: entry for entry in declarations_api.register_entries()}
    assert entries["chair"]["categories"][0]["entries"] == ["Retired head teacher"]
    assert entries["chair"]["providers"] == ["Elm Lodge Care Home"]
    assert entries["member1"]["sensitive"] is True
    assert "refuge" not in repr(entries["member1"])


def test_register_page_is_public(portal, declarations, http_request):
    from plone.app.testing import logout

    logout()
    html = portal.restrictedTraverse("@@register-of-interests")()
    assert "Chair Example" in html and "Retired head teacher" in html
    assert "Member1 Example" in html and "withheld" in html
    assert "refuge" not in html


def test_sensitive_details_readable_by_member_not_by_colleague(portal, declarations):
    sensitive = declarations["member1"]
    permission = "links.content: View sensitive interests"
    assert api.user.has_permission(permission, username="member1", obj=sensitive)
    assert not api.user.has_permission(permission, username="chair", obj=sensitive)


def test_conflicts_and_review_clock(portal, declarations, provider):
    assert declarations_api.conflicting_declarations("chair", [provider.UID()]) == [declarations["chair"]]
    assert declarations_api.conflicting_declarations("member1", [provider.UID()]) == []
    clock = clocks_api.get(declarations["chair"], "declaration-review")
    assert clock is not None and clock.started == date.today()


def test_overdue_declarations(portal, declarations):
    today = date.today()
    assert declarations_api.overdue_declarations(today) == []
    declarations["chair"].declared_on = today - timedelta(days=400)
    overdue = declarations_api.overdue_declarations(today)
    assert [(o["userid"], o["reason"]) for o in overdue] == [("chair", "review-overdue")]


def test_a_change_of_interests_starts_the_28_day_update_clock(portal, users):
    # Recorded 40 days after the change: the clock runs from the change and is overdue until declared.
    changed = date.today() - timedelta(days=40)
    draft = api.content.create(
        container=portal, type="DeclarationOfInterest", title="Change", member="chair", date_of_change=changed
    )
    clock = clocks_api.get(draft, "declaration-update")
    assert clock.started == changed and clock.due == changed + timedelta(days=28)
    assert clock.status() == "overdue"
    # Corrected date of change: the clock restarts from it.
    draft.date_of_change = changed + timedelta(days=1)
    from zope.event import notify
    from zope.lifecycleevent import ObjectModifiedEvent

    notify(ObjectModifiedEvent(draft))
    clock = clocks_api.get(draft, "declaration-update")
    assert clock.started == changed + timedelta(days=1)
    api.content.transition(draft, transition="declare")
    clock = clocks_api.get(draft, "declaration-update")
    assert clock.state == "met" and clock.met_on == date.today()
    assert clock.met_late_days == 11 and clock.status_text() == "Met 11 days late"


def test_a_change_declared_in_time_and_a_future_change(portal, users):
    draft = api.content.create(
        container=portal,
        type="DeclarationOfInterest",
        title="Change",
        member="chair",
        date_of_change=date.today(),
    )
    api.content.transition(draft, transition="declare")
    assert clocks_api.get(draft, "declaration-update").met_late_days == 0
    future = api.content.create(
        container=portal,
        type="DeclarationOfInterest",
        title="Future",
        member="member1",
        date_of_change=date.today() + timedelta(days=10),
    )
    assert clocks_api.get(future, "declaration-update") is None
