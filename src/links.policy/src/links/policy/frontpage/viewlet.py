"""What the home page shows above its text: how to have your say, where the network's openness lives,
and, after logging in, what waits for the person: reports to sign for governing body members, open cases
by due date for complaints officers, and how to read the record for council auditors.

Every list is filtered by what the person may see (catalog queries run as them).
"""

from __future__ import annotations

from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

from links.content import roles
from links.content.dashboard import query as dashboard
from links.content.signing import api as signing
from links.content.signing.behaviors import ISignableMarker
from links.content.words import format_date
from links.content.words import format_datetime

#: How many open cases the complaints officer's panel lists (the dashboard has them all).
CASES_SHOWN = 5


class FrontPageViewlet(ViewletBase):
    """Above the home page's text only (not on other views of the site root)."""

    index = ViewPageTemplateFile("frontpage.pt")

    def available(self) -> bool:
        state = api.content.get_view("plone_context_state", self.context, self.request)
        return bool(state.is_view_template())

    def portal_url(self) -> str:
        return api.portal.get().absolute_url()

    def openness(self) -> list[dict]:
        """Where the network's openness lives: the register, decisions, reports, the disclosure log."""
        portal = api.portal.get()
        url = portal.absolute_url()
        links = [
            ("Register of interests", f"{url}/@@register-of-interests", "members' declared interests"),
            ("Decisions", "decisions", "what the governing body decided and why"),
            ("Published reports", "reports", "what we saw on enter and view visits"),
            ("Disclosure log", f"{url}/@@disclosure-log", "requests for information we answered"),
        ]
        return [
            {"title": title, "url": target if "/" in target else f"{url}/{target}", "description": words}
            for title, target, words in links
            if "/" in target or target in portal.objectIds()
        ]

    def _has_role(self, role: str) -> bool:
        if api.user.is_anonymous():
            return False
        return role in api.user.get_roles(user=api.user.get_current())

    # -- Governing body member -------------------------------------------------------------------------
    def is_member(self) -> bool:
        return self._has_role(roles.GOVERNING_BODY_MEMBER)

    def awaiting_signature(self) -> list[dict]:
        """Records waiting for this member's signature (signable now, and the member may sign)."""
        userid = api.user.get_current().getId()
        rows = []
        for brain in api.content.find(object_provides=ISignableMarker.__identifier__, sort_on="modified"):
            obj = brain.getObject()
            if signing.awaiting_signoff(obj) and signing.signer_status(obj, userid)["may_sign"]:
                rows.append({"title": brain.Title, "url": brain.getURL(), "sign": f"{brain.getURL()}/@@sign"})
        return rows

    # -- Complaints officer ----------------------------------------------------------------------------
    def is_officer(self) -> bool:
        return self._has_role(roles.COMPLAINTS_OFFICER)

    def open_cases(self) -> list[dict]:
        """The officer's open cases with the next date due first."""
        query = dashboard.DashboardQuery(portal_types=("Complaint", "FOIRequest"), b_size=CASES_SHOWN)
        _batch, rows, _total = dashboard.search(query)
        for row in rows:
            due = [c for c in row["clocks"] if c["status"] not in ("met", "ended")]
            row["due_text"] = f"{due[0]['title']}: {due[0]['status_text']}" if due else ""
        return rows

    # -- Council auditor -------------------------------------------------------------------------------
    def is_auditor(self) -> bool:
        return self._has_role(roles.COUNCIL_AUDITOR)

    def latest_checkpoint(self) -> dict | None:
        """The audit trail's latest sealed checkpoint: entry number and time, in words."""
        from links.content.audit import checkpoints
        from links.content.audit.storage import get_log

        checkpoint = checkpoints.latest(get_log(api.portal.get()))  # the signed Merkle checkpoint (#15)
        if checkpoint is None:
            return None
        return {"size": checkpoint["size"], "time": format_datetime(checkpoint["time"], zone=True)}

    def format_date(self, value) -> str:
        return format_date(value)
