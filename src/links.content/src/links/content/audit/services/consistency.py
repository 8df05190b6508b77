"""GET <site>/@audit-consistency?from=M1&to=M2: RFC 9162 proof that the tree of M1 entries is a prefix of the
tree of M2 entries (``to`` defaults to the whole tree). Parameters are checked as for @audit-proof."""

from links.content.audit import api
from links.content.audit.services.proof import AuditProofGet


class AuditConsistencyGet(AuditProofGet):
    required = ("from", "the size of the older checkpoint")

    def prove(self, form: dict) -> dict:
        return api.consistency_proof(form["from"], form.get("to"), site=self.context)
