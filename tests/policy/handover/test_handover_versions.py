"""links.policy.handover.versions: the handover's fast version access gives what portal_repository gives."""

import pytest
from AccessControl.SecurityManagement import newSecurityManager
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.textfield.value import RichTextValue
from plone.namedfile.file import NamedBlobFile
from Products.CMFEditions.interfaces.IModifier import IAttributeModifier
from Products.CMFEditions.interfaces.IModifier import ICloneModifier
from Products.CMFEditions.interfaces.IModifier import ISaveRetrieveModifier
from zope.component.hooks import setSite

from links.policy.handover import serialize
from links.policy.handover import versions
from links.policy.handover.encoding import Encoder


@pytest.fixture
def portal(integration):
    app, portal = integration["app"], integration["portal"]
    newSecurityManager(None, app.acl_users.getUser(SITE_OWNER_NAME).__of__(app.acl_users))
    setSite(portal)
    return portal


def _versioned(portal):
    repository = api.portal.get_tool("portal_repository")
    folder = api.content.create(container=portal, type="Folder", id="versions-test", title="Versions")
    page = api.content.create(container=folder, type="Document", id="page", title="Page v1")
    repository.save(page, comment="one")
    page.title = "Page v2"
    page.text = RichTextValue("<p>Second</p>", "text/html", "text/x-html-safe")
    repository.save(page, comment="two")
    attachment = api.content.create(
        container=folder,
        type="File",
        id="notes.txt",
        title="Notes",
        file=NamedBlobFile(b"first notes", filename="notes.txt"),
    )
    repository.save(attachment, comment="file one")
    attachment.file = NamedBlobFile(b"second notes", filename="notes.txt")
    repository.save(attachment, comment="file two")
    repository.save(folder, comment="folder")
    return folder, page, attachment


def test_retrieve_gives_the_fields_the_repository_gives(portal):
    records = _versioned(portal)
    repository = api.portal.get_tool("portal_repository")
    checked = 0
    for obj in [*records, *serialize.walk(portal)]:
        for entry in versions.history_entries(obj):
            slow = repository.retrieve(obj, entry["version_id"]).object
            fast = versions.retrieve(obj, entry["version_id"])
            assert serialize.field_values(fast, Encoder()) == serialize.field_values(slow, Encoder())
            checked += 1
    assert checked >= 7
    page = records[1]
    assert [e["comment"] for e in versions.history_entries(page)][-2:] == ["one", "two"]
    assert versions.retrieve(page, versions.history_entries(page)[-2]["version_id"]).title == "Page v1"


def test_save_records_the_original_author_date_and_comment(portal):
    page = api.content.create(container=portal, type="Document", id="saved", title="Saved")
    before = len(versions.history_entries(page))
    versions.save(page, "member1", 1700000000.25, "made by the outgoing host")
    entries = versions.history_entries(page)
    assert len(entries) == before + 1
    assert {k: entries[-1][k] for k in ("principal", "timestamp", "comment")} == {
        "principal": "member1",
        "timestamp": 1700000000.25,
        "comment": "made by the outgoing host",
    }
    # The ZVC log entry (what portal_repository.retrieve reports) says the same as the shadow history.
    retrieved = api.portal.get_tool("portal_repository").retrieve(page, entries[-1]["version_id"])
    assert retrieved.sys_metadata["principal"] == "member1"
    assert retrieved.sys_metadata["timestamp"] == 1700000000.25
    assert retrieved.sys_metadata["comment"] == "made by the outgoing host"


@pytest.mark.parametrize("interface", [IAttributeModifier, ICloneModifier, ISaveRetrieveModifier])
def test_same_modifiers_collects_what_the_registry_collects(portal, interface):
    folder, page, attachment = _versioned(portal)
    registry = api.portal.get_tool("portal_modifier")
    expected = {
        (obj.getId(), r): [mod_id for mod_id, _mod in registry._collectModifiers(obj, interface, r)]
        for obj in (folder, page, attachment)
        for r in (False, True)
    }
    with versions.same_modifiers():
        for _twice in range(2):  # the second round comes from the remembered list
            for obj in (folder, page, attachment):
                for r in (False, True):
                    found = [mod_id for mod_id, _mod in registry._collectModifiers(obj, interface, r)]
                    assert found == expected[obj.getId(), r], (obj.getId(), r)
