"""``POST <complaint>/@assign-reviewer`` {"reviewer": "<userid>"}: assign the appeal's independent reviewer.

Answers 400 with the reasons when the reviewer is not independent or no appeal is waiting.
"""

from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zExceptions import BadRequest
from zope.interface import alsoProvides

from links.content.complaints import api
from links.content.complaints.exceptions import ComplaintError
from links.content.restapi.body import json_object


class AssignReviewerPost(Service):
    """Assign the independent reviewer (permission "links.content: Handle complaints")."""

    def reply(self):
        data = json_object(self.request, '{"reviewer": "<user name>"}')
        reviewer = data.get("reviewer") or ""
        reviewer = reviewer.strip() if isinstance(reviewer, str) else ""
        if not reviewer:
            raise BadRequest("Give the user name of the reviewer as 'reviewer'.")
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            api.assign_reviewer(self.context, reviewer)
        except ComplaintError as error:
            # Nothing was written before the checks failed; the transaction is aborted anyway.
            raise BadRequest(str(error)) from error
        return {
            "reviewer": reviewer,
            "review_state": self.context.portal_workflow.getInfoFor(self.context, "review_state"),
        }
