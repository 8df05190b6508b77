"""Handover edge cases: relations (in versions too) to records imported later, and audit entries still
queued for the chainer when the export runs."""

import json
import zipfile

import pytest
import transaction
from AccessControl.SecurityManagement import newSecurityManager
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.component.hooks import setSite
from zope.intid.interfaces import IIntIds

from links.policy.handover import api as handover
from links.policy.handover import versions
from links.policy.site import create_site


@pytest.fixture
def portal(functional):
    app, portal = functional["app"], functional["portal"]
    newSecurityManager(None, app.acl_users.getUser(SITE_OWNER_NAME).__of__(app.acl_users))
    setSite(portal)
    return portal


def fresh_site(app, site_id="successor-forward"):
    site, created = create_site(app, site_id=site_id, demo=False, title="Successor host")
    assert created
    setSite(site)
    return site


def test_relations_to_records_imported_later_resolve_in_every_version(functional, portal, tmp_path):
    """Record "first" relates to records that come after it in the archive (imported after it): the
    relation snapshots of its versions and its current relations point to them after the import, a
    revert to an old version restores that version's targets, and folder order is the source's."""
    from links.content.history import api as history

    intids = getUtility(IIntIds)
    folder = api.content.create(container=portal, type="Folder", id="forward", title="Forward")
    first = api.content.create(container=folder, type="Document", id="first", title="First")
    api.content.create(container=folder, type="Document", id="middle", title="Middle")
    last = api.content.create(container=folder, type="Document", id="last", title="Last")
    # A record in a folder that comes after "forward" at the site root (its parent is not there either).
    elsewhere = api.content.create(container=portal, type="Folder", id="zz-later", title="Later")
    target = api.content.create(container=elsewhere, type="Document", id="target", title="Target")
    history.save(first, "no relation yet")
    first.relatedItems = [RelationValue(intids.getId(last))]
    with_last = history.save(first, "relates to the last record")
    first.relatedItems = [RelationValue(intids.getId(last)), RelationValue(intids.getId(target))]
    history.save(first, "relates to a record in a later folder")
    transaction.commit()
    source_order = list(folder.objectIds())
    source_root_order = [i for i in portal.objectIds() if i in ("forward", "zz-later")]
    uids = {"last": last.UID(), "target": target.UID()}

    def related_uids(obj):
        result = []
        for entry in versions.history_entries(obj):
            value = history.fields(obj, entry["version_id"]).get("relatedItems", {}).get("value") or []
            result.append([t["uid"] for t in value])
        return result

    source_related = related_uids(first)

    def version_hashes(folder_obj):
        from links.content.canonical import canonical_hash

        repository = api.portal.get_tool("portal_repository")
        return {
            obj.getId(): [
                canonical_hash(repository.retrieve(obj, e["version_id"]).object)
                for e in versions.history_entries(obj)
            ]
            for obj in folder_obj.objectValues()
        }

    source_hashes = version_hashes(folder)
    assert source_related[-3:] == [[], [uids["last"]], [uids["last"], uids["target"]]]

    archive = tmp_path / "forward.zip"
    fingerprint = handover.export_archive(portal, archive, include_report=False)["fingerprint"]
    successor = fresh_site(functional["app"])
    summary = handover.import_archive(successor, archive, fingerprint, batch_size=1)
    assert summary["unresolved_relations"] == []
    report = handover.compare(successor, archive)
    assert report["differences"] == []

    imported = successor["forward"]["first"]
    assert related_uids(imported) == source_related
    assert [r.to_object.UID() for r in imported.relatedItems] == [uids["last"], uids["target"]]
    # Records created ahead of their turn are put back in their folder's order (and catalog positions).
    assert list(successor["forward"].objectIds()) == source_order
    assert [i for i in successor.objectIds() if i in ("forward", "zz-later")] == source_root_order
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        path={"query": "/successor-forward/forward", "depth": 1}, sort_on="getObjPositionInParent"
    )
    assert [brain.getId for brain in brains] == source_order
    # Every version hashes (links.content.canonical, what signatures and witnesses seal) as in the source.
    assert version_hashes(successor["forward"]) == source_hashes
    # The old version's relation resolves in the successor: reverting to it restores its target.
    history.revert(imported, with_last)
    assert [r.to_object for r in imported.relatedItems] == [successor["forward"]["last"]]


def test_export_includes_audit_entries_still_queued(portal, tmp_path):
    from links.content.audit import api as audit_api
    from links.content.audit.storage import get_log
    from links.content.audit.storage import new_token

    log = get_log(portal, create=True)
    transaction.commit()
    # Queued and committed, but not chained yet (as when the chainer lost a conflict or has not run).
    log.queue.add(new_token(), (audit_api.make_entry("test.queued", portal, {"n": 1}),))
    transaction.commit()
    assert audit_api.entries({"action": "test.queued"}, site=portal)[0] == 0

    archive = tmp_path / "queued.zip"
    summary = handover.export_archive(portal, archive, include_report=False)
    with zipfile.ZipFile(archive) as zf:
        lines = [json.loads(line) for line in zf.read("audit/entries.jsonl").splitlines()]
    queued = [entry for entry in lines if entry["action"] == "test.queued"]
    assert len(queued) == 1
    assert summary["audit"]["head_seq"] == lines[-1]["seq"] >= queued[0]["seq"]
    assert summary["audit"]["head_hash"] == lines[-1]["hash"]
    transaction.begin()  # see what the chainer committed in its own transaction
    total, entries = audit_api.entries({"action": "test.queued"}, site=portal)
    assert total == 1
    assert entries[0]["hash"] == queued[0]["hash"]
