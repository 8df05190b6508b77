"""GET <record>/@compare?from=<version id>&to=<version id>."""

from plone.restapi.services import Service
from zExceptions import BadRequest
from zExceptions import NotFound

from links.content import disclosure
from links.content.history import api
from links.content.history.exceptions import NoSuchVersion
from links.content.history.exceptions import NotVersioned


def version_param(request, name: str) -> int:
    """An integer version id from the query string, or 400 saying what to send."""
    raw = request.form.get(name)
    if raw in (None, ""):
        raise BadRequest(f"Give '{name}' as a version id (0 is the first version), e.g. ?from=0&to=2.")
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise BadRequest(f"'{name}' must be a whole number (a version id), not {raw!r}.") from None
    if value < 0:
        raise BadRequest(f"'{name}' must not be negative.")
    return value


class CompareGet(Service):
    """Two versions of the record, field by field, with which fields changed."""

    def reply(self):
        from_id = version_param(self.request, "from")
        to_id = version_param(self.request, "to")
        try:
            result = disclosure.compare(self.context, from_id, to_id)
        except NoSuchVersion as error:
            raise BadRequest(str(error)) from None
        except NotVersioned as error:
            raise NotFound(str(error)) from None
        return {
            "@id": f"{self.context.absolute_url()}/@compare?from={from_id}&to={to_id}",
            "from": api.to_json(result["from"]),
            "to": api.to_json(result["to"]),
            "fields": result["fields"],
            "changed": result["changed"],
        }
