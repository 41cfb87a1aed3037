"""RFC 6962 Merkle Tree Hash with inclusion and consistency proofs (RFC 9162 §2.1).

Why a tree and not only the hash chain: a checkpoint signs one root over all of a session's events, so a
single score can later be proven (inclusion proof, ~log2 n hashes) without handing over the whole session,
and a later checkpoint can be proven to extend an earlier one (consistency proof), so events cannot vanish.

Leaves are the raw entries (the canonical event bytes); hashing is domain-separated as in RFC 6962
(``0x00`` for leaves, ``0x01`` for inner nodes) to stop second-preimage tricks. Everything is iterative:
a tree is built level by level (about 2n hashes), so 100 000 leaves need no deep recursion.
Verification follows the RFC 9162 §2.1.3.2 and §2.1.4.2 algorithms step by step.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()  # MTH({}) = SHA-256 of the empty string


def leaf_hash(data: bytes) -> bytes:
    """MTH of a one-entry list: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """An inner node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def _levels(leaves: Sequence[bytes]) -> list[list[bytes]]:
    """All levels of the tree, leaf hashes first; an unpaired last node is carried up unchanged.

    Carrying the odd node up gives exactly RFC 6962's split at the largest power of two below n, so
    ``levels[h][i]`` is the hash of the complete subtree of 2**h leaves starting at leaf ``i * 2**h``.
    """
    level = [leaf_hash(d) for d in leaves]
    levels = [level]
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
        levels.append(level)
    return levels


def _range_hash(levels: list[list[bytes]], start: int, end: int) -> bytes:
    """MTH(D[start:end]) for a range whose start is aligned, as all ranges in the RFC recursion are.

    The range splits into complete subtrees of decreasing size, folded from the right as MTH does.
    """
    parts: list[bytes] = []
    while start < end:
        height = (end - start).bit_length() - 1
        while start % (1 << height):
            height -= 1
        parts.append(levels[height][start >> height])
        start += 1 << height
    result = parts.pop()
    while parts:
        result = node_hash(parts.pop(), result)
    return result


def merkle_root(leaves: Sequence[bytes]) -> bytes:
    """The RFC 6962 Merkle Tree Hash of the raw entries (the empty tree: SHA-256 of b"")."""
    if not leaves:
        return EMPTY_ROOT
    return _levels(leaves)[-1][0]


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path PATH(index, D[n]) of RFC 6962 §2.1.1, nearest sibling first."""
    if not 0 <= index < len(leaves):
        raise IndexError(f"leaf index {index} outside a tree of size {len(leaves)}")
    proof: list[bytes] = []
    for level in _levels(leaves)[:-1]:
        sibling = index ^ 1
        if sibling < len(level):  # else this node is carried up and has no sibling at this level
            proof.append(level[sibling])
        index >>= 1
    return proof


def consistency_proof(leaves: Sequence[bytes], old_size: int) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 6962 §2.1.2 between the first ``old_size`` entries and all of ``leaves``.

    The RFC's SUBPROOF recursion descends into one branch and appends one hash after it; here the
    appended hashes are collected while descending and reversed at the end.
    """
    size = len(leaves)
    if not 0 <= old_size <= size:
        raise ValueError(f"old size {old_size} outside 0..{size}")
    if old_size in (0, size):
        return []
    levels = _levels(leaves)
    start, n, m, complete = 0, size, old_size, True
    appended: list[bytes] = []
    while m != n:
        k = 1 << ((n - 1).bit_length() - 1)  # the largest power of two below n
        if m <= k:
            appended.append(_range_hash(levels, start + k, start + n))
            n = k
        else:
            appended.append(_range_hash(levels, start, start + k))
            start, m, n, complete = start + k, m - k, n - k, False
    head = [] if complete else [_range_hash(levels, start, start + n)]
    return head + appended[::-1]


def _valid_hashes(*hashes: object) -> bool:
    return all(isinstance(h, bytes) and len(h) == HASH_SIZE for h in hashes)


def verify_inclusion(leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes) -> bool:
    """Whether the raw entry ``leaf`` sits at ``index`` in the tree of ``size`` with ``root`` (RFC 9162 §2.1.3.2)."""
    if not (0 <= index < size) or not _valid_hashes(root, *proof):
        return False
    fn, sn = index, size - 1
    r = leaf_hash(leaf)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]) -> bool:
    """Whether the tree ``new_size``/``new_root`` extends ``old_size``/``old_root`` (RFC 9162 §2.1.4.2).

    The trivial cases are strict: equal sizes need equal roots and an empty proof; from the empty tree,
    the old root must be the empty-tree hash and the proof empty.
    """
    if not (0 <= old_size <= new_size) or not _valid_hashes(old_root, new_root, *proof):
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof and old_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # an exact power of two: the old root is itself a node
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root
