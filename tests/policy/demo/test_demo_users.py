"""The demo profile creates every documented demo user in the right group, and pages for the public."""

import pytest
from plone import api

from links.policy.demo.users import DEMO_PASSWORD
from links.policy.demo.users import DEMO_USERS


@pytest.mark.parametrize("user_id,fullname,group_id", DEMO_USERS)
def test_demo_user(portal, user_id, fullname, group_id):
    user = api.user.get(userid=user_id)
    assert user.getProperty("fullname") == fullname
    assert group_id in [g.id for g in api.group.get_groups(user=user)]


def test_demo_password_authenticates(portal):
    assert portal.acl_users.authenticate("chair", DEMO_PASSWORD, portal.REQUEST) is not None


def test_governing_body_has_seven_members(portal):
    members = api.user.get_users(groupname="governing-body")
    assert sorted(m.getId() for m in members) == sorted(["chair"] + [f"member{n}" for n in range(1, 7)])


def test_chair_holds_governing_body_role(portal):
    assert "Governing Body Member" in api.user.get_roles(username="chair")


@pytest.mark.parametrize("page_id", ["about", "how-we-make-decisions", "get-involved"])
def test_public_pages_published(portal, page_id):
    assert api.content.get_state(portal[page_id]) == "published"


def test_demo_profile_is_idempotent(portal):
    from links.policy.demo import install

    before = len(api.user.get_users())
    install(None)
    assert len(api.user.get_users()) == before
