"""GET <record>/@audit and GET <site>/@audit: audit entries, filtered and paged."""

from plone.restapi.services import Service
from zExceptions import BadRequest

from links.content import disclosure
from links.content.audit import api
from links.content.audit.exceptions import InvalidFilter

MAX_PAGE = 1000


def _int(request, name: str, default: int, low: int, high: int) -> int:
    value = request.form.get(name, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadRequest(f"'{name}' must be a whole number, not {value!r}") from None
    if not low <= number <= high:
        raise BadRequest(f"'{name}' must be between {low} and {high}")
    return number


def read_filters(request) -> dict:
    """Filters from the query string, validated; BadRequest (400) says what to fix."""
    try:
        return api.parse_filters(dict(request.form))
    except InvalidFilter as error:
        raise BadRequest(str(error)) from None


class AuditGet(Service):
    """Site-wide trail with filters from, to, actor, action, portal_type, uid; paged by b_start, b_size."""

    def filters(self) -> dict:
        return read_filters(self.request)

    def reply(self):
        filters = self.filters()
        start = _int(self.request, "b_start", 0, 0, 10**12)
        size = _int(self.request, "b_size", 50, 1, MAX_PAGE)
        total, items = api.entries(filters, start=start, limit=size)
        disclosure.withhold_free_text(items)
        return {
            "@id": f"{self.context.absolute_url()}/@audit",
            "items_total": total,
            "b_start": start,
            "b_size": size,
            "items": items,
        }


class RecordAuditGet(AuditGet):
    """The trail of one record (its UID is the filter)."""

    def filters(self) -> dict:
        filters = read_filters(self.request)
        filters["uid"] = self.context.UID()
        return filters
