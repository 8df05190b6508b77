"""GET <site>/@audit-consistency?from=M1&to=M2: RFC 9162 proof that the tree of M1 entries is a prefix of the
tree of M2 entries (``to`` defaults to the whole tree)."""

from plone.restapi.services import Service
from zExceptions import BadRequest

from links.content.audit import api
from links.content.audit.exceptions import InvalidProofRequest


class AuditConsistencyGet(Service):
    def reply(self):
        form = self.request.form
        if "from" not in form:
            raise BadRequest("'from' is required: the size of the older checkpoint")
        try:
            return api.consistency_proof(form["from"], form.get("to"), site=self.context)
        except InvalidProofRequest as error:
            raise BadRequest(str(error)) from None
