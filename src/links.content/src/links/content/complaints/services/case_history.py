"""``GET <complaint>/@case-history``: the case's events without personal data.

Council auditors hold View on complaints but not "View complainant details" nor the permissions
that guard plone.restapi's ``@workflow`` history and ``@history`` (whose comments and versions can
carry personal data). This service gives them what an audit needs: the reference, the state, each
transition with when and by whom, and the statutory clocks.
"""

from plone import api
from plone.restapi.services import Service


def case_history(complaint) -> dict:
    """The events of ``complaint`` as JSON-ready data (no comments, no complainant details)."""
    wftool = api.portal.get_tool("portal_workflow")
    entries = []
    for workflow_id, history in (getattr(complaint, "workflow_history", None) or {}).items():
        if workflow_id not in wftool.getChainFor(complaint):
            continue
        for entry in history:
            entries.append(
                {
                    "action": entry.get("action") or "created",
                    "review_state": entry.get("review_state"),
                    "actor": entry.get("actor"),
                    "time": entry["time"].ISO8601() if entry.get("time") else None,
                }
            )
    from links.content.clocks import api as clocks

    return {
        "reference": getattr(complaint, "reference", None),
        "review_state": api.content.get_state(complaint),
        "received": complaint.received.isoformat() if complaint.received else None,
        "outcome": getattr(complaint, "outcome", None),
        "events": entries,
        "clocks": [
            {
                "name": clock.name,
                "started": clock.started.isoformat(),
                "due": clock.due.isoformat(),
                "status": clock.status(),
            }
            for clock in clocks.clocks(complaint)
        ],
    }


class CaseHistoryGet(Service):
    """Permission View: whoever may see the case exists may see its history of events."""

    def reply(self):
        return case_history(self.context)
