"""Domain guards of the record workflows.

DCWorkflow guard-expressions call one adapter so every domain rule is a small, unit-tested method.
The definitions use
``python:modules['links.content.workflows.guards'].guards(here).may_sign_off()``.
"""

from __future__ import annotations

from AccessControl import ModuleSecurityInfo
from zope.component import adapter
from zope.interface import Interface
from zope.interface import implementer


class IWorkflowGuards(Interface):
    """Domain rules that allow or forbid a workflow transition."""

    def may_sign_off():
        """True when the quorum has signed the record as it stands and its sealed PDF is ready."""

    def may_publish():
        """True when the provider has responded or the provider-response clock has expired."""


@implementer(IWorkflowGuards)
@adapter(Interface)
class WorkflowGuards:
    """Guards for reports and the constitution."""

    # Guard-expressions are restricted Python: let them call the may_* methods.
    __allow_access_to_unprotected_subobjects__ = 1

    def __init__(self, context):
        self.context = context

    def may_sign_off(self) -> bool:
        """The signing area has prepared the sign-off: the quorum approved the record as it stands and the
        sealed PDF of that version is made. Only ``signing.api.complete_signoff`` prepares it, so no path
        (the workflow menu included) signs a record off without its PDF."""
        from links.content.signing.api import signoff_ready

        return signoff_ready(self.context)

    def provider_responded(self) -> bool:
        """The provider's response and its date have been recorded."""
        return bool(getattr(self.context, "provider_response_date", None))

    def may_publish(self) -> bool:
        """The provider has responded, or the time for a response has run out."""
        if self.provider_responded():
            return True
        from links.content.clocks.api import is_expired

        return is_expired(self.context, "provider-response")


def guards(obj) -> IWorkflowGuards:
    """Return the guards adapter of ``obj`` (the entry point used by guard-expressions)."""
    return IWorkflowGuards(obj)


ModuleSecurityInfo("links.content.workflows.guards").declarePublic("guards")
