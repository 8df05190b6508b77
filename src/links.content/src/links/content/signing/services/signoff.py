"""POST <record>/@sign-off — complete the sign-off of a record whose quorum is reached.

Sign-off normally happens with the signature that reaches the quorum. This completes it when that failed
(the timestamp authority was down: ``status.signoff_error`` says why) or when the quorum was reached
another way (the quorum setting lowered, a member recused). No body.

Answers: 200 ``{"status": {...}}`` signed off; 403 not a governing body member; 409 not awaiting sign-off
or the quorum is not reached; 503 the signed PDF could not be made (the message says what to fix; kept
for the sign page).
"""

import transaction
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides

from links.content.signing import api as signing
from links.content.signing.exceptions import NotAllowed
from links.content.signing.exceptions import SigningError
from links.content.signing.exceptions import SignoffFailed
from links.content.signing.services.sign import error_body


class SignoffPost(Service):
    """Complete the context's sign-off."""

    def reply(self):
        # plone.protect off for API calls: a cookie-authenticated one was checked by restapi/csrf.py.
        alsoProvides(self.request, IDisableCSRFProtection)
        userid = api.user.get_current().getId()
        try:
            if not signing.may_sign(userid):
                raise NotAllowed("Only members of the governing body complete a sign-off.")
            signing.complete_signoff(self.context, actor=userid)
        except SigningError as error:
            if not isinstance(error, SignoffFailed):  # the failure itself is kept for the sign page
                transaction.doom()
            return error_body(self.request, error)
        return {"status": signing.status(self.context)}
