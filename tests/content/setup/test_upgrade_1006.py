"""The 1005 -> 1006 upgrade step: records created under 1005 get the per-state version, revert and clock
permissions of their workflow (#12)."""

from datetime import date

from plone import api

from links.content import roles
from links.content.foi import api as foi
from links.content.testing import add_users

PROFILE = "links.content:default"
MANAGED = ("CMFEditions: Access previous versions", "links.content: Manage clocks")


def test_upgrade_to_1006(portal):
    setup_tool = api.portal.get_tool("portal_setup")
    with api.env.adopt_roles(["Manager"]):
        add_users(
            portal,
            {"upgrade-member": [roles.GOVERNING_BODY_MEMBER], "upgrade-staff": [roles.HOST_STAFF]},
            "pw-upgrade-1006",
        )
        request = foi.create_request(portal, received=date(2026, 11, 2), summary="Old", requester_name="X")
    # As 1005 left it: the permissions acquired from the site, where a governing body member reads
    # previous versions of everything.
    for permission in MANAGED:
        request.manage_permission(permission, roles=[], acquire=True)
    gbm = api.user.get(userid="upgrade-member")
    assert api.user.has_permission(MANAGED[0], user=gbm, obj=request)
    setup_tool.setLastVersionForProfile(PROFILE, "1005")

    setup_tool.upgradeProfile(PROFILE, dest="1006")

    assert setup_tool.getLastVersionForProfile(PROFILE) == ("1006",)
    assert not api.user.has_permission(MANAGED[0], user=gbm, obj=request)
    assert api.user.has_permission(MANAGED[0], user=api.user.get(userid="upgrade-staff"), obj=request)
    assert api.user.has_permission(MANAGED[1], user=api.user.get(userid="upgrade-staff"), obj=request)
