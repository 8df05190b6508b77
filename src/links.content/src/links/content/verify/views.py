"""``<site>/@@verify``: the public page where anyone checks a document, an archive or a checkpoint.

Plain HTML forms (no script), posted with Plone's authenticator: a cross-site page cannot make a visitor's
browser run checks in their name. A GET with ``?sha256=`` (the link in every issued PDF's verification
mark) looks the value up at once; looking up writes nothing. Answers come from ``verify.api``; refusals
are shown on the page with their HTTP status (400, 403, 413, 429, 501), never as an error page.
"""

from __future__ import annotations

from io import BytesIO

from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zExceptions import Forbidden

from links.content.verify import api
from links.content.verify import limits
from links.content.verify.exceptions import InvalidInput
from links.content.verify.exceptions import TooManyRequests
from links.content.verify.exceptions import VerifyError


def _upload(form, name: str):
    """The uploaded file of field ``name``, or None when none was chosen."""
    upload = form.get(name)
    return upload if getattr(upload, "filename", None) and hasattr(upload, "read") else None


class VerifyView(BrowserView):
    """The verify page: check a PDF (upload or SHA-256), a handover archive, an audit checkpoint."""

    answer = None
    archive = None
    checkpoint = None
    error = None

    def __call__(self):
        request = self.request
        request.response.setHeader("Cache-Control", "no-store")
        try:
            if request.method == "POST":
                limits.check_length(request)
                try:
                    CheckAuthenticator(request)
                except Forbidden:
                    request.response.setStatus(403)
                    self.error = "The form had expired. Choose the file again and check it."
                    return self.index()
                limits.check_rate(request)
                self.check(request.form)
            elif request.form.get("sha256"):
                limits.check_rate(request)
                self.answer = api.check_hash(request.form["sha256"])
        except VerifyError as error:
            self.error = str(error)
            request.response.setStatus(error.status)
            if isinstance(error, TooManyRequests):
                request.response.setHeader("Retry-After", str(error.retry_after))
        return self.index()

    def check(self, form) -> None:
        what = form.get("check", "document")
        if what == "archive":
            upload = _upload(form, "archive")
            if upload is None:
                raise InvalidInput("Choose the handover archive (the .zip file) to check.")
            self.archive = api.check_archive(BytesIO(limits.read_upload(upload)), form.get("fingerprint", ""))
        elif what == "checkpoint":
            upload = _upload(form, "checkpoint_file")
            text = limits.read_upload(upload) if upload is not None else form.get("checkpoint", "")
            if not text:
                raise InvalidInput("Paste the checkpoint JSON, or choose its file.")
            self.checkpoint = api.check_checkpoint(text)
        else:
            upload = _upload(form, "file")
            sha256 = form.get("sha256")
            if upload is not None:
                self.answer = api.check_file(limits.read_upload(upload))
            elif sha256 and (not isinstance(sha256, str) or sha256.strip()):
                self.answer = api.check_hash(sha256)  # refuses anything but one SHA-256
            else:
                raise InvalidInput("Choose the PDF to check, or paste its SHA-256.")

    def max_upload_text(self) -> str:
        return f"{limits.max_upload() / 1_000_000:g} MB"

    def good(self) -> bool:
        return bool(self.answer) and self.answer["verdict"] in ("genuine", "signed", "issue-found")
