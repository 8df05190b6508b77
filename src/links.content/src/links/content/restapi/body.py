"""Request bodies of the REST services: a JSON object, or a 400 saying what to send.

plone.restapi's ``json_body`` raises ``DeserializationError`` (a 500) for a body that is not JSON or is a
list; every POST here reads its body through ``json_object`` instead.
"""

import json

from zExceptions import BadRequest


def json_object(request, expected: str) -> dict:
    """The request body as a JSON object.

    :param request: the request
    :param expected: what to send, for the error message (e.g. '{"version": <version id>}')
    :returns: the decoded object
    :raises BadRequest: when the body is not JSON or not an object
    """
    raw = request.get("BODY") or b"{}"
    try:
        body = json.loads(raw)
    except (ValueError, TypeError):
        raise BadRequest(f"The request body must be JSON: send {expected}.") from None
    if not isinstance(body, dict):
        raise BadRequest(f"The request body must be a JSON object: send {expected}.")
    return body
