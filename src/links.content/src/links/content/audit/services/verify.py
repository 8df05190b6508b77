"""GET <site>/@audit-verify: recompute the chain and report the first broken entry.

``?scope=chain`` checks the chain alone (fast); by default the versions and signatures the chain witnesses
are checked too."""

from plone.restapi.services import Service
from zExceptions import BadRequest

from links.content.audit import api


class AuditVerifyGet(Service):
    def reply(self):
        scope = self.request.form.get("scope", "all")
        if scope not in ("all", "chain"):
            raise BadRequest(f"'scope' must be 'all' (the default) or 'chain', not {scope!r}.")
        return api.verify(self.context, records=scope == "all")
