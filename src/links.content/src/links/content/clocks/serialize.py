"""Plain JSON shape of a clock, shared by the REST service, the view and the dashboard."""

from __future__ import annotations

from datetime import date

from links.content.clocks.storage import Clock
from links.content.words import today as london_today


def clock_to_json(clock: Clock, today: date | None = None, reasons: bool = True) -> dict:
    """A clock as JSON. ``reasons`` False (a reader who may not read the record's free text, see
    ``links.content.disclosure.may_read_free_text``): pause and extension reasons are null, the explanation
    says "reason withheld"; dates, actors and times stay."""
    today = today or london_today()
    return {
        "name": clock.name,
        "title": clock.rule.title or clock.name,
        "rule": clock.rule.to_dict(),
        "started": clock.started.isoformat(),
        "due": clock.due.isoformat(),
        "status": clock.status(today),
        "status_text": clock.status_text(today),
        "met_on": clock.met_on.isoformat() if clock.met_on else None,
        "met_late_days": clock.met_late_days,
        "ended_on": clock.ended_on.isoformat() if clock.ended_on else None,
        "pauses": [
            {
                "kind": p.kind,
                "start": p.start.isoformat(),
                "end": p.end.isoformat() if p.end else None,
                "backdated": bool(p.backdated or p.end_backdated),
                "reason": p.reason if reasons else None,
                "actor": p.actor,
                "recorded": p.recorded.isoformat(),
            }
            for p in clock.pauses
        ],
        "extensions": [
            {
                "on": e.on.isoformat(),
                "working_days": e.working_days,
                "days": e.days,
                "months": e.months,
                "backdated": bool(e.backdated),
                "until": e.until.isoformat() if e.until else None,
                "reason": e.reason if reasons else None,
                "actor": e.actor,
                "recorded": e.recorded.isoformat(),
            }
            for e in clock.extensions
        ],
        "explanation": clock.explain(reasons),
    }
