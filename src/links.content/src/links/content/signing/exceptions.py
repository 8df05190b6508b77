"""Why a signature was refused. Each maps to one HTTP status in the REST service (see ``status``)."""


class SigningError(Exception):
    """A signature could not be made; the message says what to fix."""

    #: HTTP status the REST service answers with.
    status = 400


class InvalidRequest(SigningError):
    """Meaning unknown, or a rejection without a reason."""


class WrongPassword(SigningError):
    """The password re-entered to sign is not the signer's password (400, never 401: a 401 would
    make Plone challenge the browser for a login instead of showing the message)."""


class NotAllowed(SigningError):
    """The signer does not hold the Governing Body Member role."""

    status = 403


class NotSignable(SigningError):
    """The record is not in the state in which it is signed (or its type has no sign-off configured)."""

    status = 409


class AlreadySigned(SigningError):
    """The signer has already signed this version."""

    status = 409


class SupersededVersion(SigningError):
    """The client signed a version (id or hash) that is no longer the current one."""

    status = 409


class Recused(SigningError):
    """The signer has a current declaration of interest touching the record's provider.

    :ivar declaration: the conflicting DeclarationOfInterest
    """

    status = 403

    def __init__(self, message, declaration=None):
        super().__init__(message)
        self.declaration = declaration


class SigningLocked(SigningError):
    """Signing is locked for the member after too many wrong passwords (see ``lockout``).

    :ivar until: when the lock ends (aware datetime)
    """

    status = 429

    def __init__(self, message, until=None):
        super().__init__(message)
        self.until = until


class SignoffFailed(SigningError):
    """The quorum is reached but the signed PDF could not be made (no timestamp, a version that no longer
    hashes as signed): the record stays awaiting sign-off and the signatures stay valid."""

    status = 503
