"""Limits of the public verify page and ``@verify``: upload size and a per-address rate limit.

The size limit (registry ``links.content.verify.max_upload_bytes``, 25 MB by default) is checked on the
request's Content-Length before the upload is touched, and again while reading it (at most limit + 1
bytes), so a client that lies about the length is still refused without the whole file being read into
memory. (The WSGI server spools a request body before Zope sees it; bound that too in production, e.g.
waitress ``max_request_body_size``.)

The rate limit (``links.content.verify.rate_limit`` checks per minute per address, 20 by default) is kept
in this process's memory, not the ZODB: a public, anonymous page must not write to the database on every
request. With several Zope processes each counts its own requests. Nothing uploaded is kept: the bytes
are hashed and checked in memory and dropped with the request.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections import deque

from plone import api

from links.content.verify.exceptions import TooLarge
from links.content.verify.exceptions import TooManyRequests

MAX_UPLOAD_RECORD = "links.content.verify.max_upload_bytes"
RATE_RECORD = "links.content.verify.rate_limit"
DEFAULT_MAX_UPLOAD = 25 * 1000 * 1000
DEFAULT_RATE = 20
#: Room for the multipart envelope around the file (boundaries, headers, the other fields).
ENVELOPE = 64 * 1024
#: Addresses remembered at once (the oldest are forgotten first): memory stays bounded under a flood.
MAX_ADDRESSES = 10_000
WINDOW = 60.0


def _number(name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(api.portal.get_registry_record(name, default=default))
    except (TypeError, ValueError):
        value = default
    return max(low, min(value, high))


def max_upload() -> int:
    """The largest upload accepted, in bytes."""
    return _number(MAX_UPLOAD_RECORD, DEFAULT_MAX_UPLOAD, 1024, 1024**3)


def rate() -> int:
    """Checks allowed per address per minute."""
    return _number(RATE_RECORD, DEFAULT_RATE, 1, 100_000)


def too_large(limit: int) -> TooLarge:
    return TooLarge(
        f"The file is larger than {limit / 1_000_000:g} MB, the most this page checks. Paste its SHA-256 "
        "instead (sha256sum FILE, or certutil -hashfile FILE SHA256 on Windows)."
    )


def check_length(request) -> None:
    """Refuse a request whose declared body is larger than the limit allows (before reading it)."""
    limit = max_upload()
    length = request.get_header("Content-Length") or request.environ.get("CONTENT_LENGTH") or ""
    if str(length).isdigit() and int(length) > limit + ENVELOPE:
        raise too_large(limit)


def read_upload(upload) -> bytes:
    """The bytes of an uploaded file, read up to the limit only.

    :param upload: a ZPublisher ``FileUpload`` (or any binary file object)
    :raises TooLarge: the file is larger than the limit
    """
    limit = max_upload()
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large(limit)
    return data


class RateLimiter:
    """Sliding one-minute window of request times per address (thread-safe, bounded memory)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._seen: OrderedDict[str, deque] = OrderedDict()

    def hit(self, address: str, allowed: int, now: float | None = None) -> int | None:
        """Count a request; None when allowed, else the seconds until the next one is."""
        now = time.monotonic() if now is None else now
        with self._lock:
            times = self._seen.pop(address, None) or deque()
            while times and now - times[0] >= WINDOW:
                times.popleft()
            self._seen[address] = times
            while len(self._seen) > MAX_ADDRESSES:
                self._seen.popitem(last=False)
            if len(times) >= allowed:
                return max(1, int(WINDOW - (now - times[0])) + 1)
            times.append(now)
            return None

    def reset(self) -> None:
        with self._lock:
            self._seen.clear()


LIMITER = RateLimiter()


def check_rate(request) -> None:
    """Count this request against its address; refuse it past the limit.

    :raises TooManyRequests: with the seconds to wait
    """
    address = request.getClientAddr() or "unknown"
    wait = LIMITER.hit(address, rate())
    if wait is not None:
        raise TooManyRequests(
            f"Too many checks from your address: wait {wait} seconds, then try again.", retry_after=wait
        )
