"""Restore a verified handover archive into a freshly created site.

Order: verify everything (nothing is written before) -> principals -> registry -> audit trail -> records
(parents first, each with its versions replayed in order) -> relations -> site root. Work is committed in
batches; the site remembers which records are done (by UID), so an interrupted import re-run skips them.
"""

import contextlib
import json
import secrets
import zipfile
from pathlib import Path

import transaction
from Acquisition import aq_base
from BTrees.OOBTree import OOTreeSet
from persistent.mapping import PersistentMapping
from plone import api
from plone.app.uuid.utils import uuidToObject
from plone.dexterity.utils import createContent
from plone.uuid.interfaces import IMutableUUID
from zope.annotation.interfaces import IAnnotations
from zope.component import queryUtility
from zope.intid.interfaces import IIntIds

from links.policy.handover import serialize
from links.policy.handover.encoding import Decoder
from links.policy.handover.encoding import dumps
from links.policy.handover.encoding import sha256
from links.policy.handover.exceptions import TargetNotEmpty
from links.policy.handover.progress import Progress
from links.policy.handover.verify import check_archive
from links.policy.handover.verify import site_state_is_fresh

STATE_KEY = "links.policy.handover"


def _state(site, manifest_sha: str):
    annotations = IAnnotations(site)
    state = annotations.get(STATE_KEY)
    if state is None:
        state = annotations[STATE_KEY] = PersistentMapping(
            {
                "manifest_sha256": manifest_sha,
                "done": OOTreeSet(),
                "relations": OOTreeSet(),
                "steps": OOTreeSet(),
            }
        )
    elif state["manifest_sha256"] != manifest_sha:
        raise TargetNotEmpty(
            "an import of a different archive was started in this site: create a fresh site and import there"
        )
    return state


@contextlib.contextmanager
def no_autoversion():
    """Switch CMFEditions' automatic versioning off while records are written, so only the archive's
    versions exist; the policy map is put back before the transaction commits."""
    repository = api.portal.get_tool("portal_repository")
    saved = repository._version_policy_mapping
    repository._version_policy_mapping = {}
    try:
        yield repository
    finally:
        repository._version_policy_mapping = saved


def _intid_of(uid: str):
    intids = queryUtility(IIntIds)
    obj = uuidToObject(uid, unrestricted=True)
    return intids.queryId(aq_base(obj)) if obj is not None and intids is not None else None


def _update_relations(obj) -> None:
    from z3c.relationfield.event import updateRelations

    updateRelations(obj, None)


def _save_version(repository, obj, version: dict) -> None:
    """Save a CMFEditions version, then give it the original author, date and comment."""
    repository.save(obj, comment=version["comment"])
    history_id = api.portal.get_tool("portal_historyidhandler").queryUid(obj)
    shadow = api.portal.get_tool("portal_historiesstorage")._getShadowHistory(history_id)
    version_id = shadow.nextVersionId - 1
    full = shadow._full[version_id]
    sys_metadata = full["metadata"]["sys_metadata"]
    sys_metadata["principal"] = version["principal"]
    sys_metadata["timestamp"] = version["timestamp"]
    sys_metadata["comment"] = version["comment"]
    shadow._full[version_id] = full  # reassign: the BTree must see the change


def _set_dates(obj, data: dict, decoder: Decoder) -> None:
    base = aq_base(obj)
    for name in ("creation_date", "modification_date"):
        if data.get(name) is not None:
            setattr(base, name, decoder.decode(data[name]))
    obj.reindexObject(idxs=["created", "modified"])


def _apply_security(obj, data: dict, decoder: Decoder) -> None:
    base = aq_base(obj)
    base.__ac_local_roles__ = {principal: list(roles) for principal, roles in data["local_roles"].items()}
    if data.get("local_roles_block"):
        base.__ac_local_roles_block__ = True
    elif "__ac_local_roles_block__" in base.__dict__:
        del base.__ac_local_roles_block__
    if data.get("owner"):
        site = api.portal.get()
        base._owner = (list(site.acl_users.getPhysicalPath()[1:]), data["owner"])
    elif "_owner" in base.__dict__:
        del base._owner  # the source record had no owner of its own (acquired)
    history = decoder.decode(data["workflow_history"]) if data["workflow_history"] else {}
    base.workflow_history = PersistentMapping(history)
    workflow_tool = api.portal.get_tool("portal_workflow")
    for workflow in workflow_tool.getWorkflowsFor(obj):
        workflow.updateRoleMappingsFor(obj)


def restore_item(site, data: dict, decoder: Decoder) -> object:
    """Create (or complete) one record from its archive JSON; returns the object."""
    with no_autoversion() as repository:
        obj = uuidToObject(data["uid"], unrestricted=True)
        if obj is None:
            parent_path = data["path"].rpartition("/")[0]
            container = site.unrestrictedTraverse(parent_path) if parent_path else site
            new = createContent(data["portal_type"])
            IMutableUUID(new).set(data["uid"])
            new.id = data["id"]
            container._setObject(data["id"], new)
            obj = container[data["id"]]
        for version in data["versions"]:
            serialize.set_field_values(obj, version["fields"], decoder)
            _save_version(repository, obj, version)
        serialize.set_field_values(obj, data["fields"], decoder)
        if data.get("layout"):
            aq_base(obj).layout = data["layout"]
        for name, value in data.get("dublin_core_dates", {}).items():
            setattr(aq_base(obj), name, decoder.decode(value))
        serialize.set_annotations(obj, data["annotations"], decoder)
        _apply_security(obj, data, decoder)
        _update_relations(obj)
        obj.reindexObject()
        obj.reindexObjectSecurity()
        _set_dates(obj, data, decoder)
    return obj


def restore_principals(site, data: dict) -> None:
    acl = site.acl_users
    decoder = Decoder()
    role_manager = acl.portal_role_manager
    valid_roles = set(role_manager.listRoleIds())
    existing = set(acl.source_users.getUserIds())
    for user in data["users"]:
        if user["id"] not in existing:
            acl.source_users.addUser(user["id"], user["login"], secrets.token_urlsafe(32))
        if user.get("password_hash"):
            acl.source_users._user_passwords[user["id"]] = user["password_hash"]
        member = api.user.get(userid=user["id"])
        properties = {k: decoder.decode(v) for k, v in user["properties"].items()}
        if member is not None and properties:
            member.setMemberProperties({k: v for k, v in properties.items() if v is not None})
        role_manager.assignRolesToPrincipal([r for r in user["roles"] if r in valid_roles], user["id"])
    groups = set(acl.source_groups.getGroupIds())
    for group in data["groups"]:
        if group["id"] not in groups:
            api.group.create(groupname=group["id"], title=group["title"], description=group["description"])
        else:
            api.group.get(groupname=group["id"]).setGroupProperties(
                {"title": group["title"], "description": group["description"]}
            )
        role_manager.assignRolesToPrincipal([r for r in group["roles"] if r in valid_roles], group["id"])
        members = set(acl.source_groups.getGroupMembers(group["id"]))
        for principal in group["members"]:
            if principal not in members:
                acl.source_groups.addPrincipalToGroup(principal, group["id"])
        for principal in members - set(group["members"]):
            acl.source_groups.removePrincipalFromGroup(principal, group["id"])


def restore_registry(data: dict) -> list[str]:
    """Set the product's registry records; returns the names this site does not know (left out)."""
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    registry = getUtility(IRegistry)
    decoder = Decoder()
    unknown = []
    for name, value in data.items():
        if name in registry.records:
            registry.records[name].value = decoder.decode(value)
        else:
            unknown.append(name)
    return unknown


def restore_audit(site, archive: zipfile.ZipFile, manifest: dict, manifest_sha: str) -> dict:
    """Put the source's audit chain in front of this site's own entries; continue with "handover.imported".

    The imported entries keep their seq, body and hash, so the chain verifies from genesis; this site's own
    earlier entries (site creation) are chained again after the handover event. The source's checkpoints
    were sealed with the source key: they stay in the archive and in the handover state, not in the log.
    """
    from links.content.audit import api as audit_api
    from links.content.audit.encoding import decode
    from links.content.audit.storage import get_log
    from links.content.audit.storage import now_iso

    audit_api.chain_now(site)
    log = get_log(site, create=True)
    own = [decode(body) for body, _hash in log.entries.values()]
    log.reset()
    with archive.open("audit/entries.jsonl") as handle:
        for line in handle:
            entry = json.loads(line)
            expected = entry.pop("hash")
            seq, value = log.append_chained({k: v for k, v in entry.items() if k not in ("seq", "prev_hash")})
            if seq != entry["seq"] or value != expected:
                raise TargetNotEmpty(f"the audit trail in the archive is broken at entry {entry['seq']}")
    source_head = {"seq": log.last_seq, "hash": log.last_hash}
    log.append_chained(
        audit_api.make_entry(
            "handover.imported",
            site,
            {
                "source_site": manifest["source"]["site_id"],
                "source_head": source_head,
                "manifest_sha256": manifest_sha,
                "source_key_sha256": manifest["public_key_sha256"],
                "records": manifest["totals"]["items"],
            },
        )
    )
    for entry in own:
        log.append_chained({k: v for k, v in entry.items() if k not in ("seq", "prev_hash", "hash")})
    log.last_imported = now_iso()
    audit_api.checkpoint(site)
    return source_head


def _rebase_outside_head(site) -> None:
    """The audit trail keeps its head outside the ZODB too and reports a chain that went backwards or was
    replaced. Here the fresh site's short chain was deliberately rebased onto the imported one (recorded
    by the "handover.imported" entry), so the outside head is set to the new chain's head."""
    import os

    from links.content.audit import readstore
    from links.content.audit.encoding import encode
    from links.content.audit.storage import get_log

    log = get_log(site)
    path = readstore.audit_dir(site.getId()) / "zodb-head.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(encode({"seq": log.last_seq, "hash": log.last_hash}), encoding="utf-8")
    os.replace(tmp, path)


def import_archive(
    site,
    path: str | Path,
    expected_fingerprint: str | None = None,
    batch_size: int = 100,
    progress: Progress | None = None,
) -> dict:
    """Verify the archive, then restore it into ``site`` (a fresh site, or one this archive was partly
    imported into).

    :param site: the target Plone site
    :param path: the archive
    :param expected_fingerprint: the outgoing host's public key fingerprint, if known
    :param batch_size: records per committed transaction
    :param progress: progress reporter (default: console)
    :returns: summary: records imported and skipped, unknown registry records, relations left unresolved
    :raises ArchiveRefused: the archive failed verification (nothing changed)
    :raises TargetNotEmpty: the site holds other records (nothing changed)
    """
    path = Path(path)
    manifest = check_archive(path, expected_fingerprint)
    with zipfile.ZipFile(path) as archive:
        manifest_sha = sha256(archive.read("manifest.json"))
        foreign = site_state_is_fresh(site, manifest)
        if foreign:
            raise TargetNotEmpty(
                f"the site already holds {len(foreign)} records that are not in the archive "
                f"(first: {foreign[0]}); import into a freshly created site"
            )
        progress = progress or Progress(site.getId(), "import")
        try:
            return _import(site, archive, manifest, manifest_sha, batch_size, progress)
        except Exception as error:
            transaction.abort()
            progress.fail(str(error))
            raise


def _import(site, archive, manifest, manifest_sha, batch_size, progress) -> dict:
    state = _state(site, manifest_sha)
    steps = state["steps"]
    summary = {"imported": 0, "skipped": 0, "unknown_registry_records": [], "unresolved_relations": []}
    if "principals" not in steps:
        progress.start_phase("users and groups", 1)
        restore_principals(site, json.loads(archive.read("principals.json")))
        steps.insert("principals")
        progress.step()
        transaction.commit()
    if "registry" not in steps:
        summary["unknown_registry_records"] = restore_registry(json.loads(archive.read("registry.json")))
        steps.insert("registry")
        transaction.commit()
    if manifest.get("audit", {}).get("available") and "audit" not in steps:
        restore_audit(site, archive, manifest, manifest_sha)
        state["source_checkpoints"] = archive.read("audit/checkpoints.json").decode("utf-8")
        state["source_public_key"] = archive.read("public-key.pem").decode("ascii")
        steps.insert("audit")
        transaction.commit()
        _rebase_outside_head(site)

    def blob_source(digest: str) -> bytes:
        data = archive.read(f"blobs/{digest}")
        if sha256(data) != digest:
            raise TargetNotEmpty(f"blob {digest} changed while importing")
        return data

    done, pending = state["done"], state["relations"]
    progress.start_phase("records", len(manifest["items"]))
    in_batch = 0
    for item in manifest["items"]:
        if item["uid"] in done:
            summary["skipped"] += 1
            progress.step()
            continue
        raw = archive.read(f"items/{item['uid']}.json")
        if sha256(raw) != item["sha256"]:
            raise TargetNotEmpty(f"items/{item['uid']}.json changed while importing")
        data = json.loads(raw)
        decoder = Decoder(blob_source=blob_source, intid_of=_intid_of)
        restore_item(site, data, decoder)
        if decoder.missing_relations:
            pending.insert(item["uid"])
        done.insert(item["uid"])
        summary["imported"] += 1
        in_batch += 1
        progress.step()
        if in_batch >= batch_size:
            transaction.commit()
            site._p_jar.cacheGC()
            in_batch = 0
    transaction.commit()

    progress.start_phase("relations", len(pending))
    for uid in list(pending):
        data = json.loads(archive.read(f"items/{uid}.json"))
        decoder = Decoder(blob_source=blob_source, intid_of=_intid_of)
        obj = uuidToObject(uid, unrestricted=True)
        with no_autoversion():
            serialize.set_field_values(obj, data["fields"], decoder, only_relations=True)
        _update_relations(obj)
        _set_dates(obj, data, decoder)
        summary["unresolved_relations"].extend(f"{data['path']} -> {u}" for u in decoder.missing_relations)
        pending.remove(uid)
        progress.step()
    _restore_site(site, json.loads(archive.read("site.json")), blob_source)
    # Seals made by the outgoing host stay verifiable: trust its public key (never its private key), on
    # top of the keys it trusted itself (restored with the site's annotations just above).
    from links.content.keys.api import trust_predecessor_key

    trust_predecessor_key(archive.read("public-key.pem"), site)
    _reset_container_dates(site, archive, manifest)
    steps.insert("site")
    api.portal.set_registry_record("plone.site_title", site.Title())
    transaction.commit()
    try:
        from links.content.audit import api as audit_api

        audit_api.record(
            "handover.completed", site, {"imported": summary["imported"], "skipped": summary["skipped"]}
        )
        transaction.commit()
    except ImportError:
        pass
    progress.finish(**{k: v for k, v in summary.items() if isinstance(v, int)})
    return summary


def _restore_site(site, data: dict, blob_source) -> None:
    decoder = Decoder(blob_source=blob_source, intid_of=_intid_of)
    with no_autoversion():
        serialize.set_field_values(site, data["fields"], decoder)
    aq_base(site).__ac_local_roles__ = {p: list(r) for p, r in data["local_roles"].items()}
    serialize.set_annotations(site, data["annotations"], decoder)
    site.title = data["title"]
    site.reindexObject()


def _reset_container_dates(site, archive, manifest) -> None:
    """Adding children touches a folder's modification date: put the archive's dates back."""
    for item in manifest["items"]:
        obj = uuidToObject(item["uid"], unrestricted=True)
        if obj is None or not getattr(aq_base(obj), "isPrincipiaFolderish", False):
            continue
        data = json.loads(archive.read(f"items/{item['uid']}.json"))
        if dumps(data["modification_date"]) != dumps(serialize.Encoder().encode(obj.modification_date)):
            _set_dates(obj, data, Decoder())
