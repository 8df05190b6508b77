"""Domain events of the governed records. The workflow bridge (records/subscribers.py) turns DCWorkflow
transitions into these; side effects (clocks, decision statements, superseding) subscribe to them and
the audit trail receives them all through IRecordEvent."""

from zope.interface import Interface
from zope.interface import implementer

from links.content.events import RecordEvent


class IReportSignedOff(Interface):
    """Marker: an enter-and-view report was signed off."""


class IReportSentToProvider(Interface):
    """Marker: a report was sent to its provider for a response."""


class IProviderResponseRecorded(Interface):
    """Marker: the provider's response to a report was recorded."""


class IConstitutionAdopted(Interface):
    """Marker: a constitution version was adopted."""


class IDeclarationDeclared(Interface):
    """Marker: a member declared their interests."""


class ReportSubmitted(RecordEvent):
    action = "report.submitted"


class ReportReturned(RecordEvent):
    action = "report.returned_for_changes"


@implementer(IReportSignedOff)
class ReportSignedOff(RecordEvent):
    action = "report.signed_off"


@implementer(IReportSentToProvider)
class ReportSentToProvider(RecordEvent):
    action = "report.sent_to_provider"


@implementer(IProviderResponseRecorded)
class ProviderResponseRecorded(RecordEvent):
    action = "report.provider_responded"


class ReportPublished(RecordEvent):
    action = "report.published"


class ReportWithdrawn(RecordEvent):
    action = "report.withdrawn"


class ConstitutionProposed(RecordEvent):
    action = "constitution.proposed"


class ConstitutionReturned(RecordEvent):
    action = "constitution.returned_to_draft"


@implementer(IConstitutionAdopted)
class ConstitutionAdopted(RecordEvent):
    action = "constitution.adopted"


class ConstitutionSuperseded(RecordEvent):
    action = "constitution.superseded"


@implementer(IDeclarationDeclared)
class DeclarationDeclared(RecordEvent):
    action = "declaration.declared"


class DeclarationSuperseded(RecordEvent):
    action = "declaration.superseded"


class DecisionRecorded(RecordEvent):
    action = "decision.recorded"


#: (portal_type, transition id) -> the domain event a transition announces.
TRANSITION_EVENTS = {
    ("EnterAndViewReport", "submit"): ReportSubmitted,
    ("EnterAndViewReport", "return_for_changes"): ReportReturned,
    ("EnterAndViewReport", "sign_off"): ReportSignedOff,
    ("EnterAndViewReport", "send_to_provider"): ReportSentToProvider,
    ("EnterAndViewReport", "publish"): ReportPublished,
    ("EnterAndViewReport", "withdraw"): ReportWithdrawn,
    ("Constitution", "propose"): ConstitutionProposed,
    ("Constitution", "return_to_draft"): ConstitutionReturned,
    ("Constitution", "adopt"): ConstitutionAdopted,
    ("Constitution", "supersede"): ConstitutionSuperseded,
    ("DeclarationOfInterest", "declare"): DeclarationDeclared,
    ("DeclarationOfInterest", "supersede"): DeclarationSuperseded,
}
