"""CSRF for REST writes authenticated by a cookie.

plone.restapi services switch plone.protect off on the ground that an API call needs an
``Accept: application/json`` header a cross-site form cannot send; but ``++api++`` makes any request an API
request, and ``json_body`` reads a ``text/plain`` body as JSON, so a cross-site ``<form
enctype="text/plain">`` could POST for a logged-in browser (only SameSite=Lax on the cookie stood in the
way). Here every state-changing API request (POST, PUT, PATCH, DELETE) that is authenticated by a cookie
(Plone's ``__ac`` session or a JWT ``auth_token`` cookie) must carry ``Content-Type: application/json`` and
a valid plone.protect token in the ``X-CSRF-TOKEN`` header (``GET <site>/@csrf-token``). A browser also
re-sends HTTP Basic credentials it has cached (a ZMI login) with cross-site requests (a form, or a
``no-cors`` fetch without a body), and every such request carries the page's ``Origin``: a write with Basic
credentials from another origin is refused, while scripts (which send no ``Origin``) and the site's own pages
pass. Bearer (JWT) requests, which a browser never makes up by itself, are not affected, and browser forms
keep plone.protect's own protection. One gate for every service, ours and plone.restapi's.
"""

from plone.protect import createToken
from plone.protect.authenticator import check
from plone.rest.interfaces import IAPIRequest
from plone.rest.service import Service as RestService
from plone.restapi.services import Service
from zExceptions import Forbidden

from links.content.interfaces import ILinksContentLayer

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: Login cookies: Plone's session (plone.session) and plone.restapi's JWT cookie.
COOKIES = ("__ac", "auth_token")
#: Services a client calls before it has credentials of its own, or that change nothing (checking a document).
EXEMPT = frozenset({"@login", "@verify"})
#: A form field name no request carries, so plone.protect reads the token from the X-CSRF-TOKEN header only.
_HEADER_ONLY = "links.content.csrf-header-only"


def _authorization(request) -> str:
    # Zope moves the Authorization header out of the environment into ``_auth`` while publishing.
    return (getattr(request, "_auth", None) or request.getHeader("Authorization") or "").strip().lower()


def _cross_origin(request) -> bool:
    """Whether a browser sent the request from a page of another origin (its ``Origin`` header, which
    browsers add to every cross-origin POST; scripts send none)."""
    origin = (request.getHeader("Origin") or "").strip().rstrip("/").lower()
    if not origin:
        return False
    own = (request.get("SERVER_URL") or "").strip().rstrip("/").lower()
    return origin != own


def explicit_credentials(request) -> bool:
    """Whether the request brings its own credentials (Basic or Bearer). Bearer is never added by a
    browser; Basic is, once cached, which ``check_rest_write`` handles."""
    return _authorization(request).startswith(("basic ", "bearer "))


def cookie_credentials(request) -> bool:
    """Whether the request carries a login cookie, which a browser adds to cross-site requests too."""
    return any(request.cookies.get(name) for name in COOKIES)


def check_rest_write(event) -> None:
    """IPubAfterTraversal: refuse a cookie-authenticated REST write without JSON and a valid token.

    :raises Forbidden: (403) saying what to send
    """
    request = event.request
    if request.get("REQUEST_METHOD", "GET").upper() not in WRITES or not ILinksContentLayer.providedBy(
        request
    ):
        return
    published = request.get("PUBLISHED")
    if not (IAPIRequest.providedBy(request) or isinstance(published, RestService)):
        return
    # plone.rest names a service "<METHOD>_<accept>_<name>".
    name = (getattr(published, "__name__", "") or "").rsplit("_", 1)[-1]
    if name in EXEMPT:
        return
    if _authorization(request).startswith("basic ") and _cross_origin(request):
        raise Forbidden(
            "A REST write with HTTP Basic credentials may not come from a page of another site (its Origin "
            "header): a browser re-sends cached Basic credentials to cross-site requests."
        )
    content_type = (request.getHeader("Content-Type") or "").split(";")[0].strip().lower()
    if explicit_credentials(request) or not cookie_credentials(request):
        return
    user = request.get("AUTHENTICATED_USER")
    if user is None or user.getUserName() == "Anonymous User":
        return
    if content_type != "application/json":
        raise Forbidden(
            "A REST write with a login cookie must be sent as Content-Type: application/json with an "
            "X-CSRF-TOKEN header (GET @csrf-token), or use Basic or Bearer (JWT) authentication."
        )
    if not request.getHeader("X-CSRF-TOKEN"):
        raise Forbidden(
            "A REST write with a login cookie needs the X-CSRF-TOKEN header (GET @csrf-token gives it), "
            "or Basic or Bearer (JWT) authentication."
        )
    try:
        check(request, name=_HEADER_ONLY)
    except Forbidden:
        raise Forbidden("The X-CSRF-TOKEN header is not valid for this user (GET @csrf-token).") from None


class CSRFTokenGet(Service):
    """GET <site>/@csrf-token: the plone.protect token of the current user, for the X-CSRF-TOKEN header.

    A cross-site page cannot read this answer (same-origin policy), so it cannot forge the header."""

    def reply(self):
        return {"token": createToken()}
