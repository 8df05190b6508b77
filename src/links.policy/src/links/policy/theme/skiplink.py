"""The first thing a keyboard reaches on every page: a link straight to the page's content."""

from plone.app.layout.viewlets.common import ViewletBase


class SkipLinkViewlet(ViewletBase):
    def index(self):
        return '<a class="links-skip-link visually-hidden-focusable" href="#content">Skip to main content</a>'
