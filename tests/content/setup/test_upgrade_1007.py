"""The 1006 -> 1007 upgrade (#15) on a site whose audit log predates the Merkle tree: the tree is built from
the stored entries, a first checkpoint is signed, and the witnesses record and the public site action are
added."""

from plone import api
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

from links.content.audit import api as audit
from links.content.audit import merkle
from links.content.audit.storage import get_log

PROFILE = "links.content:default"
WITNESSES = "links.content.audit.witnesses"


def _as_before_1007(portal):
    with api.env.adopt_roles(["Manager"]):
        for number in range(4):
            api.content.create(container=portal, type="Document", id=f"doc-{number}", title="Doc")
    audit.chain_now(portal)
    log = get_log(portal)
    for shard in log.shards.values():
        shard.nodes = None
    log.merkle_size = 0
    for size in list(log.checkpoints.keys()):
        del log.checkpoints[size]
    del getUtility(IRegistry).records[WITNESSES]
    api.portal.get_tool("portal_actions").site_actions.manage_delObjects(["links_audit_checkpoints"])
    api.portal.get_tool("portal_setup").setLastVersionForProfile(PROFILE, "1006")
    return log


def test_upgrade_1006_to_1007_builds_the_tree_and_signs_a_checkpoint(portal):
    log = _as_before_1007(portal)
    assert audit.get_checkpoint(portal) is None
    setup = api.portal.get_tool("portal_setup")
    groups = [group for group in setup.listUpgrades(PROFILE) if isinstance(group, list)]
    [steps] = [group for group in groups if {step["source"] for step in group} == {("1006",)}]
    assert {step["dest"] for step in steps} == {("1007",)}

    setup.upgradeProfile(PROFILE, dest="1007")

    assert setup.getLastVersionForProfile(PROFILE) == ("1007",)
    assert log.merkle_size == log.last_seq > 0
    leaves = [merkle.leaf_hash(body) for body, _hash in log.entries.values()]
    checkpoint = audit.get_checkpoint(portal)
    assert checkpoint["size"] == log.last_seq
    assert checkpoint["root_hash"] == merkle.reference_root(leaves).hex()
    assert audit.verify(portal)["zodb"]["checkpoints"] == 1
    assert api.portal.get_registry_record(WITNESSES) == ["council-auditors"]
    assert "links_audit_checkpoints" in api.portal.get_tool("portal_actions").site_actions
