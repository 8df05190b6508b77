"""Classic UI: the signatures viewlet on the record page and the @@sign page, which knows the record's
state and the member's, and never re-reads the version the member is signing after an error."""

import pytest
from plone import api
from plone.app.testing import login
from plone.protect.authenticator import createToken
from Products.statusmessages.interfaces import IStatusMessage
from zope.interface import alsoProvides

from links.content.canonical import canonical_hash
from links.content.interfaces import ILinksContentLayer
from links.content.signing import api as signing
from links.content.signing.storage import get_store

PASSWORD_FIELD = 'id="sign-password"'


def _page(record):
    view = record.restrictedTraverse(record.getLayout())
    return view()


@pytest.fixture
def form(portal, record):
    alsoProvides(record.REQUEST, ILinksContentLayer)

    def open_as(userid):
        login(portal, userid)
        return record.restrictedTraverse("@@sign")

    return open_as


def _post(record, **fields):
    request = record.REQUEST
    request.method = "POST"
    request.form.clear()
    request.form.update({"_authenticator": createToken(), **fields})


def _approve(record, password, expected_version=None):
    """Post the form as a member approving what they read (the current version unless said)."""
    _post(
        record,
        **{
            "form.submitted": "1",
            "meaning": "approve",
            "password": password,
            "expected_version": expected_version or canonical_hash(record),
        },
    )


def test_viewlet_shows_who_has_and_has_not_signed(portal, record, signer):
    alsoProvides(record.REQUEST, ILinksContentLayer)
    signer(record, "gbm1")
    login(portal, "gbm2")
    html = _page(record)
    assert 'class="links-signatures"' in html
    assert "Member 1 Name" in html
    assert "approvals needed for sign-off" in html
    assert "Not signed yet" in html and "Member 2 Name" in html
    assert "@@sign" in html


def test_form_sends_the_version_read_and_wrong_password(record, form, passwords):
    page = form("gbm2")
    html = page()
    assert '<label class="form-label" for="sign-password">Your password</label>' in html
    assert 'for="meaning-approve"' in html and 'for="sign-reason"' in html
    assert f'name="expected_version" value="{canonical_hash(record)}"' in html
    _approve(record, "wrong")
    html = page()
    assert "The password is not right" in html
    assert record.REQUEST.response.getStatus() == 400
    assert get_store(record) is None
    _approve(record, passwords("gbm2"))
    page()
    assert record.REQUEST.response.getStatus() == 302
    assert [s["signer"] for s in signing.signatures(record, verify=False)] == ["gbm2"]


def test_after_a_change_the_form_keeps_what_was_read(record, form, passwords):
    """The form does not silently re-read the version after an error: signing the changed record needs
    the member to read it again."""
    page = form("gbm2")
    read = canonical_hash(record)
    record.premises = "The garden room"  # changed meanwhile
    _post(
        record,
        **{
            "form.submitted": "1",
            "meaning": "approve",
            "password": passwords("gbm2"),
            "expected_version": read,
        },
    )
    html = page()
    assert record.REQUEST.response.getStatus() == 409
    assert "has changed since you read it" in html
    assert f'name="expected_version" value="{read}"' in html
    assert "Read the record as it stands now" in html
    page()  # submitting again signs nothing
    assert record.REQUEST.response.getStatus() == 409
    assert get_store(record) is None or not len(get_store(record).signatures)


def test_a_member_who_signed_sees_it_before_typing_a_password(record, form, signer):
    signer(record, "gbm2")
    html = form("gbm2")()
    assert "You approved this version on" in html
    assert PASSWORD_FIELD not in html


def test_a_recused_member_sees_why_before_typing_a_password(portal, record, form, monkeypatch):
    from links.content.declarations import api as declarations

    declaration = api.content.create(container=portal, type="Document", title="Gbm2: trustee of Elm House")
    monkeypatch.setattr(declarations, "providers_of", lambda obj: {"provider-uid"})
    monkeypatch.setattr(
        declarations,
        "conflicting_declarations",
        lambda userid, uids, on=None: [declaration] * (userid == "gbm2"),
    )
    html = form("gbm2")()
    assert "you are recused" in html
    assert "Gbm2: trustee of Elm House" in html and declaration.absolute_url() in html
    assert PASSWORD_FIELD not in html


def test_a_locked_member_sees_until_when(record, form, passwords):
    from links.content.signing.exceptions import SigningLocked

    for _attempt in range(5):
        try:
            signing.sign(record, "gbm2", "wrong", "approve", request=record.REQUEST)
        except SigningLocked:
            break
        except signing.SigningError:
            pass
    html = form("gbm2")()
    assert "Signing is locked for your account until" in html
    assert PASSWORD_FIELD not in html


def test_the_signer_completing_the_quorum_is_told(record, form, signer, passwords):
    api.portal.set_registry_record(signing.QUORUM_RECORD, "2")
    signer(record, "gbm1")
    page = form("gbm2")
    _approve(record, passwords("gbm2"))
    page()
    assert record.REQUEST.response.getStatus() == 302
    messages = [m.message for m in IStatusMessage(record.REQUEST).show()]
    assert any("completed the quorum: the record is now signed off" in m for m in messages), messages


def test_after_signoff_the_page_shows_the_result_not_the_form(record, form, signer):
    api.portal.set_registry_record(signing.QUORUM_RECORD, "1")
    signer(record, "gbm1")
    html = form("gbm3")()
    assert "This record is signed off." in html
    assert "@@signed-pdf" in html
    # Versions as people count them: the first saved version is "version 1", on the form and the viewlet.
    version = signing.latest_signoff(record)["version_id"]
    signed = " ".join(html.split())
    assert f"signed off version {version + 1} on" in signed
    assert f"signed off version {version} on" not in signed
    viewlet = " ".join(_page(record).split())
    assert f"(version {version + 1})." in viewlet
    assert PASSWORD_FIELD not in html


def test_a_failed_signoff_can_be_completed_from_the_page(record, form, signer, tsa):
    api.portal.set_registry_record(signing.QUORUM_RECORD, "1")
    tsa.mode = "error"
    signer(record, "gbm1")
    page = form("gbm3")
    html = page()
    assert "could not be signed off yet" in html and "answered HTTP 500" in html
    assert "Complete the sign-off" in html
    tsa.mode = "ok"
    _post(record, **{"form.complete": "1"})
    page()
    assert record.REQUEST.response.getStatus() == 302
    assert api.content.get_state(record) == "signed_off"
