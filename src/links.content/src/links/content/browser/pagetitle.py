"""Page titles and breadcrumbs for the pages that are views of the site root.

Plone titles every view of the site root with the site's name and gives it the breadcrumb "Home" only, so
the disclosure log, the register of interests, the dashboard and the public forms all looked like the home
page. A view that has ``links_page_title`` gets that title in the browser tab and as its own breadcrumb.
"""

from html import escape

from plone.app.layout.viewlets.common import PathBarViewlet
from plone.app.layout.viewlets.common import TitleViewlet

from links.content.words import translate


def page_title(view) -> str | None:
    """The title a view of the site root gives itself, in words (None when it has none)."""
    title = getattr(view, "links_page_title", None)
    return translate(title) if title else None


class RootViewTitleViewlet(TitleViewlet):
    """ "Disclosure log — Northbridge Local Involvement Network" rather than the site name alone."""

    def update(self):
        super().update()
        title = page_title(self.view)
        if title:
            self.site_title = self.sep.join([escape(title), self.site_title_setting])


class RootViewPathBarViewlet(PathBarViewlet):
    """ "Home › Disclosure log" rather than "Home" alone."""

    def update(self):
        super().update()
        title = page_title(self.view)
        if title:
            url = self.request.get("ACTUAL_URL") or self.request.getURL()
            self.breadcrumbs = (*self.breadcrumbs, {"absolute_url": url, "Title": title})
