"""Restore a verified handover archive into a fresh site: all or nothing.

Order: verify everything (nothing is written before) -> users and groups -> registry -> audit trail ->
records (parents first, each with its versions replayed in order; a record that a relation or a child needs
before its turn is created then and completed at its turn) -> relations to records outside the archive ->
folder order -> site root -> comparison with the archive. All of it is one transaction: it is committed only
when the comparison says identical, so an import that stops for any reason (a refusal, an error, a crash, a
difference) leaves the target exactly as it was, and running it again starts it again. Memory stays flat:
every ``batch_size`` records the catalog queue is processed, a savepoint moves the changes to the
storage's temporary file and the ZODB cache is trimmed.

What the archive may grant is limited (see ``privileges``); what was left out is listed in the result.

Speed (issue #6: 10,000 records with 5 versions each in under 10 minutes): versions are written through
``versions`` (no savepoint per version, author/date/comment recorded directly), a version sets only the
fields that differ from the previous one, records are found by path rather than by catalog query (which
would index the whole queue each time), each record is indexed once per batch, and a record is added
without a "container modified" event on its folder (which would stamp and reindex the folder per child).
"""

import contextlib
import re
import secrets

import transaction
from Acquisition import aq_base
from OFS.event import ObjectWillBeAddedEvent
from persistent.mapping import PersistentMapping
from plone import api
from plone.app.uuid.utils import uuidToObject
from plone.dexterity.interfaces import IDexterityFTI
from plone.dexterity.utils import createContent
from plone.uuid.interfaces import IUUID
from plone.uuid.interfaces import IMutableUUID
from zope.annotation.interfaces import IAnnotations
from zope.component import queryUtility
from zope.event import notify
from zope.intid.interfaces import IIntIds
from zope.lifecycleevent import ObjectAddedEvent

from links.content.integrity import dumps
from links.policy.handover import privileges
from links.policy.handover import serialize
from links.policy.handover import versions
from links.policy.handover.encoding import Decoder
from links.policy.handover.exceptions import ArchiveRefused
from links.policy.handover.exceptions import FingerprintRequired
from links.policy.handover.exceptions import NotIdentical
from links.policy.handover.exceptions import TargetNotEmpty
from links.policy.handover.privileges import ImportOptions
from links.policy.handover.progress import Progress
from links.policy.handover.verify import GC_EVERY
from links.policy.handover.verify import authenticity
from links.policy.handover.verify import compare_verified
from links.policy.handover.verify import open_verified
from links.policy.handover.verify import site_state_is_fresh

#: Site annotation recording a completed import: manifest digest, options, authenticity, what was left out.
STATE_KEY = "links.policy.handover"
PRINCIPAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._@+-]{0,99}\Z")
#: Principal ids PAS gives a meaning of its own; an archive never creates or changes them.
VIRTUAL_PRINCIPALS = ("AuthenticatedUsers", "Anonymous", "Anonymous User")


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


class Records:
    """Finds the archive's records in the target site by their paths, and creates one ahead of its turn when
    a relation (in a version or in the current fields) or a child needs it.

    Lookups go by path, not through the catalog: a catalog query first indexes everything queued in the
    transaction, once per record. A record created ahead of its turn is an empty object with the archive's
    UID (so relations to it get its intid); it is completed when its turn comes, and the folder order is
    put back at the end (``restore_order``).
    """

    def __init__(self, site, manifest: dict, early):
        self.site = site
        self.items = {item["uid"]: item for item in manifest["items"]}
        self.uid_at = {item["path"]: item["uid"] for item in manifest["items"]}
        self.early = early  # UIDs created ahead of their turn

    def find(self, uid: str):
        """The record with ``uid`` (None if it does not exist yet)."""
        item = self.items.get(uid)
        if item is None:
            return uuidToObject(uid, unrestricted=True)
        obj = self.site
        for name in item["path"].split("/"):
            obj = obj._getOb(name, None)  # never acquired: _getOb looks at the container's own items
            if obj is None:
                return None
        return obj if IUUID(obj, None) == uid else None

    def get_or_create(self, uid: str, early: bool = False):
        """The record with ``uid``, created (empty, with its UID) if it does not exist yet."""
        obj = self.find(uid)
        if obj is not None:
            return obj
        item = self.items[uid]
        parent_path, _, name = item["path"].rpartition("/")
        parent = self.get_or_create(self.uid_at[parent_path], early=True) if parent_path else self.site
        new = createContent(item["type"])
        IMutableUUID(new).set(uid)
        new.id = name
        with no_autoversion():  # only the archive's versions: none made on adding
            # The add events, but no ContainerModifiedEvent for the parent: it would stamp and reindex the
            # parent once per child (a sixth of the import's time), and the parent's archived dates are
            # what the import puts back.
            notify(ObjectWillBeAddedEvent(new, parent, name))
            parent._setObject(name, new, suppress_events=True)
            obj = parent._getOb(name)
            notify(ObjectAddedEvent(obj, parent, name))
        if early:
            self.early.add(uid)
        return obj

    def intid_of(self, uid: str):
        """The intid of a relation's target; a target from the archive that is not there yet is created."""
        intids = queryUtility(IIntIds)
        if intids is None:
            return None
        obj = self.get_or_create(uid, early=True) if uid in self.items else self.find(uid)
        return intids.queryId(aq_base(obj)) if obj is not None else None


def restore_order(site, records: Records, manifest: dict) -> None:
    """Put records created ahead of their turn in their folder's order as in the source site."""
    from plone.folder.interfaces import IExplicitOrdering

    parents = {records.items[uid]["path"].rpartition("/")[0] for uid in records.early}
    siblings = {parent: [] for parent in parents}
    for item in manifest["items"]:
        parent, _, name = item["path"].rpartition("/")
        if parent in siblings:
            siblings[parent].append(name)
    for parent_path, names in siblings.items():
        parent = records.find(records.uid_at[parent_path]) if parent_path else site
        ordering = parent.getOrdering() if hasattr(aq_base(parent), "getOrdering") else None
        if not IExplicitOrdering.providedBy(ordering):
            continue  # an unordered folder: nothing to put back
        archived = set(names)
        present = [name for name in ordering.idsInOrder() if name in archived]
        there = set(present)
        wanted = [name for name in names if name in there]
        if present != wanted:
            # The archive's items take the slots its items hold now, in the source's order (other objects
            # keep theirs). No container event: nothing was modified, only the positions are reindexed.
            ordering.moveObjectsByDelta(wanted, -len(present), subset_ids=present, suppress_events=True)
            for name in present:
                parent._getOb(name).reindexObject(idxs=["getObjPositionInParent"])
    records.early.clear()


def _update_relations(obj) -> None:
    from z3c.relationfield.event import updateRelations

    updateRelations(obj, None)


def _set_dates(obj, data: dict, decoder: Decoder, reindex: bool = True) -> None:
    base = aq_base(obj)
    for name in ("creation_date", "modification_date"):
        if data.get(name) is not None:
            setattr(base, name, decoder.decode(data[name], f"/{name}"))
    if reindex:
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
    history = (
        decoder.decode(data["workflow_history"], "/workflow_history") if data["workflow_history"] else {}
    )
    base.workflow_history = PersistentMapping(history)
    workflow_tool = api.portal.get_tool("portal_workflow")
    for workflow in workflow_tool.getWorkflowsFor(obj):
        workflow.updateRoleMappingsFor(obj)


def _set_changed_fields(obj, fields: dict, applied: dict, decoder: Decoder, where: str = "/fields") -> None:
    """Set the fields whose archived value differs from the one set last (``applied``, updated here).

    Consecutive versions of a record usually differ in a field or two; a field whose encoded value is the
    one already set holds that value already (setting it again would give an equal value).
    """
    changed = {key: value for key, value in fields.items() if key not in applied or applied[key] != value}
    if changed:
        serialize.set_field_values(obj, changed, decoder, where=where)
        applied.update(changed)


def restore_item(site, data: dict, decoder: Decoder, obj) -> object:
    """Complete one record from its archive JSON: versions replayed in order (with their original author,
    date and comment), then the current state, security and relations. Returns the object.

    :param obj: the record, as created by ``Records.get_or_create`` (empty, with the archive's UID)
    """
    with no_autoversion(), versions.same_modifiers():
        applied = {}
        for index, version in enumerate(data["versions"]):
            _set_changed_fields(obj, version["fields"], applied, decoder, f"/versions[{index}]/fields")
            versions.save(obj, version["principal"], version["timestamp"], version["comment"])
        _set_changed_fields(obj, data["fields"], applied, decoder)
        if data.get("layout"):
            aq_base(obj).layout = data["layout"]
        for name, value in data.get("dublin_core_dates", {}).items():
            setattr(aq_base(obj), name, decoder.decode(value, f"/dublin_core_dates/{name}"))
        serialize.set_annotations(obj, data["annotations"], decoder)
        _apply_security(obj, data, decoder)
        _update_relations(obj)
        obj.reindexObject()  # queued: indexed once, with the dates set just below
        _set_dates(obj, data, decoder, reindex=False)
        if getattr(aq_base(obj), "isPrincipiaFolderish", False):
            # Children created ahead of their turn must see this folder's local roles and state.
            obj.reindexObjectSecurity()
    return obj


def _checked_principals(data) -> dict:
    """``principals.json`` with the shape FORMAT.md gives it, or refused (the archive is data)."""

    def bad(message):
        raise ArchiveRefused([f"principals.json is malformed: {message}"])

    def texts(value, what):
        if not isinstance(value, list) or not all(isinstance(v, str) and len(v) <= 200 for v in value):
            bad(f"{what} is not a list of names")
        return value

    if (
        not isinstance(data, dict)
        or not isinstance(data.get("users"), list)
        or not isinstance(data.get("groups"), list)
    ):
        bad("it needs the lists users and groups")
    for user in data["users"]:
        if (
            not isinstance(user, dict)
            or not isinstance(user.get("id"), str)
            or not PRINCIPAL_ID.match(user["id"])
        ):
            bad(f"a user has no valid id ({str(user)[:80]})")
        if (
            user["id"] in VIRTUAL_PRINCIPALS
            or not isinstance(user.get("login"), str)
            or len(user["login"]) > 200
        ):
            bad(f"user {user['id']} has no valid login")
        texts(user.get("roles"), f"the roles of user {user['id']}")
        if not isinstance(user.get("properties", {}), dict):
            bad(f"the properties of user {user['id']} are not an object")
        if not isinstance(user.get("password_hash") or "", str):
            bad(f"the password hash of user {user['id']} is not text")
    for group in data["groups"]:
        if (
            not isinstance(group, dict)
            or not isinstance(group.get("id"), str)
            or not PRINCIPAL_ID.match(group["id"])
        ):
            bad(f"a group has no valid id ({str(group)[:80]})")
        if group["id"] in VIRTUAL_PRINCIPALS:
            bad(f"the group {group['id']} is PAS's own")
        if not all(isinstance(group.get(key, ""), str) for key in ("title", "description")):
            bad(f"group {group['id']} has a title or description that is not text")
        texts(group.get("roles"), f"the roles of group {group['id']}")
        texts(group.get("members"), f"the members of group {group['id']}")
    return data


def _site_principals(site) -> tuple[dict, dict]:
    """The target's site roles (principal -> roles) and group members (group -> members), as they are."""
    acl = site.acl_users
    roles = {principal: list(value) for principal, value in acl.portal_role_manager._principal_roles.items()}
    members = {
        group: list(acl.source_groups.getGroupMembers(group)) for group in acl.source_groups.getGroupIds()
    }
    return roles, members


def principals_plan(site, archive, options: ImportOptions):
    """What users and groups should be after the import (``privileges.principals_plan``)."""
    roles, members = _site_principals(site)
    return privileges.principals_plan(
        _checked_principals(archive.json("principals.json")), roles, members, options
    )


def restore_principals(site, data: dict) -> None:
    """Create and update users and groups as ``data`` (the planned principals) says."""
    acl = site.acl_users
    decoder = Decoder(item="principals.json")
    role_manager = acl.portal_role_manager
    valid_roles = set(role_manager.listRoleIds())
    existing = set(acl.source_users.getUserIds())
    known_properties = set(api.portal.get_tool("portal_memberdata").propertyIds())
    for user in data["users"]:
        if user["id"] not in existing:
            acl.source_users.addUser(user["id"], user["login"], secrets.token_urlsafe(32))
        if user.get("password_hash"):  # only there when the operator allowed password hashes
            acl.source_users._user_passwords[user["id"]] = user["password_hash"]
        member = api.user.get(userid=user["id"])
        properties = {
            k: decoder.decode(v, f"/users/{user['id']}/properties/{k}")
            for k, v in user.get("properties", {}).items()
            if k in known_properties and k not in serialize.SKIPPED_MEMBER_PROPERTIES
        }
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


def registry_plan(archive, options: ImportOptions):
    data = archive.json("registry.json")
    if not isinstance(data, dict):
        raise ArchiveRefused(["registry.json is malformed: it is not an object of record name to value"])
    return privileges.registry_plan(data, serialize.registry_data(), options)


def restore_registry(planned: dict) -> None:
    """Set the product's registry records to the planned values (``registry_plan``)."""
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    registry = getUtility(IRegistry)
    decoder = Decoder(item="registry.json")
    current = serialize.registry_data()
    for name, value in planned.items():
        if name in registry.records and current.get(name) != value:
            try:
                registry.records[name].value = decoder.decode(value, f"/{name}")
            except (ValueError, TypeError) as error:  # the record's field refuses the value
                raise ArchiveRefused([f"registry.json at /{name}: {error}"]) from None


def restore_audit(site, archive, manifest: dict, manifest_sha: str, trust: dict) -> dict:
    """Put the source's audit chain in front of this site's own entries; continue with "handover.imported".

    The imported entries keep their seq, body and hash, so the chain verifies from genesis; this site's own
    earlier entries (site creation) are chained again after the handover event. The source's checkpoints
    were sealed with the source key: they stay in the archive and in the handover state, not in the log.
    The "handover.imported" entry says whether the archive's key was checked against a fingerprint.
    """
    from links.content.audit import api as audit_api
    from links.content.audit.storage import get_log
    from links.content.audit.storage import now_iso
    from links.content.integrity import decode

    audit_api.chain_now(site)
    log = get_log(site, create=True)
    own = [decode(body) for body, _hash in log.entries.values()]
    log.reset()
    for entry in archive.json_lines("audit/entries.jsonl"):
        if not isinstance(entry, dict) or not isinstance(entry.get("hash"), str) or "seq" not in entry:
            raise ArchiveRefused(["audit/entries.jsonl has a line that is not an audit entry"])
        expected = entry.pop("hash")
        seq, value = log.append_chained({k: v for k, v in entry.items() if k not in ("seq", "prev_hash")})
        if seq != entry["seq"] or value != expected:
            raise ArchiveRefused([f"the audit trail in the archive is broken at entry {entry['seq']}"])
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
                **trust,
            },
        )
    )
    for entry in own:
        log.append_chained({k: v for k, v in entry.items() if k not in ("seq", "prev_hash", "hash")})
    log.last_imported = now_iso()
    audit_api.checkpoint(site)
    return source_head


def _restore_version_witnesses(site, site_data: dict, limits) -> None:
    """Put the source's record of witnessed versions in place before the records are imported.

    The source's audit chain (imported above) already holds a ``version.saved`` witness for each version
    in the archive. With the source's ``(uid, version_id)`` list in place, the witness hook that runs when
    an imported record is added finds its versions witnessed and neither retrieves them again nor writes
    duplicate witnesses; ``audit.api.verify`` on the successor then checks the imported versions against
    the hashes the outgoing host witnessed. (The site's annotations are restored again at the end.)
    """
    from links.content.audit.witness import KEY

    encoded = site_data.get("annotations", {}).get(KEY)
    if encoded is not None:
        decoder = Decoder(item="site.json", max_depth=limits.json_depth)
        IAnnotations(site)[KEY] = decoder.decode(encoded, f"/annotations/{KEY}")


def _rebase_outside_head(ok: bool, db, oid, site_id: str) -> None:
    """After commit: the audit trail keeps its head outside the ZODB too and reports a chain that went
    backwards or was replaced. Here the fresh site's short chain was deliberately rebased onto the imported
    one (recorded by the "handover.imported" entry), so the outside head is set to the new chain's head,
    read in a connection of its own (the chainer may already have moved it on)."""
    import os

    from links.content.audit import readstore
    from links.content.integrity import encode

    if not ok:
        return
    manager = transaction.TransactionManager(explicit=True)
    connection = db.open(transaction_manager=manager)
    manager.begin()
    try:
        log = connection.get(oid)
        path = readstore.audit_dir(site_id) / "zodb-head.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(encode({"seq": log.last_seq, "hash": log.last_hash}), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        manager.abort()
        connection.close()


def _savepoint(site) -> None:
    """Index what is queued, move this transaction's changes to the storage's temporary file, and let the
    ZODB cache forget them (a 10,000-record import stays one transaction in flat memory)."""
    from Products.CMFCore.indexing import processQueue

    processQueue()
    transaction.savepoint(optimistic=True)
    site._p_jar.cacheGC()


def _check_target(site, verified) -> None:
    """Refuse, before anything is written, what the target cannot take: records that are not the
    archive's, portal types it does not have, ids taken by something else."""
    manifest = verified.manifest
    foreign = site_state_is_fresh(site, manifest)
    if foreign:
        raise TargetNotEmpty(
            f"the site already holds {len(foreign)} records that are not in the archive "
            f"(first: {foreign[0]}); import into a freshly created site"
        )
    types_tool = api.portal.get_tool("portal_types")
    problems = []
    for item in manifest["items"]:
        fti = types_tool.getTypeInfo(item["type"])
        if (
            fti is None
            or not IDexterityFTI.providedBy(fti)
            or fti.klass == "Products.CMFPlone.Portal.PloneSite"
        ):
            problems.append(f"{item['path']} is a {item['type']!r}, a type this site does not have")
        if "/" not in item["path"]:
            there = site._getOb(item["path"], None)
            if there is not None and IUUID(there, None) != item["uid"]:
                problems.append(f"{item['path']} would replace the site's own {item['path']!r}")
        if len(problems) >= 50:
            break
    if problems:
        raise ArchiveRefused(problems)


def _completed(site, manifest_sha: str):
    state = IAnnotations(site).get(STATE_KEY)
    if state is None:
        return None
    if state.get("manifest_sha256") != manifest_sha:
        raise TargetNotEmpty(
            "this site already holds an import of a different archive: create a fresh site and import there"
        )
    return state


def import_archive(
    site,
    source,
    expected_fingerprint: str | None = None,
    *,
    options: ImportOptions | None = None,
    limits=None,
    identity=None,
    batch_size: int = 100,
    progress: Progress | None = None,
    commit: bool = True,
    make_site=None,
) -> dict:
    """Verify the archive, restore it into ``site`` and compare; keep it only when identical.

    :param site: the target Plone site (fresh: no records of its own), or None with ``make_site``
    :param source: the archive: a path, or a binary file object (an upload)
    :param expected_fingerprint: the outgoing host's handover fingerprint, as they told the successor
    :param options: what the archive may grant beyond the default (``ImportOptions``); without a
        fingerprint, ``insecure_no_fingerprint`` must be set
    :param limits: archive limits (default: ``Limits.from_environment()``)
    :param identity: the successor's age identity file, for an encrypted archive
    :param batch_size: records between savepoints
    :param progress: progress reporter (default: console)
    :param commit: start a new transaction (uncommitted changes of the caller are dropped) and commit it
        when identical (False: the caller's request commits; it must not commit after an error)
    :param make_site: called after verification to create the target site in this same transaction
    :returns: summary: records imported, what was left out and why, authenticity, the comparison
    :raises FingerprintRequired: no fingerprint and no override (nothing read)
    :raises ArchiveRefused: the archive failed a check (nothing changed)
    :raises TargetNotEmpty: the site holds other records (nothing changed)
    :raises NotIdentical: the imported site differed from the archive (rolled back; ``report`` says how)
    """
    options = options or ImportOptions()
    if not expected_fingerprint and not options.insecure_no_fingerprint:
        raise FingerprintRequired(
            "Give the outgoing host's handover fingerprint (SHA-256 of the DER public key, printed by "
            "`make handover-export`), so the import can check who made the archive. Without it, anyone "
            "could have re-signed the archive; only if you accept that, use --insecure-no-fingerprint."
        )
    with open_verified(source, expected_fingerprint, limits=limits, identity=identity) as verified:
        if commit:
            # A transaction of its own, seeing everything committed so far (the audit chainer commits
            # right after each commit, in a connection of its own).
            transaction.begin()
        if site is None:
            site = make_site()
        progress = progress or Progress(site.getId(), "import")
        try:
            state = _completed(site, verified.manifest_sha)
            if state is not None:
                report = compare_verified(site, verified, ImportOptions.from_dict(state["options"]), progress)
                return {
                    "imported": 0,
                    "skipped": len(verified.manifest["items"]),
                    "already_imported": state["completed"],
                    "left_out": list(state["left_out"]),
                    "authenticity": dict(state["authenticity"]),
                    "verification": report,
                }
            _check_target(site, verified)
            summary = _import(site, verified, options, batch_size, progress)
            report = compare_verified(site, verified, options, progress)
            if not report["identical"]:
                raise NotIdentical(report)
            _record_completion(site, verified, options, summary)
            if commit:
                transaction.commit()
        except BaseException as error:
            transaction.abort()
            progress.fail(str(error))
            raise
    summary["verification"] = report
    progress.finish(**{k: v for k, v in summary.items() if isinstance(v, int)})
    return summary


def _record_completion(site, verified, options: ImportOptions, summary: dict) -> None:
    from links.content.audit import api as audit_api
    from links.content.audit.storage import get_log
    from links.content.audit.storage import now_iso

    IAnnotations(site)[STATE_KEY] = PersistentMapping(
        {
            "manifest_sha256": verified.manifest_sha,
            "completed": now_iso(),
            "options": options.as_dict(),
            "authenticity": summary["authenticity"],
            "left_out": list(summary["left_out"]),
        }
    )
    audit_api.record(
        "handover.completed",
        site,
        {
            "imported": summary["imported"],
            "left_out": len(summary["left_out"]),
            "options": options.as_dict(),
            **summary["authenticity"],
        },
    )
    log = get_log(site)
    transaction.get().addAfterCommitHook(_rebase_outside_head, (site._p_jar.db(), log._p_oid, site.getId()))


def _import(site, verified, options: ImportOptions, batch_size: int, progress: Progress) -> dict:  # noqa: C901
    archive, manifest, limits = verified.archive, verified.manifest, verified.archive.limits
    trust = authenticity(verified, options)
    summary = {
        "imported": 0,
        "skipped": 0,
        "left_out": [],
        "unresolved_relations": [],
        "authenticity": trust,
    }
    progress.start_phase("users and groups", 1)
    planned, left_out = principals_plan(site, archive, options)
    restore_principals(site, planned)
    summary["left_out"].extend(left_out)
    progress.step()
    planned, left_out = registry_plan(archive, options)
    restore_registry(planned)
    summary["left_out"].extend(left_out)
    if manifest["audit"]["available"]:
        restore_audit(site, archive, manifest, verified.manifest_sha, trust)
    _savepoint(site)

    def blob_source(digest: str) -> bytes:
        return archive.read(f"blobs/{digest}")

    site_data = archive.json("site.json")
    if not isinstance(site_data, dict) or not isinstance(site_data.get("annotations", {}), dict):
        raise ArchiveRefused(["site.json is malformed: it is not an object with annotations"])
    _restore_version_witnesses(site, site_data, limits)
    records = Records(site, manifest, set())
    pending = []
    progress.start_phase("records", len(manifest["items"]))
    for count, item in enumerate(manifest["items"], start=1):
        name = f"items/{item['uid']}.json"
        data = _checked_item(archive.json(name), item, name)
        data, left_out = privileges.item_plan(data, options)
        summary["left_out"].extend(left_out)
        decoder = Decoder(
            blob_source, records.intid_of, item=f"{name} ({item['path']})", max_depth=limits.json_depth
        )
        restore_item(site, data, decoder, records.get_or_create(item["uid"]))
        if decoder.missing_relations:
            pending.append(item["uid"])
        summary["imported"] += 1
        progress.step()
        if count % batch_size == 0:
            _savepoint(site)
    _savepoint(site)

    progress.start_phase("relations", len(pending))
    for uid in pending:
        name = f"items/{uid}.json"
        data = archive.json(name)
        decoder = Decoder(blob_source, records.intid_of, item=name, max_depth=limits.json_depth)
        obj = records.find(uid)
        with no_autoversion():
            serialize.set_field_values(obj, data["fields"], decoder, only_relations=True)
        _update_relations(obj)
        _set_dates(obj, data, decoder)
        summary["unresolved_relations"].extend(f"{data['path']} -> {u}" for u in decoder.missing_relations)
        progress.step()
    restore_order(site, records, manifest)
    left_out = _restore_site(site, site_data, blob_source, records, verified, options)
    summary["left_out"].extend(left_out)
    _reset_container_dates(site, archive, manifest, records)
    api.portal.set_registry_record("plone.site_title", site.Title())
    _savepoint(site)
    return summary


def _checked_item(data, item: dict, name: str) -> dict:
    """A record's JSON, refused unless it is the record the manifest lists, with the fields it needs."""
    if not isinstance(data, dict):
        raise ArchiveRefused([f"{name} is not a JSON object"])
    for key, expected in (("uid", item["uid"]), ("path", item["path"]), ("portal_type", item["type"])):
        if data.get(key) != expected:
            raise ArchiveRefused(
                [f"{name} says {key} {str(data.get(key))[:80]!r}, the manifest says {expected!r}"]
            )
    shapes = {
        "fields": dict,
        "annotations": dict,
        "versions": list,
        "local_roles": dict,
        "workflow_history": dict,
        "dublin_core_dates": dict,
    }
    for key, kind in shapes.items():
        if not isinstance(data.get(key, kind() if key == "dublin_core_dates" else None), kind):
            raise ArchiveRefused([f"{name} is malformed: {key} is not a {kind.__name__}"])
    for principal, roles in data.get("local_roles", {}).items():
        if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
            raise ArchiveRefused([f"{name} is malformed: the local roles of {principal[:80]} are not a list"])
    for index, version in enumerate(data.get("versions", [])):
        if (
            not isinstance(version, dict)
            or not isinstance(version.get("fields"), dict)
            or not isinstance(version.get("principal"), str | None)
            or not isinstance(version.get("timestamp"), int | float)
            or not isinstance(version.get("comment", ""), str)
        ):
            raise ArchiveRefused([f"{name} is malformed: version {index} lacks its fields, author or time"])
    if not isinstance(data.get("owner"), str | None) or not isinstance(data.get("layout"), str | None):
        raise ArchiveRefused([f"{name} is malformed: owner or layout is not text"])
    return data


def _restore_site(site, data: dict, blob_source, records: Records, verified, options) -> list[str]:
    """The site root's fields, local roles (least privilege), annotations and title; returns what was
    left out. The keys the outgoing host trusted travel in its annotations: they are kept only when the
    archive's own key was checked against the fingerprint (``verify.site_plan``)."""
    from links.policy.handover.verify import site_plan

    data, left_out = site_plan(data, verified, options)
    decoder = Decoder(
        blob_source, records.intid_of, item="site.json", max_depth=verified.archive.limits.json_depth
    )
    if not isinstance(data.get("fields", {}), dict) or not isinstance(data.get("title", ""), str):
        raise ArchiveRefused(["site.json is malformed: fields or title"])
    with no_autoversion():
        serialize.set_field_values(site, data.get("fields", {}), decoder)
    aq_base(site).__ac_local_roles__ = {p: list(r) for p, r in data.get("local_roles", {}).items()}
    serialize.set_annotations(site, data["annotations"], decoder)
    site.title = data.get("title", "")
    site.reindexObject()
    if verified.authenticated:
        # Seals made by the outgoing host stay verifiable: trust its public key (never its private key),
        # which the operator confirmed by its fingerprint.
        from links.content.keys.api import trust_predecessor_key

        trust_predecessor_key(verified.public_key_pem, site, expected_fingerprint=verified.fingerprint)
    return left_out


def _reset_container_dates(site, archive, manifest, records: Records) -> None:
    """Put the archive's dates back on folders that restoring their children touched (records are added
    without a "container modified" event, but ordering and security reindexing can still stamp a folder)."""
    for count, item in enumerate(manifest["items"], start=1):
        if count % GC_EVERY == 0:
            site._p_jar.cacheGC()  # reads every record: keep memory flat (changed objects stay)
        obj = records.find(item["uid"])
        if obj is None or not getattr(aq_base(obj), "isPrincipiaFolderish", False):
            continue
        data = archive.json(f"items/{item['uid']}.json")
        if dumps(data["modification_date"]) != dumps(serialize.Encoder().encode(obj.modification_date)):
            _set_dates(obj, data, Decoder(item=f"items/{item['uid']}.json"))
