"""The Merkle tree over the audit chain, exactly as RFC 9162 §2.1 (Certificate Transparency) defines it.

Leaves are the audit entries in ``seq`` order; a leaf's hash is SHA-256(0x00 ‖ body) where ``body`` is the
entry's canonical UTF-8 JSON without ``hash`` (the README's "Canonical encoding"); an interior node is
SHA-256(0x01 ‖ left ‖ right); a tree of n leaves splits at the largest power of two below n; the empty
tree's hash is SHA-256 of nothing.

Pure standard library: the site (through ``storage``, which keeps every *complete* subtree hash, so an
append is O(log n) and a proof reads O(log n) stored hashes) and the offline verifier (``links-verify
log``, through ``MemoryTree``) share this module. A store is any callable ``node(level, index)`` returning
the 32-byte hash of the complete subtree of 2**level leaves starting at leaf ``index * 2**level``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from collections.abc import Iterable

Node = Callable[[int, int], bytes]

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(body: bytes | str) -> bytes:
    """RFC 9162 leaf hash: SHA-256(0x00 ‖ body); text is taken as its UTF-8 bytes."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    return hashlib.sha256(b"\x00" + body).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 interior node hash: SHA-256(0x01 ‖ left ‖ right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    """The largest power of two strictly below ``n`` (n >= 2): where RFC 9162 splits a tree of n leaves."""
    return 1 << ((n - 1).bit_length() - 1)


def completed(index: int) -> Iterable[tuple[int, int]]:
    """The complete subtrees (level, index) that appending leaf ``index`` (0-based) completes, lowest first
    (level 0 is the leaf itself). The caller stores each as ``node_hash`` of its two children."""
    level = 0
    yield level, index
    while index & 1:
        index >>= 1
        level += 1
        yield level, index


def subtree(node: Node, low: int, high: int) -> bytes:
    """MTH(D[low:high]) for the subtrees RFC 9162 proofs use (``low`` a multiple of the split size).

    A complete, aligned subtree is one stored hash; any other is split at the largest power of two and
    combined, so at most O(log n) stored hashes are read.
    """
    size = high - low
    if size <= 0:
        return EMPTY_ROOT
    if size & (size - 1) == 0 and low % size == 0:
        level = size.bit_length() - 1
        return node(level, low >> level)
    k = split(size)
    return node_hash(subtree(node, low, low + k), subtree(node, low + k, high))


def root(node: Node, size: int) -> bytes:
    """The root hash of the tree of the first ``size`` leaves."""
    return subtree(node, 0, size)


def inclusion_proof(node: Node, index: int, size: int) -> list[bytes]:
    """RFC 9162 §2.1.3.1 PATH(index, D[size]): the audit path of leaf ``index`` (0-based), leaf side first.

    :raises ValueError: unless 0 <= index < size
    """
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is not in a tree of {size} leaves")
    path: list[bytes] = []
    low, high = 0, size
    while high - low > 1:
        k = split(high - low)
        if index < low + k:
            path.append(subtree(node, low + k, high))
            high = low + k
        else:
            path.append(subtree(node, low, low + k))
            low += k
    path.reverse()
    return path


def consistency_proof(node: Node, first: int, second: int) -> list[bytes]:
    """RFC 9162 §2.1.4.1 PROOF(first, D[second]): proves the tree of ``first`` leaves is a prefix of the
    tree of ``second`` leaves.

    :raises ValueError: unless 0 < first <= second
    """
    if not 0 < first <= second:
        raise ValueError(f"no consistency proof from {first} to {second} leaves")
    proof: list[bytes] = []
    low, high, m, whole = 0, second, first, True
    while m != high - low:
        k = split(high - low)
        if m <= k:
            proof.append(subtree(node, low + k, high))
            high = low + k
        else:
            proof.append(subtree(node, low, low + k))
            low, m, whole = low + k, m - k, False
    if not whole:
        proof.append(subtree(node, low, high))
    proof.reverse()
    return proof


def verify_inclusion(leaf: bytes, index: int, size: int, path: list[bytes], expected_root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: whether ``path`` proves leaf hash ``leaf`` is leaf ``index`` of the tree of
    ``size`` leaves whose root is ``expected_root``."""
    if not 0 <= index < size:
        return False
    fn, sn, result = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            fn, sn = _past_right_edge(fn, sn)
        else:
            result = node_hash(result, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and result == expected_root


def _past_right_edge(fn: int, sn: int) -> tuple[int, int]:
    """RFC 9162's "if LSB(fn) is not set, right-shift fn and sn until LSB(fn) is set or fn is 0": skip
    the levels where the node is the last of an incomplete tree and so has no right sibling."""
    while not (fn & 1 or fn == 0):
        fn >>= 1
        sn >>= 1
    return fn, sn


def verify_consistency(
    first: int, second: int, proof: list[bytes], first_root: bytes, second_root: bytes
) -> bool:
    """RFC 9162 §2.1.4.2: whether ``proof`` shows the tree of ``first`` leaves (root ``first_root``) is a
    prefix of the tree of ``second`` leaves (root ``second_root``)."""
    if not 0 < first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if not proof:
        return False
    if first & (first - 1) == 0:
        proof = [first_root, *proof]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            fn, sn = _past_right_edge(fn, sn)
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


class MemoryTree:
    """A Merkle tree held in memory (the offline verifier, tests): every complete subtree hash in one list
    per level, so proofs are cheap. Memory: about 64 bytes per leaf."""

    def __init__(self, leaves: Iterable[bytes] = ()):
        self.levels: list[list[bytes]] = []
        self.size = 0
        for leaf in leaves:
            self.append(leaf)

    def append(self, leaf: bytes) -> None:
        """Add a leaf hash (``leaf_hash(body)``)."""
        for level, index in completed(self.size):
            if level == len(self.levels):
                self.levels.append([])
            if level == 0:
                value = leaf
            else:
                below = self.levels[level - 1]
                value = node_hash(below[2 * index], below[2 * index + 1])
            self.levels[level].append(value)
        self.size += 1

    def node(self, level: int, index: int) -> bytes:
        return self.levels[level][index]

    def root(self, size: int | None = None) -> bytes:
        return root(self.node, self.size if size is None else size)


class CompactRange:
    """The running root of a growing tree in O(log n) memory: the roots of its complete subtrees, left to
    right (a verifier streams millions of entries through this)."""

    def __init__(self):
        self.size = 0
        self.stack: list[bytes] = []

    def append(self, leaf: bytes) -> None:
        stack, size, sha256 = self.stack, self.size, hashlib.sha256
        while size & 1:  # node_hash, inlined: verification calls this for every entry
            leaf = sha256(b"\x01" + stack.pop() + leaf).digest()
            size >>= 1
        stack.append(leaf)
        self.size += 1

    def root(self) -> bytes:
        if not self.stack:
            return EMPTY_ROOT
        value = self.stack[-1]
        for left in reversed(self.stack[:-1]):
            value = node_hash(left, value)
        return value


def reference_root(leaves: list[bytes]) -> bytes:
    """MTH straight from the RFC's recursive definition (tests compare everything against it)."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = split(len(leaves))
    return node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))
