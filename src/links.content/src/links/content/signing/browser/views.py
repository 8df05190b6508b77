"""The sign form, the signed PDF download and the signatures viewlet."""

import transaction
from plone import api
from plone.app.layout.viewlets import ViewletBase
from plone.namedfile.utils import set_headers
from plone.namedfile.utils import stream_data
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zExceptions import NotFound
from ZODB.interfaces import BlobError

from links.content import _
from links.content.keys.exceptions import KeyMissing
from links.content.signing import api as signing
from links.content.signing.exceptions import Recused
from links.content.signing.exceptions import SigningError
from links.content.signing.exceptions import SignoffFailed
from links.content.words import format_datetime
from links.content.words import version_number


def when(iso: str) -> str:
    """An ISO UTC time as shown to people: "23 November 2026, 14:05 GMT"."""
    return format_datetime(iso, zone=True)


class SignForm(BrowserView):
    """``@@sign``: the record's sign-off as it stands, and the form to approve or reject the current version.

    The page knows the record's state: after sign-off it shows the result; a member who cannot sign (has
    signed, is recused, is locked out) is told why before typing a password; the member whose signature
    completes the quorum is told that the record is now signed off.
    """

    error = None
    when = staticmethod(when)
    number = staticmethod(version_number)

    def __call__(self):
        form = self.request.form
        if self.request.method == "POST" and form.get("form.complete"):
            CheckAuthenticator(self.request)
            return self.complete()
        if self.request.method == "POST" and form.get("form.submitted"):
            CheckAuthenticator(self.request)
            return self.sign()
        return self.index()

    def userid(self):
        return api.user.get_current().getId()

    def sign(self):
        form = self.request.form
        try:
            signing.sign(
                self.context,
                self.userid(),
                form.get("password", ""),
                form.get("meaning", ""),
                reason=form.get("reason"),
                # What the member read: sent by the form, never re-read here (a changed record is refused).
                expected_version=form.get("expected_version") or "-",
                request=self.request,
            )
        except (SigningError, KeyMissing) as error:
            if not isinstance(error, Recused):
                transaction.doom()
            self.error = str(error)
            self.request.response.setStatus(getattr(error, "status", 503))
            return self.index()
        status = signing.status(self.context)
        if status["completed"] and not status["awaiting"]:
            message = _(
                "Your signature completed the quorum: the record is now signed off. The signed PDF is ready."
            )
        elif status["signoff_error"]:
            message = _(
                "Your signature is recorded and the quorum is reached, but the record could not be signed "
                "off yet. See the sign page for what to fix."
            )
        else:
            message = _("Your signature has been recorded.")
        api.portal.show_message(
            message, request=self.request, type="warning" if status["signoff_error"] else "info"
        )
        self.request.response.redirect(self.context.absolute_url())
        return ""

    def complete(self):
        try:
            if not signing.may_sign(self.userid()):
                raise SigningError("Only members of the governing body complete a sign-off.")
            signing.complete_signoff(self.context, actor=self.userid())
        except SigningError as error:
            if not isinstance(error, SignoffFailed):
                transaction.doom()
            self.error = str(error)
            self.request.response.setStatus(error.status)
            return self.index()
        api.portal.show_message(
            _("The record is now signed off. The signed PDF is ready."), request=self.request
        )
        self.request.response.redirect(self.context.absolute_url())
        return ""

    def status(self):
        return signing.status(self.context)

    def signer(self):
        return signing.signer_status(self.context, self.userid())

    def expected_version(self, status):
        """The version the member is reading: the one the form sent (kept after an error), else the
        current one."""
        return self.request.form.get("expected_version") or status["current"]["sha256"]

    def version_changed(self, status):
        sent = self.request.form.get("expected_version")
        return bool(sent) and sent not in (status["current"]["sha256"], str(status["current"]["version_id"]))


class SignedPdf(BrowserView):
    """``@@signed-pdf``: download the signed PDF exactly as stored at sign-off."""

    def __call__(self):
        pdf = signing.signed_pdf(self.context)
        if pdf is None:
            raise NotFound("This record has not been signed off yet.")
        set_headers(pdf, self.request.response, filename=pdf.filename)
        try:
            return stream_data(pdf)
        except BlobError:  # stored in this very transaction (after a savepoint): no file to stream yet
            return pdf.data


class SignaturesViewlet(ViewletBase):
    """Signatures of the record, with their status, below its content."""

    when = staticmethod(when)
    number = staticmethod(version_number)

    def update(self):
        super().update()
        self.items = signing.signatures(self.context, verify=False)
        self.signoff = signing.latest_signoff(self.context)
        self.awaiting = signing.awaiting_signoff(self.context)
        self.can_sign = self.awaiting and api.user.has_permission(
            "links.content: Sign records", obj=self.context
        )
        # Who has and hasn't signed is shown while the record awaits sign-off (members are listed by name).
        self.status = signing.status(self.context) if self.awaiting and not api.user.is_anonymous() else None
