"""A per-address limit on public submissions, kept in the site (no outside service).

Addresses are stored only as SHA-256 hashes with the times of their last submissions, so the site keeps no
list of who wrote to it. The limit is ``links.content.frontdoor.per_hour`` (registry).
"""

from __future__ import annotations

import time

from BTrees.OOBTree import OOBTree
from plone import api
from zope.annotation.interfaces import IAnnotations

from links.content.frontdoor.exceptions import TooManySubmissions
from links.content.integrity import sha256_hex

KEY = "links.content.frontdoor.submissions"
SETTING = "links.content.frontdoor.per_hour"
WINDOW = 3600
#: Used when the registry record is missing (a site not yet upgraded).
DEFAULT_PER_HOUR = 5


def per_hour() -> int:
    try:
        value = api.portal.get_registry_record(SETTING)
    except (api.exc.InvalidParameterError, KeyError):
        return DEFAULT_PER_HOUR
    return DEFAULT_PER_HOUR if value is None else int(value)


def _storage() -> OOBTree:
    annotations = IAnnotations(api.portal.get())
    if KEY not in annotations:
        annotations[KEY] = OOBTree()
    return annotations[KEY]


def count(address: str, now: float | None = None) -> None:
    """Count one submission from ``address``, or refuse it when the address is over the limit.

    :param address: the sender's IP address (``request.getClientAddr()``)
    :param now: epoch seconds (tests)
    :raises TooManySubmissions: when the address already sent ``per_hour()`` forms in the last hour
    """
    now = time.time() if now is None else now
    storage = _storage()
    key = sha256_hex((address or "unknown").encode())
    recent = tuple(t for t in storage.get(key, ()) if t > now - WINDOW)
    if len(recent) >= per_hour():
        raise TooManySubmissions(
            "This form has been sent from your address too many times in the last hour. Please try again "
            "later, or phone or write to us."
        )
    storage[key] = (*recent, now)
