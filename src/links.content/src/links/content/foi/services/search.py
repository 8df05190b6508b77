"""GET <request>/@foi-search?q=<words>[&on=YYYY-MM-DD][&type=...]: held information at a date."""

from datetime import date

from plone.restapi.services import Service
from zExceptions import BadRequest

from links.content.foi import api


class FOISearchGet(Service):
    """Records (as they were on the request date) that contain the words."""

    def reply(self):
        form = self.request.form
        q = form.get("q") or ""
        if not isinstance(q, str):
            raise BadRequest("Give 'q' once: the words to look for, e.g. ?q=waiting+times.")
        q = q.strip()
        if not q:
            raise BadRequest("Give 'q': the words to look for, e.g. ?q=waiting+times.")
        raw_on = form.get("on")
        if raw_on is not None and not isinstance(raw_on, str):
            raise BadRequest("Give 'on' once, as a date like 2026-05-01.")
        try:
            on = date.fromisoformat(raw_on) if raw_on else self.context.received
        except ValueError:
            raise BadRequest(f"'on' must be a date like 2026-05-01, not {raw_on!r}.") from None
        types = form.get("type") or None
        if isinstance(types, str):
            types = [types]
        try:
            items = api.find_held_information(q, on, portal_types=types)
        except ValueError as error:
            raise BadRequest(str(error)) from None
        return {
            "@id": f"{self.context.absolute_url()}/@foi-search",
            "q": q,
            "on": on.isoformat(),
            "items": items,
            "items_total": len(items),
        }
