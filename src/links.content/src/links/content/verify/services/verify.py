"""POST <site>/@verify — check a document as the verify page does, answer in JSON.

Body: ``multipart/form-data`` with the PDF as ``file``, or JSON ``{"sha256": "<64 hex>"}`` (a file's
SHA-256 or the issue id of a verification link). Answers 200 with ``verify.api``'s answer (``verdict``,
``headline``, ``issued``, ``sha256``, ``document``, ``signers``, ``signatures``, ``superseded``,
``withdrawn``, ``notes``); 400 no file and no SHA-256, or a malformed one; 413 a file over the limit
(``links.content.verify.max_upload_bytes``); 429 too many checks from one address (``Retry-After``).
Errors are ``{"type", "message"}``. Nothing is written and nothing uploaded is kept, so the request needs
no CSRF token.
"""

from plone.restapi.deserializer import json_body
from plone.restapi.services import Service

from links.content.verify import api
from links.content.verify import limits
from links.content.verify.exceptions import InvalidInput
from links.content.verify.exceptions import TooManyRequests
from links.content.verify.exceptions import VerifyError
from links.content.verify.views import _upload


class VerifyPost(Service):
    """The REST face of the verify page."""

    def reply(self):
        request = self.request
        request.response.setHeader("Cache-Control", "no-store")
        try:
            limits.check_length(request)
            limits.check_rate(request)
            upload = _upload(request.form, "file")
            if upload is not None:
                return api.check_file(limits.read_upload(upload))
            content_type = request.get_header("Content-Type") or ""
            if content_type.startswith("application/json"):
                try:
                    data = json_body(request)
                except Exception:  # plone.restapi raises DeserializationError; any unreadable body is a 400
                    raise InvalidInput("The body is not JSON.") from None
                if isinstance(data, dict) and data.get("sha256"):
                    return api.check_hash(data["sha256"])
            raise InvalidInput('Send the PDF as multipart field "file", or JSON {"sha256": "<64 hex>"}.')
        except VerifyError as error:
            request.response.setStatus(error.status)
            if isinstance(error, TooManyRequests):
                request.response.setHeader("Retry-After", str(error.retry_after))
            return {"type": type(error).__name__, "message": str(error)}
