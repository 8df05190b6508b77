"""links.policy sets up a LINk site: settings, groups with their roles, and a clean uninstall."""

import pytest
from plone import api

from links.content.roles import GROUP_ROLES
from links.policy.interfaces import ILinksPolicyLayer

PACKAGE = "links.policy"
#: The policy's main-menu entries (profiles/default/actions.xml), #17.
MENU = (
    "complain",
    "ask-for-information",
    "share-your-experience",
    "register-of-interests",
    "disclosure-log",
    "clocks-dashboard",
)


class TestInstall:
    def test_installed(self, installer):
        assert installer.is_product_installed(PACKAGE) is True

    def test_depends_on_content(self, installer):
        assert installer.is_product_installed("links.content") is True

    def test_profile_version(self, setup_tool):
        assert setup_tool.getLastVersionForProfile(f"{PACKAGE}:default") == ("1003",)

    def test_browserlayer(self, browser_layers):
        assert ILinksPolicyLayer in browser_layers

    @pytest.mark.parametrize(
        "record,value",
        [
            ("plone.default_language", "en-gb"),
            ("plone.portal_timezone", "Europe/London"),
            ("plone.available_timezones", ["Europe/London"]),
            ("plone.first_weekday", 0),
            ("plone.enable_self_reg", False),
            ("Products.CMFPlone.i18nl10n.override_dateformat.Enabled", True),
            ("Products.CMFPlone.i18nl10n.override_dateformat.date_format_short", "%-d %B %Y"),
            # Themed at every host name, 127.0.0.1 included (#17).
            ("plone.app.theming.interfaces.IThemeSettings.hostnameBlacklist", []),
        ],
    )
    def test_site_setting(self, portal, record, value):
        assert api.portal.get_registry_record(record) == value

    @pytest.mark.parametrize("group_id,role", sorted(GROUP_ROLES.items()))
    def test_group_holds_role(self, portal, group_id, role):
        group = api.group.get(groupname=group_id)
        assert group is not None
        assert role in group.getRoles()

    @pytest.mark.parametrize("action_id", MENU)
    def test_front_door_in_the_menu(self, portal, action_id):
        tabs = api.portal.get_tool("portal_actions").portal_tabs
        assert action_id in tabs.objectIds()

    def test_dates_written_the_english_way(self, portal):
        from DateTime import DateTime
        from Products.CMFPlone.i18nl10n import ulocalized_time

        text = ulocalized_time(
            DateTime("2026/11/23 14:05 Europe/London"), context=portal, request=portal.REQUEST
        )
        assert text == "23 November 2026"
        # No leading zero, also in the long form (the toolbar's and Plone's listings).
        first = DateTime("2026/01/05 10:00 Europe/London")  # winter: the same hour whatever the server's zone
        assert ulocalized_time(first, context=portal, request=portal.REQUEST) == "5 January 2026"
        assert ulocalized_time(first, long_format=True, context=portal, request=portal.REQUEST) == (
            "5 January 2026, 10:00"
        )

    def test_upgrade_to_1001_sets_the_formats(self, portal):
        from links.policy.upgrades.to_1001 import dates_without_leading_zero

        name = "Products.CMFPlone.i18nl10n.override_dateformat.date_format_long"
        api.portal.set_registry_record(name, "%d %B %Y, %H:%M")
        dates_without_leading_zero(None)
        assert api.portal.get_registry_record(name) == "%-d %B %Y, %H:%M"


class TestMailFromEnvironment:
    def test_environment_overrides_mail_settings(self, portal):
        from links.policy.setuphandlers import apply_site_settings

        apply_site_settings(
            {
                "LINKS_SMTP_HOST": "smtp.northbridge.example",
                "LINKS_SMTP_PORT": "587",
                "LINKS_MAIL_FROM_ADDRESS": "link@northbridge.example",
                "LINKS_SITE_TITLE": "Northbridge LINk",
            }
        )
        assert api.portal.get_registry_record("plone.smtp_host") == "smtp.northbridge.example"
        assert api.portal.get_registry_record("plone.smtp_port") == 587
        assert api.portal.get_registry_record("plone.email_from_address") == "link@northbridge.example"
        assert portal.title == "Northbridge LINk"

    def test_unset_variables_leave_defaults(self, portal):
        from links.policy.setuphandlers import apply_site_settings

        apply_site_settings({})
        assert api.portal.get_registry_record("plone.smtp_host") == "localhost"


class TestUninstall:
    @pytest.fixture(autouse=True)
    def uninstalled(self, installer):
        installer.uninstall_product(PACKAGE)

    def test_not_installed(self, installer):
        assert installer.is_product_installed(PACKAGE) is False

    def test_browserlayer_removed(self, browser_layers):
        assert ILinksPolicyLayer not in browser_layers

    def test_menu_entries_removed(self, portal):
        tabs = api.portal.get_tool("portal_actions").portal_tabs
        assert not set(MENU) & set(tabs.objectIds())

    @pytest.mark.parametrize("group_id", sorted(GROUP_ROLES))
    def test_groups_removed(self, portal, group_id):
        assert api.group.get(groupname=group_id) is None
