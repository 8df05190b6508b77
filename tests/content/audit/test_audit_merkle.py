"""The Merkle tree over the audit chain (audit/merkle.py, storage.AuditLog): RFC 9162 §2.1 hashing, roots,
inclusion and consistency proofs, checked against the RFC 6962/9162 test vectors and against the RFC's
recursive definitions for every size from 1 to 70, and the stored subtree hashes of a sharded log."""

import pytest

from links.content.audit import merkle
from links.content.audit.storage import AuditLog
from links.content.audit.storage import rebuild_merkle

# The eight leaves of the Certificate Transparency test vectors and the roots of their prefixes.
VECTOR_LEAVES = [
    *("", "00", "10", "2021", "3031", "40414243"),
    *("5051525354555657", "606162636465666768696a6b6c6d6e6f"),
]
VECTOR_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
SIZES = range(1, 71)


def _path(index, leaves):
    """RFC 9162 §2.1.3.1 PATH, recursively, as written in the RFC."""
    n = len(leaves)
    if n == 1:
        return []
    k = merkle.split(n)
    if index < k:
        return [*_path(index, leaves[:k]), merkle.reference_root(leaves[k:])]
    return [*_path(index - k, leaves[k:]), merkle.reference_root(leaves[:k])]


def _subproof(m, leaves, whole):
    """RFC 9162 §2.1.4.1 SUBPROOF, recursively, as written in the RFC."""
    n = len(leaves)
    if m == n:
        return [] if whole else [merkle.reference_root(leaves)]
    k = merkle.split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], whole), merkle.reference_root(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), merkle.reference_root(leaves[:k])]


@pytest.fixture(scope="module")
def leaves():
    return [merkle.leaf_hash(f"entry {i}".encode()) for i in range(max(SIZES))]


@pytest.fixture(scope="module")
def tree(leaves):
    return merkle.MemoryTree(leaves)


def test_roots_match_the_certificate_transparency_test_vectors():
    tree = merkle.MemoryTree(merkle.leaf_hash(bytes.fromhex(x)) for x in VECTOR_LEAVES)
    assert [tree.root(n).hex() for n in range(1, 9)] == VECTOR_ROOTS
    assert (
        merkle.root(tree.node, 0)
        == merkle.EMPTY_ROOT
        == bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    )


def test_leaf_and_node_hashes_are_domain_separated():
    assert merkle.leaf_hash(b"") != merkle.node_hash(b"", b"")
    assert merkle.leaf_hash("é") == merkle.leaf_hash("é".encode())


@pytest.mark.parametrize("size", SIZES)
def test_root_of_every_size_matches_the_recursive_definition(size, leaves, tree):
    compact = merkle.CompactRange()
    for leaf in leaves[:size]:
        compact.append(leaf)
    assert tree.root(size) == compact.root() == merkle.reference_root(leaves[:size])


@pytest.mark.parametrize("size", SIZES)
def test_inclusion_proofs_match_the_rfc_and_verify(size, leaves, tree):
    expected_root = merkle.reference_root(leaves[:size])
    for index in range(size):
        path = merkle.inclusion_proof(tree.node, index, size)
        assert path == _path(index, leaves[:size])
        assert merkle.verify_inclusion(leaves[index], index, size, path, expected_root)
        # a wrong leaf, index, size or root is refused
        other = leaves[(index + 1) % len(leaves)]
        assert not merkle.verify_inclusion(other, index, size, path, expected_root)
        assert not merkle.verify_inclusion(leaves[index], index, size, path, merkle.EMPTY_ROOT)
        if size > 1:
            assert not merkle.verify_inclusion(leaves[index], (index + 1) % size, size, path, expected_root)
            assert not merkle.verify_inclusion(leaves[index], index, size, path[:-1], expected_root)
            assert not merkle.verify_inclusion(leaves[index], index, size, [*path, path[0]], expected_root)
            bad = [bytes(32), *path[1:]]
            assert not merkle.verify_inclusion(leaves[index], index, size, bad, expected_root)


@pytest.mark.parametrize("second", SIZES)
def test_consistency_proofs_match_the_rfc_and_verify(second, leaves, tree):
    second_root = merkle.reference_root(leaves[:second])
    for first in range(1, second + 1):
        proof = merkle.consistency_proof(tree.node, first, second)
        assert proof == _subproof(first, leaves[:second], True)
        first_root = merkle.reference_root(leaves[:first])
        assert merkle.verify_consistency(first, second, proof, first_root, second_root)
        # a forked history (another old root), a wrong size or a damaged proof is refused
        forged = merkle.reference_root([merkle.leaf_hash(b"forged"), *leaves[1:first]])
        assert not merkle.verify_consistency(first, second, proof, forged, second_root)
        if first < second:
            assert not merkle.verify_consistency(first, second, proof, first_root, first_root)
            assert not merkle.verify_consistency(first, second, proof[:-1], first_root, second_root)
            bad = [bytes(32), *proof[1:]]
            assert not merkle.verify_consistency(first, second, bad, first_root, second_root)
            if first > 1:
                assert not merkle.verify_consistency(first - 1, second, proof, first_root, second_root)


def test_bad_proof_requests_are_refused(tree):
    for index, size in ((-1, 5), (5, 5), (0, 0)):
        with pytest.raises(ValueError):
            merkle.inclusion_proof(tree.node, index, size)
    for first, second in ((0, 5), (6, 5), (-1, 3)):
        with pytest.raises(ValueError):
            merkle.consistency_proof(tree.node, first, second)
    assert not merkle.verify_inclusion(merkle.EMPTY_ROOT, 3, 3, [], merkle.EMPTY_ROOT)
    assert not merkle.verify_consistency(0, 3, [], merkle.EMPTY_ROOT, merkle.EMPTY_ROOT)


def _entry(number: int) -> dict:
    return {
        "timestamp": "2026-11-29T10:00:00.000000+00:00",
        "actor": "member",
        "action": "record.modified",
        "uid": f"uid-{number}",
        "path": f"/links/record-{number}",
        "portal_type": "EnterAndViewReport",
        "details": {"number": number, "text": "Grüße"},
    }


def test_a_sharded_log_keeps_the_tree_of_its_bodies():
    """Every append stores the subtrees it completes in its own shard; roots and proofs read them."""
    log = AuditLog("merkle", shard_size=7)
    for number in range(70):
        log.append_chained(_entry(number))
    leaves = [merkle.leaf_hash(body) for body, _hash in log.entries.values()]
    assert log.merkle_size == 70
    for size in SIZES:
        assert merkle.root(log.merkle_node, size) == merkle.reference_root(leaves[:size])
    assert merkle.inclusion_proof(log.merkle_node, 33, 70) == _path(33, leaves)
    assert merkle.consistency_proof(log.merkle_node, 13, 70) == _subproof(13, leaves, True)
    # each node lives in the shard of its last leaf: the last shard holds only what its seqs completed
    # (seqs 64-70: seven leaves; 64 completes levels 1-6, 66 and 70 level 1, 68 levels 1-2)
    assert sorted(k >> 40 for k in log.shards[9].nodes) == [0] * 7 + [1] * 4 + [2, 2, 3, 4, 5, 6]


def test_a_log_made_before_the_tree_is_rebuilt_to_the_same_tree():
    log = AuditLog("merkle", shard_size=7)
    for number in range(30):
        log.append_chained(_entry(number))
    expected = merkle.root(log.merkle_node, 30)
    for shard in log.shards.values():  # as a log made before the tree was stored
        shard.nodes = None
    log.merkle_size = 0
    log.append_chained(_entry(30))
    assert log.merkle_size == 0  # no tree is grown on top of a missing one
    with pytest.raises(KeyError):
        log.merkle_node(0, 0)
    assert rebuild_merkle(log) == 31
    assert merkle.root(log.merkle_node, 30) == expected
    log.append_chained(_entry(31))
    assert log.merkle_size == 32
