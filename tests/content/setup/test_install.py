"""links.content installs its roles and profile, and uninstalls cleanly."""

import pytest

from links.content.interfaces import ILinksContentLayer
from links.content.roles import ALL_ROLES

PACKAGE = "links.content"


class TestInstall:
    def test_installed(self, installer):
        assert installer.is_product_installed(PACKAGE) is True

    def test_profile_version(self, setup_tool):
        # The version of profiles/default/metadata.xml; upgrade steps lead there from 1000.
        assert setup_tool.getLastVersionForProfile(f"{PACKAGE}:default") == ("1012",)

    def test_browserlayer(self, browser_layers):
        assert ILinksContentLayer in browser_layers

    @pytest.mark.parametrize("role", ALL_ROLES)
    def test_role_defined(self, portal, role):
        assert role in portal.validRoles()

    def test_uninstall_profile_hidden(self, portal):
        from plone.base.interfaces import INonInstallable
        from zope.component import getUtility

        hidden = getUtility(INonInstallable, name=f"{PACKAGE}-hiddenprofiles")
        assert f"{PACKAGE}:uninstall" in hidden.getNonInstallableProfiles()


class TestUninstall:
    @pytest.fixture(autouse=True)
    def uninstalled(self, installer):
        installer.uninstall_product(PACKAGE)

    def test_not_installed(self, installer):
        assert installer.is_product_installed(PACKAGE) is False

    def test_browserlayer_removed(self, browser_layers):
        assert ILinksContentLayer not in browser_layers
