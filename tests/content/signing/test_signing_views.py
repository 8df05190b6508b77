"""Classic UI: the signatures viewlet on the record page and the @@sign form."""

from plone.app.testing import login
from plone.protect.authenticator import createToken

from links.content.signing import api as signing
from links.content.signing.storage import get_store


def _page(record):
    view = record.restrictedTraverse(record.getLayout())
    return view()


def test_viewlet_shows_who_has_and_has_not_signed(portal, record, passwords):
    from zope.interface import alsoProvides

    from links.content.interfaces import ILinksContentLayer

    alsoProvides(record.REQUEST, ILinksContentLayer)
    signing.sign(record, "gbm1", passwords("gbm1"), "approve", request=record.REQUEST)
    login(portal, "gbm2")
    html = _page(record)
    assert 'class="links-signatures"' in html
    assert "Member 1 Name" in html
    assert "approvals needed for sign-off" in html
    assert "Not signed yet" in html and "Member 2 Name" in html
    assert "@@sign" in html


def test_sign_form_labels_and_wrong_password(portal, record, passwords):
    from zope.interface import alsoProvides

    from links.content.interfaces import ILinksContentLayer

    request = record.REQUEST
    alsoProvides(request, ILinksContentLayer)
    login(portal, "gbm2")
    form = record.restrictedTraverse("@@sign")
    html = form()
    assert '<label class="form-label" for="sign-password">Your password</label>' in html
    assert 'for="meaning-approve"' in html and 'for="sign-reason"' in html
    request.method = "POST"
    request.form.update(
        {"form.submitted": "1", "meaning": "approve", "password": "wrong", "_authenticator": createToken()}
    )
    html = form()
    assert "The password is not right" in html
    assert request.response.getStatus() == 400
    assert get_store(record) is None
    request.form["password"] = passwords("gbm2")
    form()
    assert request.response.getStatus() == 302
    assert [s["signer"] for s in signing.signatures(record, verify=False)] == ["gbm2"]
