"""Events of signing, announced as RecordEvents so the audit trail records them."""

from links.content.events import RecordEvent


class SignatureAdded(RecordEvent):
    """A member approved a version of a record."""

    action = "signature.added"


class SignatureRejected(RecordEvent):
    """A member signed a rejection (with a reason) of a version of a record."""

    action = "signature.rejected"


class SignatureSuperseded(RecordEvent):
    """An edit after signatures made them stale: they no longer count towards sign-off."""

    action = "signature.superseded"


class RecusalRecorded(RecordEvent):
    """A member with a conflicting declaration tried to sign and was refused."""

    action = "recusal.recorded"


class SignoffCompleted(RecordEvent):
    """Quorum reached: the record was transitioned and its signed PDF stored."""

    action = "signoff.completed"


class SignoffFieldsSet(RecordEvent):
    """The sign-off transition set fields of the record (a constitution's adoption date): saved as a new
    version after the signed one, which stays exactly what the members signed."""

    action = "signoff.fields_set"
