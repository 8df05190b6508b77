"""REST writes authenticated by a cookie need JSON and a valid X-CSRF-TOKEN; Basic/Bearer do not, but Basic
may not come from another site's page (#12)."""

import pytest
import requests
import transaction
from plone import api
from plone.app.textfield.value import RichTextValue
from ZPublisher.HTTPResponse import HTTPResponse

from links.content.clocks import api as clocks

from .conftest import PASSWORD

ASSIGN = {"reviewer": "officer"}


def _browser(portal, userid):
    """A requests session that authenticates like a browser: with the user's Plone session cookie only
    (``__ac``, as the login form sets it)."""
    response = HTTPResponse()
    portal.acl_users.session._setupSession(userid, response)
    transaction.commit()
    value = response.cookies["__ac"]["value"]
    session = requests.Session()
    session.cookies.set("__ac", value.decode() if isinstance(value, bytes) else value)
    session.headers["Accept"] = "application/json"
    return session, portal.absolute_url()


@pytest.fixture
def browser(records, functional_portal):
    return _browser(functional_portal, "officer")


def _pause(records, base):
    return f"{base}/++api++/{records['complaint'].getId()}/@clocks/complaint-acknowledgement/pause"


def test_cookie_is_a_login(browser):
    session, base = browser
    assert session.get(f"{base}/@users/officer").status_code == 200


def test_cross_site_text_plain_form_is_refused(browser, records):
    session, base = browser
    # What <form enctype="text/plain"> sends: JSON-looking text, no token.
    response = session.post(
        _pause(records, base), data='{"reason": "x"}', headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 403, response.text
    assert "application/json" in response.json()["message"]
    transaction.begin()  # what the server committed: nothing
    assert list(clocks.get(records["complaint"], "complaint-acknowledgement").pauses) == []


def test_json_without_token_is_refused(browser, records):
    session, base = browser
    response = session.post(_pause(records, base), json={"reason": "x"})
    assert response.status_code == 403 and "X-CSRF-TOKEN" in response.json()["message"]
    bad = session.post(_pause(records, base), json={"reason": "x"}, headers={"X-CSRF-TOKEN": "0" * 40})
    assert bad.status_code == 403 and "not valid" in bad.json()["message"]


def test_json_with_token_is_accepted(browser, records):
    session, base = browser
    token = session.get(f"{base}/@csrf-token")
    assert token.status_code == 200, token.text
    response = session.post(
        _pause(records, base), json={"reason": "Waiting"}, headers={"X-CSRF-TOKEN": token.json()["token"]}
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "paused"


def test_basic_auth_needs_no_token(records, functional_portal):
    url = _pause(records, functional_portal.absolute_url())
    response = requests.post(url, json={"reason": "Waiting"}, auth=("officer", PASSWORD), timeout=30)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_basic_auth_from_another_site_is_refused(records, functional_portal, content_type):
    """A browser re-sends cached Basic credentials (a ZMI login) with a cross-site form or a no-cors fetch,
    and says where the page came from in ``Origin``: such a write may not pass (attacker review)."""
    base = functional_portal.absolute_url()
    url = _pause(records, base)
    headers = {"Accept": "application/json", "Origin": "https://evil.example"}
    headers |= {"Content-Type": content_type} if content_type else {}
    body = '{"reason": "x"}' if content_type else None
    response = requests.post(url, data=body, headers=headers, auth=("officer", PASSWORD), timeout=30)
    assert response.status_code == 403, response.text
    assert "Origin" in response.json()["message"]
    transaction.begin()
    assert list(clocks.get(records["complaint"], "complaint-acknowledgement").pauses) == []
    # The site's own pages (same Origin) and scripts (no Origin) are not affected.
    own = "/".join(base.split("/")[:3])
    same = requests.post(
        url, json={"reason": "Waiting"}, headers={"Origin": own}, auth=("officer", PASSWORD), timeout=30
    )
    assert same.status_code == 200, same.text


@pytest.mark.parametrize("endpoint,body", [("@assign-reviewer", ASSIGN), ("@revert", {"version": 0})])
def test_every_write_service_is_covered(browser, records, endpoint, body):
    session, base = browser
    target = records["complaint"].getId()
    response = session.post(
        f"{base}/++api++/{target}/{endpoint}", data=str(body), headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 403, response.text


def test_anonymous_login_is_not_affected(records, functional_portal):
    response = requests.post(
        f"{functional_portal.absolute_url()}/@login",
        json={"login": "officer", "password": PASSWORD},
        headers={"Accept": "application/json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.json()["token"]


@pytest.mark.parametrize("endpoint", ["@sign", "@sign-off"])
def test_signing_is_covered(records, functional_portal, endpoint):
    with api.env.adopt_roles(["Manager"]):
        if "constitution" not in functional_portal:
            api.content.create(
                container=functional_portal,
                type="Constitution",
                id="constitution",
                title="Constitution",
                version_label="1",
                terms_of_reference=RichTextValue("<p>Terms</p>", "text/html", "text/x-html-safe"),
                decision_procedures=RichTextValue("<p>Procedures</p>", "text/html", "text/x-html-safe"),
            )
    session, base = _browser(functional_portal, "member")  # a governing body member may sign
    response = session.post(
        f"{base}/++api++/constitution/{endpoint}",
        data='{"password": "x", "meaning": "approve"}',
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 403, response.text
