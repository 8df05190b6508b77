"""GET <site>/@audit-proof?seq=N&size=M: RFC 9162 inclusion proof of entry N in the tree of M entries."""

from plone.restapi.services import Service
from zExceptions import BadRequest

from links.content.audit import api
from links.content.audit.exceptions import InvalidProofRequest


class AuditProofGet(Service):
    #: the parameter without which there is nothing to prove, and what it is
    required = ("seq", "the seq of the entry to prove")

    def prove(self, form: dict) -> dict:
        return api.inclusion_proof(form["seq"], form.get("size"), site=self.context)

    def reply(self):
        name, meaning = self.required
        if name not in self.request.form:
            raise BadRequest(f"'{name}' is required: {meaning}")
        try:
            return self.prove(self.request.form)
        except InvalidProofRequest as error:
            raise BadRequest(str(error)) from None
