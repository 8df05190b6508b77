"""Install and uninstall hooks for links.content."""

from plone.base.interfaces import INonInstallable
from zope.interface import implementer


@implementer(INonInstallable)
class HiddenProfiles:
    """Keep the uninstall profile out of the add-ons control panel."""

    def getNonInstallableProfiles(self):
        return ["links.content:uninstall"]

    def getNonInstallableProducts(self):
        return ["links.content.upgrades"]


def post_install(context):
    """Nothing beyond the XML steps yet; feature packages hook in through their own steps."""
    # signing: the site's seal key and PDF certificate are created with the site (outside the ZODB).
    from links.content.keys.api import ensure_keys

    ensure_keys()


def uninstall(context):
    """Nothing beyond the XML steps yet."""
