"""Every path that changes a record's content supersedes the pending signatures and tells the signers.

The paths are enumerated here (REST PATCH, which fires the same modified event as the edit form over HTTP,
is in test_signing_rest.py): edit, revert, relation change, relation target deleted, and a change with no
event at all (code, an import), which the next signature attempt finds. Whatever the path, the quorum
counts only approvals of the content as it stands (test_signing_api.py).
"""

import importlib.util
import re
from pathlib import Path

import pytest
from AccessControl import Unauthorized
from plone import api
from plone.app.textfield.value import RichTextValue
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.intid.interfaces import IIntIds
from zope.lifecycleevent import Attributes
from zope.lifecycleevent import modified

from links.content.records.report import IEnterAndViewReport
from links.content.signing import api as signing

_spec = importlib.util.spec_from_file_location("signing_fixtures", Path(__file__).with_name("conftest.py"))
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)


def edit(portal, record):
    record.findings = RichTextValue("<p>Findings rewritten.</p>", "text/html", "text/x-html-safe")
    modified(record, Attributes(IEnterAndViewReport, "findings"))
    return "edited"


def revert(portal, record):
    """A revert while signatures are pending. The workflow lets nobody revert a record awaiting sign-off
    (#12), so this plays an insider with system rights: the supersede subscriber must still catch it."""
    from AccessControl.SecurityManagement import getSecurityManager
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.SecurityManagement import setSecurityManager
    from AccessControl.SpecialUsers import system

    from links.content.history import api as history

    with api.env.adopt_user(username="gbm7"), pytest.raises(Unauthorized):
        history.revert(record, history.versions(record)[0]["version_id"], actor="gbm7")
    saved = getSecurityManager()
    newSecurityManager(None, system)
    try:
        first = history.versions(record)[0]["version_id"]
        history.revert(record, first, actor="gbm7")
    finally:
        setSecurityManager(saved)
    return "reverted to version"


def relation_changed(portal, record):
    other = api.content.create(
        container=portal, type="ServiceProvider", title="Oak Lodge", address="1 Oak Lane, Northbridge"
    )
    record.provider = RelationValue(getUtility(IIntIds).getId(other))
    modified(record, Attributes(IEnterAndViewReport, "provider"))
    return "edited"


def relation_target_deleted(portal, record):
    api.content.delete(record.provider.to_object, check_linkintegrity=False)
    return "edited"


def no_event(portal, record):
    record.premises = "Garden room (changed by a script)"
    # Nothing tells anyone; the next member who signs finds the change.
    fixtures.sign(record, "gbm3")
    return "changed after it was signed"


PATHS = [edit, revert, relation_changed, relation_target_deleted, no_event]


@pytest.mark.parametrize("change", PATHS, ids=[p.__name__ for p in PATHS])
def test_change_supersedes_and_tells_the_signers(portal, record, signer, mailhost, change):
    if change is revert:
        # Something to revert from: the findings were edited (signatures then given to the edited text).
        edit(portal, record)
    first, second = signer(record, "gbm1"), signer(record, "gbm2")
    mailhost.reset()
    reason = change(portal, record)

    items = {i["seq"]: i for i in signing.signatures(record, verify=False)}
    assert items[first["seq"]]["status"] == items[second["seq"]]["status"] == "superseded"
    status = signing.status(record)
    assert status["approvals"] == (1 if change is no_event else 0)  # gbm3 signed the changed content
    [notice] = status["superseded"]
    assert reason in notice["reason"]
    assert sorted(notice["signers"]) == ["Member 1 Name", "Member 2 Name"]
    sent = fixtures.mails(mailhost)
    assert sorted(to for to, _subject, _body in sent) == ["gbm1@example.org", "gbm2@example.org"]
    assert all("has changed" in subject and "@@sign" in body for _to, subject, body in sent)
    # Words people use: versions counted from 1, UK dates, names (no ids, no ISO dates, no "version 0").
    assert not any(re.search(r"version 0\b|\d{4}-\d{2}-\d{2}|gbm\d", body) for _to, _s, body in sent), sent
    assert all("Member 1 Name" in body or "Member 2 Name" in body for _to, _s, body in sent)
    if change is revert:
        assert "reverted to version 1 after" in notice["reason"]
    # Queued with the transaction: the mail leaves only if the change is committed.
    assert mailhost.immediate == [False, False]


def test_the_record_page_shows_the_notice(portal, record, signer, mailhost):
    from plone.app.testing import login
    from zope.interface import alsoProvides

    from links.content.interfaces import ILinksContentLayer

    signer(record, "gbm1")
    edit(portal, record)
    alsoProvides(record.REQUEST, ILinksContentLayer)
    login(portal, "gbm2")
    html = record.restrictedTraverse(record.getLayout())()
    assert "The record was edited after it was signed." in html
    assert "The signatures of Member 1 Name no longer count" in html


def test_a_change_that_keeps_the_content_supersedes_nothing(portal, record, signer, mailhost):
    signer(record, "gbm1")
    mailhost.reset()
    modified(record)
    assert signing.status(record)["approvals"] == 1
    assert mailhost.messages == []
