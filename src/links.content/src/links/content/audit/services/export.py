"""GET <site>/@audit-export?format=csv|jsonl: the trail (filtered like @audit), streamed.

``render`` returns a stream iterator instead of JSON. The publisher consumes it after the request's ZODB
connection is closed, so the iterator reads through its own connection, a bucket at a time: memory stays
flat whatever the range.
"""

import transaction
from plone.restapi.services import Service
from Products.Five.browser import BrowserView
from zExceptions import BadRequest
from zope.interface import implementer
from ZPublisher.Iterators import IUnboundStreamIterator

from links.content import disclosure
from links.content.audit import api
from links.content.audit.services.get import read_filters
from links.content.audit.storage import get_log

FORMATS = {
    "csv": ("text/csv; charset=utf-8", api.export_csv),
    "jsonl": ("application/x-ndjson; charset=utf-8", api.export_jsonl),
}


@implementer(IUnboundStreamIterator)
class ExportStream:
    """Yields encoded chunks read through a private connection, closed when done."""

    def __init__(self, db, oid, exporter, filters, shown=None):
        self.db, self.oid, self.exporter, self.filters, self.shown = db, oid, exporter, filters, shown
        self._chunks = None
        self._conn = None

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        if self._chunks is None:
            if self.oid is None:
                raise StopIteration
            manager = transaction.TransactionManager()
            self._conn = self.db.open(transaction_manager=manager)
            self._chunks = self.exporter(self.filters, log=self._conn.get(self.oid), shown=self.shown)
        try:
            return next(self._chunks).encode("utf-8")
        except BaseException:
            self.close()
            raise

    def close(self):
        if self._conn is not None:
            self._conn.transaction_manager.abort()
            self._conn.close()
            self._conn = None


def export(site, request) -> ExportStream:
    """Set the response up for a download of the trail and return the stream: the REST service and the
    browser link (``@audit-export`` without an Accept header) both answer through here.

    :raises BadRequest: an unknown format or a malformed filter
    """
    name = request.form.get("format", "jsonl")
    if name not in FORMATS:
        raise BadRequest(f"'format' must be one of {', '.join(sorted(FORMATS))}, not {name!r}")
    filters = read_filters(request)
    content_type, exporter = FORMATS[name]
    log = get_log(site)
    api.record_read(
        "audit.exported",
        None,
        {"format": name, "filters": {k: v for k, v in filters.items() if not k.endswith("_day")}},
        site_id=site.getId(),
    )
    response = request.response
    response.setHeader("Content-Type", content_type)
    response.setHeader("Content-Disposition", f'attachment; filename="audit.{name}"')
    oid = log._p_oid if log is not None else None
    db = site._p_jar.db()
    api.checkpoint_committed(site)  # a signed checkpoint of the trail as exported (#15)
    # Free text the reader may not read is withheld (decided now, in the reader's security context, #12).
    return ExportStream(db, oid, exporter, filters, disclosure.free_text_filter())


class AuditExportGet(Service):
    def render(self):
        self.check_permission()
        return export(self.context, self.request)


class AuditExportDownload(BrowserView):
    """``<site>/@audit-export?format=csv`` opened from a link: the same download without
    ``Accept: application/json`` (an auditor's browser sends none)."""

    def __call__(self):
        return export(self.context, self.request)
