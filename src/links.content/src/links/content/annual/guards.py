"""Workflow guards of the annual report: the sign-off guard every record shares, and "all copies sent"."""

from zope.component import adapter
from zope.interface import implementer

from links.content.annual.report import IAnnualReport
from links.content.workflows.guards import IWorkflowGuards
from links.content.workflows.guards import WorkflowGuards


@implementer(IWorkflowGuards)
@adapter(IAnnualReport)
class AnnualReportGuards(WorkflowGuards):
    """guards(here) for an annual report."""

    def may_mark_copies_sent(self) -> bool:
        """Every listed body has been sent its copy (each with the day it was sent)."""
        from links.content.annual.api import copies_sent_on

        return copies_sent_on(self.context) is not None
