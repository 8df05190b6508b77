"""GET <site>/@audit-verify: recompute the chain and report the first broken entry."""

from plone.restapi.services import Service

from links.content.audit import api


class AuditVerifyGet(Service):
    def reply(self):
        return api.verify(self.context)
