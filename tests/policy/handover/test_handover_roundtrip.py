"""Round trip: export the demo site (plus records with versions, files, relations and annotations), import it
into a freshly created site in the same Zope, and find no difference."""

import json
import zipfile

import pytest
import transaction
from AccessControl.SecurityManagement import newSecurityManager
from BTrees.OOBTree import OOBTree
from persistent.mapping import PersistentMapping
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.namedfile.file import NamedBlobFile
from z3c.relationfield import RelationValue
from zope.annotation.interfaces import IAnnotations
from zope.component import getUtility
from zope.component.hooks import setSite
from zope.intid.interfaces import IIntIds

from links.policy.handover import api as handover
from links.policy.handover.exceptions import TargetNotEmpty
from links.policy.handover.progress import Progress
from links.policy.site import create_site


def add_records(portal):
    """Records exercising what a handover must keep: versions, states, local roles, blobs, relations."""
    repository = api.portal.get_tool("portal_repository")
    folder = api.content.create(container=portal, type="Folder", id="handover-records", title="Records")
    api.user.grant_roles(username="member1", obj=folder, roles=["Editor"])
    attachment = api.content.create(
        container=folder,
        type="File",
        id="minutes.txt",
        title="Minutes",
        file=NamedBlobFile(b"Minutes of the governing body, 3 March 2026.", filename="minutes.txt"),
    )
    page = api.content.create(container=folder, type="Document", id="decision", title="Decision v1")
    repository.save(page, comment="first draft")
    page.title = "Decision v2"
    repository.save(page, comment="after the meeting")
    page.title = "Decision (final)"
    page.relatedItems = [RelationValue(getUtility(IIntIds).getId(attachment))]
    api.content.transition(page, transition="publish") if api.content.get_state(page, None) else None
    IAnnotations(page)["links.test.handover"] = PersistentMapping(
        {"signatures": OOBTree({"chair": {"meaning": "approved", "n": 1}}), "tags": {"a", "b"}}
    )
    transaction.commit()
    return page


@pytest.fixture
def source(functional):
    app, portal = functional["app"], functional["portal"]
    user = app.acl_users.getUser(SITE_OWNER_NAME).__of__(app.acl_users)
    newSecurityManager(None, user)
    setSite(portal)
    add_records(portal)
    return portal


@pytest.fixture
def exported(source, tmp_path):
    path = tmp_path / "handover.zip"
    summary = handover.export_archive(source, path)
    assert summary["totals"]["items"] >= 3
    return path, summary["fingerprint"]


@pytest.fixture
def archive(exported):
    return exported[0]


@pytest.fixture
def fingerprint(exported):
    return exported[1]


def fresh_site(app, site_id="successor"):
    site, created = create_site(app, site_id=site_id, demo=False, title="Successor host")
    assert created
    setSite(site)
    return site


def test_export_writes_a_signed_manifest(archive):
    manifest = handover.verify_archive(archive)
    assert manifest["format_version"] == 1
    assert manifest["source"]["site_id"] == "plone"
    page = next(item for item in manifest["items"] if item["path"] == "handover-records/decision")
    assert page["versions"] >= 2
    attachment = next(item for item in manifest["items"] if item["path"] == "handover-records/minutes.txt")
    assert len(attachment["blobs"]) == 1
    with zipfile.ZipFile(archive) as zf:
        assert zf.read("report/transitional-report.pdf").startswith(b"%PDF")
        data = json.loads(zf.read(f"items/{page['uid']}.json"))
    assert [v["comment"] for v in data["versions"]][-2:] == ["first draft", "after the meeting"]
    assert data["local_roles"]["admin"] == ["Owner"] or data["owner"]


def test_round_trip_is_identical(functional, source, archive, fingerprint):
    app = functional["app"]
    page_uid = source["handover-records"]["decision"].UID()
    source_history = api.portal.get_tool("portal_repository").getHistoryMetadata(
        source["handover-records"]["decision"]
    )
    source_meta = [
        source_history.retrieve(i, countPurged=False)["metadata"]["sys_metadata"]
        for i in range(source_history.getLength(countPurged=False))
    ]
    target = fresh_site(app)
    summary = handover.import_archive(target, archive, fingerprint, batch_size=2)
    assert summary["imported"] >= 3
    assert summary["verification"]["identical"]
    assert summary["authenticity"] == {"authenticity": "checked", "fingerprint": fingerprint}
    report = handover.compare(target, archive, progress=Progress(target.getId(), "import", stream=None))
    assert report["differences"] == []
    assert report["identical"]
    # The status endpoint follows the verification too (minutes on a large site), not just the import.
    status = handover.status(target.getId())
    assert (status["phase"], status["state"], status["done"], status["identical"]) == (
        "verification",
        "finished",
        report["items_checked"],
        True,
    )

    page = target["handover-records"]["decision"]
    assert page.UID() == page_uid
    assert page.relatedItems[0].to_object.getId() == "minutes.txt"
    assert "Editor" in target["handover-records"].get_local_roles_for_userid("member1")
    history = api.portal.get_tool("portal_repository").getHistoryMetadata(page)
    for position, meta in enumerate(source_meta):
        imported = history.retrieve(position, countPurged=False)["metadata"]["sys_metadata"]
        assert (imported["principal"], imported["timestamp"], imported["comment"]) == (
            meta["principal"],
            meta["timestamp"],
            meta["comment"],
        )
    assert target["handover-records"]["minutes.txt"].file.data.startswith(b"Minutes")
    assert api.user.get(userid="chair") is not None

    from links.content.audit import api as audit_api

    manifest = handover.verify_archive(archive)
    total, entries = audit_api.entries({"action": "handover.imported"}, site=target)
    assert total == 1
    assert entries[0]["seq"] == manifest["audit"]["head_seq"] + 1
    assert entries[0]["prev_hash"] == (manifest["audit"]["head_hash"] or "0" * 64)
    transaction.begin()  # see what the audit chainer committed in its own connection
    audit_check = audit_api.verify(site=target)
    assert audit_check["zodb"]["ok"], str(audit_check["zodb"])

    # Seals made by the outgoing host still verify: the successor trusts its public key (only that).
    from links.content.integrity import key_fingerprint
    from links.content.keys.api import public_key
    from links.content.signing import api as signing_api

    signed = signing_api.signatures(target["reports"]["visit-homecare-signed"])
    assert signed
    assert {record["key"] for record in signed} != {key_fingerprint(public_key())}
    assert [record["verification"] for record in signed] == [
        {"seal_valid": True, "hash_matches": True} for _ in signed
    ]


def test_import_refuses_a_site_with_other_records(functional, archive, fingerprint):
    target = fresh_site(functional["app"])
    api.content.create(container=target, type="Document", id="local", title="Local")
    transaction.commit()
    with pytest.raises(TargetNotEmpty, match="not in the archive"):
        handover.import_archive(target, archive, fingerprint)


def test_interrupted_import_leaves_the_site_as_it_was_and_runs_again(
    functional, archive, fingerprint, snapshot
):
    """All or nothing: a crash half-way (after several savepoints) leaves the fresh site exactly as it
    was; running the import again then imports everything, and running it once more changes nothing."""
    from links.policy.handover.importer import STATE_KEY

    class Crash(Progress):
        def step(self, count=1):
            super().step(count)
            if self.phase == "records" and self.done == 5:
                raise RuntimeError("power cut")

    target = fresh_site(functional["app"])
    transaction.begin()  # see what the audit chainer committed after the site was created
    before = snapshot(target)
    with pytest.raises(RuntimeError, match="power cut"):
        handover.import_archive(
            target, archive, fingerprint, batch_size=2, progress=Crash(target.getId(), "import", None)
        )
    transaction.begin()
    assert snapshot(target) == before
    summary = handover.import_archive(target, archive, fingerprint, batch_size=2)
    assert summary["skipped"] == 0 and summary["verification"]["identical"]
    again = handover.import_archive(target, archive, fingerprint)
    assert (
        again["imported"] == 0 and again["already_imported"] == IAnnotations(target)[STATE_KEY]["completed"]
    )
    assert again["verification"]["identical"]
