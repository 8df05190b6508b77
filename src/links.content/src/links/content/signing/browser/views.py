"""The sign form, the signed PDF download and the signatures viewlet."""

from plone import api
from plone.app.layout.viewlets import ViewletBase
from plone.namedfile.utils import set_headers
from plone.namedfile.utils import stream_data
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zExceptions import NotFound

from links.content import _
from links.content.signing import api as signing
from links.content.signing.exceptions import Recused
from links.content.signing.exceptions import SigningError
from links.content.words import format_datetime


def when(iso: str) -> str:
    """An ISO UTC time as shown to people: "23 November 2026, 14:05 GMT"."""
    return format_datetime(iso, zone=True)


class SignForm(BrowserView):
    """``@@sign``: re-enter your password to approve or reject the current version."""

    error = None
    when = staticmethod(when)

    def __call__(self):
        form = self.request.form
        if self.request.method == "POST" and form.get("form.submitted"):
            CheckAuthenticator(self.request)
            try:
                signing.sign(
                    self.context,
                    api.user.get_current().getId(),
                    form.get("password", ""),
                    form.get("meaning", ""),
                    reason=form.get("reason"),
                    expected_version=form.get("version"),
                    request=self.request,
                )
            except SigningError as error:
                if not isinstance(error, Recused):
                    import transaction

                    transaction.doom()
                self.error = str(error)
                self.request.response.setStatus(error.status)
            else:
                api.portal.show_message(_("Your signature has been recorded."), request=self.request)
                self.request.response.redirect(self.context.absolute_url())
                return ""
        return self.index()

    def status(self):
        return signing.status(self.context)

    def version(self):
        version_id, sha256, _needs_save = signing.current_version(self.context)
        return {"sha256": sha256}


class SignedPdf(BrowserView):
    """``@@signed-pdf``: download the signed PDF exactly as stored at sign-off."""

    def __call__(self):
        pdf = signing.signed_pdf(self.context)
        if pdf is None:
            raise NotFound("This record has not been signed off yet.")
        set_headers(pdf, self.request.response, filename=pdf.filename)
        return stream_data(pdf)


class SignaturesViewlet(ViewletBase):
    """Signatures of the record, with their status, below its content."""

    when = staticmethod(when)

    def update(self):
        super().update()
        self.items = signing.signatures(self.context, verify=False)
        self.signoff = signing.latest_signoff(self.context)
        config = signing.signoff_config(self.context)
        self.awaiting = config is not None and api.content.get_state(self.context, default=None) == config[0]
        self.can_sign = self.awaiting and api.user.has_permission(
            "links.content: Sign records", obj=self.context
        )
        # Who has and hasn't signed is shown while the record awaits sign-off (members are listed by name).
        self.status = signing.status(self.context) if self.awaiting and not api.user.is_anonymous() else None
