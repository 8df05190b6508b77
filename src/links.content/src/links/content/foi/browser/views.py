"""Browser views of FOI: the public disclosure log and the bundle download."""

from Products.Five.browser import BrowserView
from zExceptions import NotFound

from links.content import _
from links.content.foi import api
from links.content.words import format_date

PAGE_SIZE = 50


class DisclosureLogView(BrowserView):
    """Answered requests, newest first, in pages of 50; each row opens what was released."""

    links_page_title = _("Disclosure log")

    def __call__(self):
        try:
            self.start = max(0, int(self.request.form.get("b_start", 0)))
        except (TypeError, ValueError):
            self.start = 0
        self.total, self.entries = api.disclosure_log(self.start, PAGE_SIZE)
        return self.index()

    def format_date(self, iso: str | None) -> str:
        return format_date(iso)

    def next_start(self) -> int | None:
        nxt = self.start + PAGE_SIZE
        return nxt if nxt < self.total else None

    def previous_start(self) -> int | None:
        return max(0, self.start - PAGE_SIZE) if self.start else None


def _stream(response, bundle):
    response.setHeader("Content-Type", "application/pdf")
    response.setHeader("Content-Disposition", f'attachment; filename="{bundle.filename}"')
    response.setHeader("Content-Length", str(bundle.getSize()))
    return bundle.data


class ReleasedView(BrowserView):
    """``@@released-information?reference=FOI-2026-0003``: what was released, for anyone (disclosure log)."""

    def __call__(self):
        bundle = api.released(self.request.form.get("reference", ""))
        if bundle is None:
            raise NotFound("Nothing has been released under that reference.")
        return _stream(self.request.response, bundle)


class BundlePDFView(BrowserView):
    """Stream the request's signed disclosure bundle."""

    def __call__(self):
        bundle = getattr(self.context, "bundle", None)
        if bundle is None:
            raise NotFound("No disclosure bundle has been built for this request yet.")
        return _stream(self.request.response, bundle)
