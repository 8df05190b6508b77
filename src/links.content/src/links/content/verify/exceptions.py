"""Why a verification request is refused: each carries the HTTP status the page and REST answer with."""


class VerifyError(ValueError):
    """A verification request that cannot be answered; the message says what to do instead."""

    status = 400


class InvalidInput(VerifyError):
    """No file, no SHA-256, a malformed SHA-256 or fingerprint, JSON that is not a checkpoint."""


class TooLarge(VerifyError):
    """The upload is larger than the configured limit (refused before it is read whole)."""

    status = 413


class TooManyRequests(VerifyError):
    """Too many checks from one address in the last minute."""

    status = 429

    def __init__(self, message: str, retry_after: int = 60):
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(VerifyError):
    """A check this site cannot make (the handover verifier is not installed)."""

    status = 501
