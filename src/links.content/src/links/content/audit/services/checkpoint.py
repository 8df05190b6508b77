"""GET <site>/@audit-checkpoint[?size=N]: the newest signed checkpoint of the trail, or the one at N entries.

Public (anonymous): a checkpoint holds no personal data, only the size and Merkle root of the trail, and
it is only worth something if outsiders keep copies. The answer is the checkpoint itself, byte for byte
what ``links-verify log --checkpoint`` reads, so a witness can save it as it comes.
"""

from plone.restapi.services import Service
from zExceptions import BadRequest
from zExceptions import NotFound

from links.content.audit import api


class AuditCheckpointGet(Service):
    def reply(self):
        size = self.request.form.get("size")
        if size is not None:
            try:
                size = int(size)
            except (TypeError, ValueError):
                raise BadRequest(f"'size' must be a whole number, not {size!r}") from None
            if size < 1:
                raise BadRequest("'size' must be 1 or more")
        checkpoint = api.get_checkpoint(self.context, size)
        if checkpoint is None:
            raise NotFound(
                "No checkpoint at that size." if size else "The audit trail has no signed checkpoint yet."
            )
        return checkpoint
