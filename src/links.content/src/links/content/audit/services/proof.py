"""GET <site>/@audit-proof?seq=N&size=M: RFC 9162 inclusion proof of entry N in the tree of M entries."""

from plone.restapi.services import Service
from zExceptions import BadRequest

from links.content.audit import api
from links.content.audit.exceptions import InvalidProofRequest


class AuditProofGet(Service):
    def reply(self):
        form = self.request.form
        if "seq" not in form:
            raise BadRequest("'seq' is required: the seq of the entry to prove")
        try:
            return api.inclusion_proof(form["seq"], form.get("size"), site=self.context)
        except InvalidProofRequest as error:
            raise BadRequest(str(error)) from None
