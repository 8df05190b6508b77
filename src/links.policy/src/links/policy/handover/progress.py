"""Progress of long exports and imports: on the console and for ``GET @handover-status``.

The status lives in process memory (one entry per site id): a status request served by another thread of
the same instance sees the running operation; nothing is written to the ZODB for it.
"""

import sys
import threading
import time

_lock = threading.Lock()
_status: dict[str, dict] = {}


def status(site_id: str) -> dict:
    """The last known progress of an export or import on ``site_id`` (empty dict if none ran)."""
    with _lock:
        return dict(_status.get(site_id, {}))


class Progress:
    """Counts records done against a total and reports rate and time left.

    :param site_id: the site whose status this updates
    :param operation: "export" or "import"
    :param stream: where console lines go (None: no console output)
    :param every: seconds between console lines
    """

    def __init__(self, site_id: str, operation: str, stream=sys.stderr, every: float = 2.0):
        self.site_id, self.operation, self.stream, self.every = site_id, operation, stream, every
        self.total = 0
        self.done = 0
        self.phase = ""
        self.started = time.monotonic()
        self._last_print = 0.0
        self._publish(state="running")

    def start_phase(self, phase: str, total: int) -> None:
        self.phase, self.total, self.done = phase, total, 0
        self.started = time.monotonic()
        self._publish(state="running")
        self._print(force=True)

    def step(self, count: int = 1) -> None:
        self.done += count
        self._publish(state="running")
        self._print()

    def finish(self, **extra) -> None:
        self._publish(state="finished", **extra)
        self._print(force=True)

    def fail(self, message: str) -> None:
        self._publish(state="failed", error=message)

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        rate = self.rate
        return (self.total - self.done) / rate if rate > 0 and self.total >= self.done else None

    def as_dict(self) -> dict:
        eta = self.eta_seconds
        return {
            "operation": self.operation,
            "phase": self.phase,
            "done": self.done,
            "total": self.total,
            "rate_per_second": round(self.rate, 1),
            "eta_seconds": round(eta, 1) if eta is not None else None,
            "elapsed_seconds": round(time.monotonic() - self.started, 1),
        }

    def _publish(self, **extra) -> None:
        with _lock:
            _status[self.site_id] = dict(self.as_dict(), **extra)

    def _print(self, force: bool = False) -> None:
        now = time.monotonic()
        if self.stream is None or (not force and now - self._last_print < self.every):
            return
        self._last_print = now
        eta = self.eta_seconds
        eta_text = f"{int(eta // 60)}:{int(eta % 60):02d} left" if eta is not None else "time left unknown"
        print(
            f"{self.operation} {self.phase}: {self.done}/{self.total} records, {self.rate:.1f}/s, {eta_text}",
            file=self.stream,
            flush=True,
        )
