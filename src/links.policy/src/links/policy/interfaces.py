"""Interfaces of links.policy."""

from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class ILinksPolicyLayer(IDefaultBrowserLayer):
    """Browser layer of the site policy."""
