"""Fixtures of the verification tests: the signing area's (members, a report awaiting sign-off, a signer,
the layer's timestamp authority), the complaints' and the FOI area's, shared rather than copied."""

from ..complaints.conftest import advance  # noqa: F401
from ..complaints.conftest import folder  # noqa: F401
from ..complaints.conftest import new_complaint  # noqa: F401
from ..foi.conftest import foi_folder  # noqa: F401
from ..foi.conftest import new_request  # noqa: F401
from ..signing.conftest import make_members  # noqa: F401
from ..signing.conftest import make_record  # noqa: F401
from ..signing.conftest import members  # noqa: F401
from ..signing.conftest import no_signing_locks  # noqa: F401
from ..signing.conftest import password_of  # noqa: F401
from ..signing.conftest import record  # noqa: F401
from ..signing.conftest import sign  # noqa: F401
from ..signing.conftest import signer  # noqa: F401
from ..signing.conftest import tsa  # noqa: F401
