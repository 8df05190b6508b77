"""``@@records-listing``: a folder's records with the state each is in, so a governing body member sees at a
glance which report waits for their signature (Plone's folder listings show no state, #17)."""

from plone import api
from Products.Five.browser import BrowserView

from links.content.words import format_date
from links.content.words import state_title
from links.content.words import type_title


class RecordsListingView(BrowserView):
    def rows(self) -> list[dict]:
        """The folder's items the user may see, newest change first: title, type, state, date."""
        brains = api.content.find(context=self.context, depth=1, sort_on="modified", sort_order="descending")
        rows = []
        for brain in brains:
            obj = brain.getObject()
            rows.append(
                {
                    "title": brain.Title,
                    "url": brain.getURL(),
                    "type": type_title(brain.portal_type),
                    "state": state_title(obj) or "",
                    "modified": format_date(brain.modified),
                }
            )
        return rows
