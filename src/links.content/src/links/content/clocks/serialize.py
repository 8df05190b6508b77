"""Plain JSON shape of a clock, shared by the REST service, the view and the dashboard."""

from __future__ import annotations

from datetime import date

from links.content.clocks.storage import Clock
from links.content.words import today as london_today


def clock_to_json(clock: Clock, today: date | None = None) -> dict:
    today = today or london_today()
    return {
        "name": clock.name,
        "title": clock.rule.title or clock.name,
        "rule": clock.rule.to_dict(),
        "started": clock.started.isoformat(),
        "due": clock.due.isoformat(),
        "status": clock.status(today),
        "met_on": clock.met_on.isoformat() if clock.met_on else None,
        "pauses": [
            {
                "start": p.start.isoformat(),
                "end": p.end.isoformat() if p.end else None,
                "reason": p.reason,
                "actor": p.actor,
                "recorded": p.recorded.isoformat(),
            }
            for p in clock.pauses
        ],
        "extensions": [
            {
                "on": e.on.isoformat(),
                "working_days": e.working_days,
                "until": e.until.isoformat() if e.until else None,
                "reason": e.reason,
                "actor": e.actor,
                "recorded": e.recorded.isoformat(),
            }
            for e in clock.extensions
        ],
        "explanation": clock.explanation,
    }
