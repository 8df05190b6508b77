"""GET /@disclosure-log[?b_start=0&b_size=50]: answered requests, without requesters (public)."""

from plone.restapi.services import Service
from zExceptions import BadRequest

from links.content.foi import api


def _int(form, name: str, default: int) -> int:
    raw = form.get(name, default)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise BadRequest(f"'{name}' must be a whole number, not {raw!r}.") from None
    if value < 0:
        raise BadRequest(f"'{name}' must not be negative.")
    return value


class DisclosureLogGet(Service):
    def reply(self):
        start = _int(self.request.form, "b_start", 0)
        size = _int(self.request.form, "b_size", 50)
        total, items = api.disclosure_log(start, size or 50)
        return {
            "@id": f"{self.context.absolute_url()}/@disclosure-log",
            "items": items,
            "items_total": total,
            "b_start": start,
        }
