"""Domain exceptions of the audit trail."""


class AuditError(Exception):
    """Base class of audit trail errors."""


class InvalidFilter(AuditError, ValueError):
    """A filter given to the audit API is malformed; the message says what to fix."""


class InvalidProofRequest(AuditError, ValueError):
    """A proof was asked for with a malformed or out-of-range tree size or seq; the message says why."""
