"""The "History and audit" page of a record: its audit entries and its CMFEditions versions."""

from plone import api as ploneapi
from Products.Five.browser import BrowserView

from links.content.audit import api
from links.content.audit import display
from links.content.words import format_datetime
from links.content.words import person
from links.content.words import version_label


class HistoryAndAuditView(BrowserView):
    """Guarded by "links.content: View audit trail"; versions are read through the archivist so an
    auditor sees them without holding CMFEditions' own permissions (read-only). The audit entries are
    paged (``b_start``), oldest first, as the trail is written."""

    page_size = 100

    def start(self) -> int:
        try:
            return max(0, int(self.request.form.get("b_start", 0)))
        except (TypeError, ValueError):
            return 0

    def entries(self) -> list[dict]:
        if getattr(self, "_entries", None) is not None:
            return self._entries
        start = self.start()
        self.total, items = api.entries({"uid": self.context.UID()}, start=start, limit=self.page_size)
        self.raw_count = len(items)
        self._entries = display.rows(items, self.context)
        return self._entries

    def pages(self) -> dict:
        """Where this page of entries sits and the links to the pages before and after it."""
        entries = self.entries()
        start, url = self.start(), f"{self.context.absolute_url()}/@@history-and-audit"
        shown = start + self.raw_count
        return {
            "first": start + 1 if entries else 0,
            "last": shown,
            "total": self.total,
            "previous": f"{url}?b_start={max(0, start - self.page_size)}" if start > 0 else None,
            "next": f"{url}?b_start={start + self.page_size}" if shown < self.total else None,
        }

    def export_url(self) -> str:
        """The site's export filtered to this record: a plain link downloads it (``@audit-export``)."""
        return f"{ploneapi.portal.get().absolute_url()}/@audit-export?uid={self.context.UID()}"

    def can_read_versions(self) -> bool:
        return ploneapi.user.has_permission("CMFEditions: Access previous versions", obj=self.context)

    def versions(self) -> list[dict]:
        archivist = ploneapi.portal.get_tool("portal_archivist")
        try:
            history = archivist.getHistoryMetadata(self.context)
        except Exception:  # never versioned
            return []
        if not history:
            return []
        rows = []
        for index in range(history.getLength(countPurged=False)):
            meta = history.retrieve(index, countPurged=False)["metadata"]["sys_metadata"]
            rows.append(
                {
                    "version": version_label(history.getVersionId(index, countPurged=False)),
                    "author": person(meta.get("principal", "")),
                    "when": format_datetime(meta.get("timestamp", 0)),
                    "comment": meta.get("comment", ""),
                }
            )
        return rows
