"""Guards of links_foi_workflow: ``python:modules['links.content.foi.guards'].guards(here).may_...()``.

Who may fire a transition is the transition's guard-permission; these methods only say whether the
request is ready for the next stage.
"""

from __future__ import annotations

from AccessControl import ModuleSecurityInfo

from links.content.foi.request import FEE_CLOCK
from links.content.foi.request import refusal_notice_missing


class FOIGuards:
    """Whether an FOI request has what the next stage needs."""

    # Guard-expressions are restricted Python: let them call the may_* methods.
    __allow_access_to_unprotected_subobjects__ = 1

    def __init__(self, context):
        self.context = context

    def _has(self, name: str) -> bool:
        value = getattr(self.context, name, None)
        return bool(value.strip()) if isinstance(value, str) else bool(value)

    def may_answer(self) -> bool:
        """An outcome and the answer are recorded and, for a refusal, the whole refusal notice."""
        return self._has("outcome") and self._has("answer") and not refusal_notice_missing(self.context)

    def may_ask_fee(self) -> bool:
        """Fees notices exist under the FOI Act only (not for subject access or voluntary disclosure)."""
        return getattr(self.context, "handled_under", None) == "foi"

    def may_lapse(self) -> bool:
        """The three months to pay the fee have passed (the fee clock is past its due date)."""
        from links.content.clocks import api as clocks

        return clocks.is_expired(self.context, FEE_CLOCK)

    def may_complete_review(self) -> bool:
        """The internal review's outcome is recorded."""
        return self._has("review_outcome")


def guards(context) -> FOIGuards:
    """The guard adapter for an FOI request."""
    return FOIGuards(context)


ModuleSecurityInfo("links.content.foi.guards").declarePublic("guards")
