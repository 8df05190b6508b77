"""Plone's default view of a record, for people: only the fields that hold something, no "Settings"
(versioning switches), and dates as the network writes them ("28 November 2026", not "28/11/2026")."""

import html
import os
from functools import partial

import plone.app.dexterity.browser
from plone.app.z3cform.interfaces import IAjaxSelectWidget
from plone.app.z3cform.interfaces import IDatetimeWidget
from plone.app.z3cform.interfaces import IDateWidget
from plone.dexterity.browser.view import DefaultView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from z3c.form.interfaces import IDataManager
from zope.component import queryMultiAdapter

from links.content.words import and_join
from links.content.words import format_date
from links.content.words import format_datetime
from links.content.words import person

#: Plone's own view templates (plone.app.dexterity), which these views keep.
TEMPLATES = os.path.dirname(plone.app.dexterity.browser.__file__)
#: Fieldsets that hold site machinery rather than the record (versioning, navigation, ownership).
HIDDEN_GROUPS = frozenset({"settings", "ownership", "categorization", "dates"})
EMPTY = (None, "", [], (), {}, ["--NOVALUE--"])
#: Vocabularies of people: fields using them store user ids, shown by name.
PEOPLE = frozenset(
    {
        "plone.app.vocabularies.Users",
        "links.content.AuthorisedRepresentatives",
        "links.content.GoverningBodyMembers",
    }
)


class RecordView(DefaultView):
    """The "view" of every item type without a page of its own (complaints, FOI and information
    requests, referrals...): Plone's template, with empty fields left out so a new case does not list
    twenty blank headings."""

    index = ViewPageTemplateFile(os.path.join(TEMPLATES, "item.pt"))

    def update(self):
        super().update()
        self._tidy(self.widgets)
        groups = []
        for group in self.groups:
            if group.__name__ in HIDDEN_GROUPS:
                continue
            self._tidy(group.widgets)
            if len(group.widgets):
                groups.append(group)
        self.groups = tuple(groups)

    def _tidy(self, widgets) -> None:
        for name, widget in list(widgets.items()):
            value = self._value(widget)
            if value in EMPTY or getattr(value, "raw", None) == "":
                del widgets[name]
            elif IDatetimeWidget.providedBy(widget):
                widget.render = partial(format_datetime, value)
            elif IDateWidget.providedBy(widget):
                widget.render = partial(format_date, value)
            elif IAjaxSelectWidget.providedBy(widget) and getattr(widget, "vocabulary", None) in PEOPLE:
                userids = [value] if isinstance(value, str) else list(value)
                widget.render = partial(_names, userids)

    def _value(self, widget):
        """The stored value behind a widget (through its data manager, so behaviors are adapted)."""
        manager = queryMultiAdapter((widget.context or self.context, widget.field), IDataManager)
        try:
            return manager.query() if manager is not None else widget.value
        except Exception:  # a field the user may not read: leave the widget as Plone decided
            return widget.value


class RecordContainerView(RecordView):
    """The same for records that hold others (an FOI request holds its redactions)."""

    index = ViewPageTemplateFile(os.path.join(TEMPLATES, "container.pt"))


def _names(userids) -> str:
    """People by name ("Margaret Okafor and David Hughes"), escaped for the page."""
    return html.escape(and_join([person(userid) for userid in userids]))
