"""The "History and audit" page of a record (its audit entries and CMFEditions versions), and the public
pages of the trail's signed checkpoints and public key."""

from plone import api as ploneapi
from Products.Five.browser import BrowserView

from links.content import disclosure
from links.content.audit import api
from links.content.audit import display
from links.content.integrity import encode
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
        disclosure.withhold_free_text(items)
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
        # Comments are free text of the record: shown only to who may read its personal fields.
        free_text = disclosure.may_read_free_text(self.context)
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
                    "comment": meta.get("comment", "")
                    if free_text or not meta.get("comment")
                    else "(comment withheld)",
                }
            )
        return rows


class AuditCheckpointsView(BrowserView):
    """The public page of the trail's signed checkpoints: the newest one, the key that signs them and how
    a witness checks them (anyone may read it: checkpoints hold no personal data)."""

    def checkpoint(self) -> dict | None:
        found = api.get_checkpoint(self.context)
        if found is not None:
            found["when"] = format_datetime(found["time"])
            found["json"] = encode({k: v for k, v in found.items() if k not in ("when",)})
        return found

    def fingerprint(self) -> str:
        from links.content.integrity import key_fingerprint
        from links.content.keys.api import public_key

        return key_fingerprint(public_key(self.context.getId()))


class AuditPublicKeyView(BrowserView):
    """``@@audit-public-key``: the site's Ed25519 public key (PEM) that signs checkpoints and seals."""

    def __call__(self):
        from links.content.keys.api import public_key_pem

        self.request.response.setHeader("Content-Type", "application/x-pem-file")
        self.request.response.setHeader("Content-Disposition", 'inline; filename="audit-public-key.pem"')
        return public_key_pem(self.context.getId())
