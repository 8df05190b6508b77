"""The public register of interests (Classic UI)."""

from plone import api
from Products.Five import BrowserView

from links.content import _
from links.content.declarations import api as declarations_api
from links.content.words import format_date

REMINDER_TEXT = {
    "missing": _("You have no current declaration of interests. Please make one."),
    "review-overdue": _("Your declaration of interests is due for its review. Please declare again."),
    "late-update": _("Your last change of interests was declared late. Please declare changes promptly."),
}


class RegisterView(BrowserView):
    """@@register-of-interests: current declarations of governing body members, sensitive ones withheld."""

    links_page_title = _("Register of interests")

    def entries(self):
        return declarations_api.register_entries()

    def format_date(self, value):
        return format_date(value)

    def reminder(self):
        """A notice for the logged-in member whose own declaration is missing or due (None otherwise)."""
        if api.user.is_anonymous():
            return None
        entry = declarations_api.reminder_for(api.user.get_current().getId())
        if entry is None:
            return None
        return {**entry, "text": REMINDER_TEXT[entry["reason"]], "due": format_date(entry["due"])}
