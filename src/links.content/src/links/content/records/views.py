"""Classic UI views of the enter-and-view report and the constitution."""

from plone import api
from Products.Five import BrowserView

from links.content.records.vocabularies import VISIT_ANNOUNCEMENTS
from links.content.words import format_date
from links.content.words import fullname
from links.content.words import person
from links.content.words import state_title


class _RecordView(BrowserView):
    def format_date(self, value):
        return format_date(value)

    def state_title(self):
        """The workflow state in words, e.g. "Awaiting sign-off"."""
        return state_title(self.context) or api.content.get_state(self.context, default=None) or ""

    def html(self, name):
        """The rendered output of a RichText field, or '' when empty.

        Kept for the rest of the page: templates ask twice per field (whether to show it, then its text),
        and each ask runs the safe-HTML transform chain again.
        """
        rendered = self.__dict__.setdefault("_html", {})
        if name not in rendered:
            value = getattr(self.context, name, None)
            rendered[name] = value.output if value else ""
        return rendered[name]


class ReportView(_RecordView):
    """report-view: the report laid out as published enter-and-view reports are."""

    def provider(self):
        relation = self.context.provider
        target = getattr(relation, "to_object", None)
        if target is None or not api.user.has_permission("View", obj=target):
            return None
        return {"title": target.title, "url": target.absolute_url(), "address": target.address}

    def visitors(self):
        lead = self.context.lead
        return [
            {"name": fullname(userid), "lead": userid == lead}
            for userid in (self.context.representatives or [])
        ]

    def announcement(self):
        value = self.context.announcement
        return VISIT_ANNOUNCEMENTS.getTerm(value).title if value in VISIT_ANNOUNCEMENTS else ""

    def times(self):
        start, end = self.context.start_time, self.context.end_time
        if start and end:
            return f"{start:%H:%M} to {end:%H:%M}"
        return f"{start:%H:%M}" if start else ""

    def distribution(self):
        return [line.strip() for line in (self.context.distribution_list or "").splitlines() if line.strip()]


class ConstitutionView(_RecordView):
    """constitution-view: one version of the constitution, with links to the other versions."""

    def versions(self):
        """Every version the current user may see, newest first."""
        brains = api.content.find(portal_type="Constitution", sort_on="created", sort_order="descending")
        return [
            {
                "title": brain.Title,
                "url": brain.getURL(),
                "state": brain.review_state,
                "current": self.context.UID() == brain.UID,
            }
            for brain in brains
        ]


class FieldsView(_RecordView):
    """record-view: every field of the record's own schema, as plain text with dates in words.

    Used by the simpler record types (provider, declaration, authorisation, decision statement) instead
    of the default display widgets, which show dates in the locale's short form. Fields protected by a
    read permission (e.g. a declaration's sensitive details) are left out unless the user holds it.
    """

    def fields(self):
        from plone.dexterity.utils import iterSchemata
        from zope.schema import getFieldsInOrder

        from links.content import disclosure

        schema = next(iter(iterSchemata(self.context)))
        readable = disclosure.readable_fields(self.context)  # the one rule for every read path (#12)
        rows = []
        for name, field in getFieldsInOrder(schema):
            if name not in readable:
                continue
            value = getattr(self.context, name, None)
            shown = self.render_value(field, value)
            if shown is None:
                continue
            rows.append({"name": name, "label": field.title, **shown})
        return rows

    def render_value(self, field, value):
        """{"text": ..., "html": ..., "url": ...} for one value; None for an empty one."""
        from datetime import date
        from datetime import datetime

        from plone.app.textfield.value import RichTextValue
        from zope.schema.interfaces import IChoice

        if value in (None, "", [], (), set()):
            return None
        if isinstance(value, RichTextValue):
            return {"html": value.output}
        if isinstance(value, datetime):
            return {"text": f"{format_date(value.date())}, {value:%H:%M}"}
        if isinstance(value, date):
            return {"text": format_date(value)}
        if isinstance(value, bool):
            return {"text": "Yes" if value else "No"}
        if hasattr(value, "to_object"):
            target = value.to_object
            if target is None or not api.user.has_permission("View", obj=target):
                return None
            return {"text": target.title, "url": target.absolute_url()}
        if isinstance(value, (list, tuple, set)):
            items = [self.render_value(getattr(field, "value_type", None), item) for item in value]
            return {"items": [item for item in items if item]}
        if field is not None and IChoice.providedBy(field):
            vocabulary = field.bind(self.context).vocabulary
            if vocabulary is not None and value in vocabulary:
                return {"text": vocabulary.getTerm(value).title}
        if getattr(field, "__name__", None) in self.USER_FIELDS:
            return {"text": person(value)}
        return {"text": str(value)}

    #: Fields that hold a user id: shown as the person's name (the id too, for administrators).
    USER_FIELDS = (
        "member",
        "representative",
        "checked_by",
        "investigating_officer",
        "participant_concerned",
        "lead",
    )
