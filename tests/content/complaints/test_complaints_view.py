"""A complaint's page is the lean record view: every field as text, personal details only for those who
may read them (links.content.records.views.FieldsView), and upgrade 1011 -> 1012 switches existing sites."""

from plone import api


def _page(complaint, userid):
    with api.env.adopt_user(username=userid):
        layout = complaint.getLayout()
        return layout, complaint.restrictedTraverse(layout)()


def test_officer_sees_the_case_and_the_complainant(integration, portal, folder, new_complaint):
    complaint = new_complaint()
    layout, html = _page(complaint, "officer")
    assert layout == "record-view"
    assert complaint.reference in html
    assert "Alice Example" in html and "Nobody called me back about the drop-in." in html
    assert "2 November 2026" in html  # dates in words, as on the other records


def test_auditor_sees_the_case_without_personal_details(integration, portal, folder, new_complaint):
    complaint = new_complaint()
    _layout, html = _page(complaint, "auditor")
    assert complaint.reference in html
    assert "Alice Example" not in html and "alice@example.org" not in html
    assert "Nobody called me back" not in html


def test_upgrade_1011_to_1012(integration, portal):
    from plone.app.testing import TEST_USER_ID
    from plone.app.testing import setRoles

    from links.content.upgrades.v1012 import complaint_record_view

    setRoles(portal, TEST_USER_ID, ["Manager"])
    fti = api.portal.get_tool("portal_types").getTypeInfo("Complaint")
    fti.default_view, fti.view_methods = "view", ("view",)  # as a site made before 1012 has it
    setup = api.portal.get_tool("portal_setup")
    setup.setLastVersionForProfile("links.content:default", "1011")
    steps = [
        step
        for group in setup.listUpgrades("links.content:default")
        for step in (group if isinstance(group, list) else [group])
    ]
    assert [step["dest"] for step in steps] == [("1012",)]

    setup.upgradeProfile("links.content:default")
    assert fti.default_view == "record-view"
    assert tuple(fti.view_methods) == ("record-view", "view")
    complaint_record_view()  # twice changes nothing
    assert tuple(fti.view_methods) == ("record-view", "view")
    assert setup.getLastVersionForProfile("links.content:default") == ("1012",)
