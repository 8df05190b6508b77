"""Guards of the complaint, information request and OSC referral workflows.

Guard-expressions call ``python:modules['links.content.complaints.guards'].guards(here).may_...()``,
so each domain rule is one small method with its own test. Who may fire a transition at all is the
transition's guard-permission; these methods only say whether the record is ready.
"""

from __future__ import annotations

from AccessControl import ModuleSecurityInfo

from links.content.complaints import rules


class ComplaintGuards:
    """Whether a record has what the next stage needs."""

    # Guard-expressions are restricted Python: let them call the may_* methods.
    __allow_access_to_unprotected_subobjects__ = 1

    def __init__(self, context):
        self.context = context

    def _has(self, name: str) -> bool:
        value = getattr(self.context, name, None)
        return bool(value.strip()) if isinstance(value, str) else value is not None

    # -- Complaint --
    def may_start_investigation(self) -> bool:
        """An investigating officer has been named."""
        return self._has("investigating_officer")

    def may_send_response(self) -> bool:
        """Findings and an outcome are recorded (the response sets them out)."""
        return self._has("findings") and self._has("outcome")

    def may_request_appeal(self) -> bool:
        """The appeal date is recorded and within the window after the response."""
        requested = getattr(self.context, "appeal_requested_on", None)
        sent = getattr(self.context, "response_sent_on", None)
        if not (requested and sent):
            return False
        return sent <= requested <= rules.appeal_deadline(sent)

    def may_begin_review(self) -> bool:
        """An independent reviewer has been assigned (complaints.api.assign_reviewer checked them)."""
        return self._has("independent_reviewer")

    def may_decide_appeal(self) -> bool:
        """The reviewer's decision is recorded."""
        return self._has("appeal_decision")

    def may_close(self) -> bool:
        """The outcome is recorded, so the response letter can be written."""
        return self._has("outcome")

    # -- InformationRequest --
    def may_record_answer(self) -> bool:
        """The response and the date it arrived are recorded."""
        return self._has("response") and self._has("response_received_on")

    # -- OSCReferral --
    def may_acknowledge_referral(self) -> bool:
        """The date the committee acknowledged is recorded."""
        return self._has("acknowledged_on")


def guards(obj) -> ComplaintGuards:
    """The guards of ``obj`` (the entry point used by guard-expressions)."""
    return ComplaintGuards(obj)


ModuleSecurityInfo("links.content.complaints.guards").declarePublic("guards")
