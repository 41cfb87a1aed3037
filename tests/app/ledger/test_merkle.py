"""RFC 6962 Merkle tree: known answers, an independent recursive reference, every small pair, properties.

The known answers (the 8 standard leaves, their roots for sizes 1-8, and the inclusion and consistency
proofs) are the shared vectors of transparency-dev/merkle (proof/verify_test.go), which sigstore and
others reuse; the mutation probes follow that file's corruptInclusionProof / corruptConsistencyProof.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.ledger.merkle import (
    EMPTY_ROOT,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    merkle_root,
    node_hash,
    verify_consistency,
    verify_inclusion,
)

LEAVES = [bytes.fromhex(h) for h in (
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
)]
ROOTS = [bytes.fromhex(h) for h in (
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
)]
H = bytes.fromhex
INCLUSION_KATS = [  # (0-based leaf index, tree size, proof)
    (0, 1, []),
    (0, 8, [H("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (5, 8, [H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            H("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (2, 3, [H("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")]),
    (1, 5, [H("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
            H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
]
CONSISTENCY_KATS = [  # (old size, new size, proof)
    (1, 1, []),
    (1, 8, [H("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
            H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")]),
    (6, 8, [H("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            H("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
            H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
    (2, 5, [H("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
            H("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")]),
    (6, 7, [H("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
            H("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
            H("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")]),
]
SOME_HASH = H("abacaba000000000000000000000000000000000000000000060061e00123456")


# --- an independent, literal transcription of the RFC 6962 §2.1 recursive definitions -----------------

def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def ref_mth(d: list[bytes]) -> bytes:
    if not d:
        return _sha(b"")
    if len(d) == 1:
        return _sha(b"\x00" + d[0])
    k = _split(len(d))
    return _sha(b"\x01" + ref_mth(d[:k]) + ref_mth(d[k:]))


def ref_path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = _split(len(d))
    if m < k:
        return ref_path(m, d[:k]) + [ref_mth(d[k:])]
    return ref_path(m - k, d[k:]) + [ref_mth(d[:k])]


def ref_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    n = len(d)
    if m == n:
        return [] if b else [ref_mth(d)]
    k = _split(n)
    if m <= k:
        return ref_subproof(m, d[:k], b) + [ref_mth(d[k:])]
    return ref_subproof(m - k, d[k:], False) + [ref_mth(d[:k])]


def entries(n: int) -> list[bytes]:
    return [b"event-%d" % i for i in range(n)]


# --- mutation probes after transparency-dev/merkle proof/verify_test.go ----------------------------

def bad_inclusion_probes(leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes):
    yield "index - 1", (leaf, index - 1, size, proof, root)
    yield "index + 1", (leaf, index + 1, size, proof, root)
    yield "index ^ 2", (leaf, index ^ 2, size, proof, root)
    yield "size * 2", (leaf, index, size * 2, proof, root)
    yield "size // 2", (leaf, index, size // 2, proof, root)
    yield "wrong leaf", (b"WrongLeaf", index, size, proof, root)
    yield "empty root", (leaf, index, size, proof, EMPTY_ROOT)
    yield "random root", (leaf, index, size, proof, SOME_HASH)
    yield "trailing garbage", (leaf, index, size, proof + [b""], root)
    yield "trailing root", (leaf, index, size, proof + [root], root)
    yield "preceding garbage", (leaf, index, size, [b""] + proof, root)
    yield "preceding root", (leaf, index, size, [root] + proof, root)
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 8]) + flipped[i][1:]
        yield f"modified proof[{i}]", (leaf, index, size, flipped, root)
    if proof:
        yield "removed component", (leaf, index, size, proof[:-1], root)
    if len(proof) > 1:
        yield "inserted component", (leaf, index, size, [proof[0], SOME_HASH] + proof[1:], root)


def bad_consistency_probes(m: int, n: int, root1: bytes, root2: bytes, proof: list[bytes]):
    yield "size1 - 1", (m - 1, n, root1, root2, proof)
    yield "size1 + 1", (m + 1, n, root1, root2, proof)
    yield "size1 ^ 2", (m ^ 2, n, root1, root2, proof)
    yield "size2 * 2", (m, n * 2, root1, root2, proof)
    yield "size2 // 2", (m, n // 2, root1, root2, proof)
    yield "wrong root1", (m, n, SOME_HASH, root2, proof)
    yield "wrong root2", (m, n, root1, SOME_HASH, proof)
    yield "swapped roots", (m, n, root2, root1, proof)
    yield "empty proof", (m, n, root1, root2, [])
    yield "trailing garbage", (m, n, root1, root2, proof + [b""])
    yield "trailing root1", (m, n, root1, root2, proof + [root1])
    yield "trailing root2", (m, n, root1, root2, proof + [root2])
    yield "preceding garbage", (m, n, root1, root2, [b""] + proof)
    yield "preceding root1", (m, n, root1, root2, [root1] + proof)
    yield "preceding root2", (m, n, root1, root2, [root2] + proof)
    yield "preceding proof[0]", (m, n, root1, root2, [proof[0]] + proof)
    yield "truncated proof", (m, n, root1, root2, proof[:-1])
    for i in range(len(proof)):
        flipped = list(proof)
        flipped[i] = bytes([flipped[i][0] ^ 16]) + flipped[i][1:]
        yield f"modified proof[{i}]", (m, n, root1, root2, flipped)


# --- known answers ------------------------------------------------------------------------------------

def test_hashes_are_domain_separated() -> None:
    assert leaf_hash(b"") == _sha(b"\x00")
    assert node_hash(b"a" * 32, b"b" * 32) == _sha(b"\x01" + b"a" * 32 + b"b" * 32)
    assert merkle_root([]) == EMPTY_ROOT == H("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")


@pytest.mark.parametrize("size", range(1, 9))
def test_reference_roots(size: int) -> None:
    assert merkle_root(LEAVES[:size]) == ROOTS[size - 1]
    assert ref_mth(LEAVES[:size]) == ROOTS[size - 1]  # the test's own reference agrees too


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION_KATS)
def test_reference_inclusion_proofs(index: int, size: int, proof: list[bytes]) -> None:
    assert inclusion_proof(LEAVES[:size], index) == proof
    assert verify_inclusion(LEAVES[index], index, size, proof, ROOTS[size - 1])
    for desc, probe in bad_inclusion_probes(LEAVES[index], index, size, proof, ROOTS[size - 1]):
        assert not verify_inclusion(*probe), desc


@pytest.mark.parametrize(("m", "n", "proof"), CONSISTENCY_KATS)
def test_reference_consistency_proofs(m: int, n: int, proof: list[bytes]) -> None:
    assert consistency_proof(LEAVES[:n], m) == proof
    assert verify_consistency(m, n, ROOTS[m - 1], ROOTS[n - 1], proof)
    if proof:
        for desc, probe in bad_consistency_probes(m, n, ROOTS[m - 1], ROOTS[n - 1], proof):
            assert not verify_consistency(*probe), desc


def test_trivial_consistency_cases() -> None:
    root = ROOTS[0]
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert verify_consistency(0, 1, EMPTY_ROOT, root, [])
    assert verify_consistency(1, 1, root, root, [])
    assert not verify_consistency(1, 1, root, ROOTS[1], [])  # same size, different roots: a fork
    assert not verify_consistency(0, 1, SOME_HASH, root, [])  # an empty tree has one root only
    assert not verify_consistency(1, 1, root, root, [EMPTY_ROOT])
    assert not verify_consistency(0, 1, EMPTY_ROOT, root, [EMPTY_ROOT])
    assert not verify_consistency(2, 1, ROOTS[1], root, [])  # time travel
    assert not verify_consistency(1, 2, root, ROOTS[1], [])
    assert consistency_proof(LEAVES, 0) == consistency_proof(LEAVES, 8) == []


def test_inclusion_rejects_impossible_positions() -> None:
    for index, size in ((0, 0), (1, 0), (2, 1), (-1, 1)):
        assert not verify_inclusion(b"x", index, size, [], EMPTY_ROOT)
    assert not verify_inclusion(b"", 0, 1, [], b"")  # a root of the wrong length
    with pytest.raises(IndexError):
        inclusion_proof(LEAVES, 8)
    with pytest.raises(ValueError):
        consistency_proof(LEAVES, 9)


# --- the reference implementation and every small pair ---------------------------------------------

@pytest.mark.parametrize("n", range(0, 65))
def test_matches_recursive_reference(n: int) -> None:
    d = entries(n)
    assert merkle_root(d) == ref_mth(d)
    for i in range(n):
        assert inclusion_proof(d, i) == ref_path(i, d)
    for m in range(1, n):
        assert consistency_proof(d, m) == ref_subproof(m, d, True)


@pytest.mark.parametrize("n", range(1, 21))
def test_every_inclusion_up_to_20(n: int) -> None:
    d = entries(n)
    root = merkle_root(d)
    for i in range(n):
        proof = inclusion_proof(d, i)
        assert verify_inclusion(d[i], i, n, proof, root)
        for desc, probe in bad_inclusion_probes(d[i], i, n, proof, root):
            assert not verify_inclusion(*probe), f"size {n} index {i}: {desc}"


@pytest.mark.parametrize("n", range(0, 21))
def test_every_consistency_pair_up_to_20(n: int) -> None:
    d = entries(n)
    root = merkle_root(d)
    for m in range(0, n + 1):
        old = merkle_root(d[:m])
        proof = consistency_proof(d, m)
        assert verify_consistency(m, n, old, root, proof), (m, n)
        if proof:
            for desc, probe in bad_consistency_probes(m, n, old, root, proof):
                assert not verify_consistency(*probe), f"{m}->{n}: {desc}"
        if 0 < m < n:  # a rewritten old entry is caught
            forged = merkle_root([b"forged"] + d[1:m])
            assert not verify_consistency(m, n, forged, root, proof)


# --- properties ---------------------------------------------------------------------------------------

trees = st.lists(st.binary(max_size=40), min_size=1, max_size=300)


@settings(max_examples=150, deadline=None)
@given(trees, st.data())
def test_inclusion_property(d: list[bytes], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(d) - 1))
    root = merkle_root(d)
    proof = inclusion_proof(d, i)
    assert verify_inclusion(d[i], i, len(d), proof, root)
    if proof:
        j = data.draw(st.integers(0, len(proof) - 1))
        bit = data.draw(st.integers(0, 255))
        mutated = list(proof)
        flipped = bytearray(mutated[j])
        flipped[bit // 8] ^= 1 << bit % 8
        mutated[j] = bytes(flipped)
        assert not verify_inclusion(d[i], i, len(d), mutated, root)
    other = d[i] + b"!"
    assert not verify_inclusion(other, i, len(d), proof, root)


@settings(max_examples=150, deadline=None)
@given(trees, st.data())
def test_consistency_property(d: list[bytes], data: st.DataObject) -> None:
    n = len(d)
    m = data.draw(st.integers(0, n))
    old, new = merkle_root(d[:m]), merkle_root(d)
    proof = consistency_proof(d, m)
    assert verify_consistency(m, n, old, new, proof)
    if proof:
        j = data.draw(st.integers(0, len(proof) - 1))
        mutated = list(proof)
        mutated[j] = bytes([mutated[j][0] ^ 1]) + mutated[j][1:]
        assert not verify_consistency(m, n, old, new, mutated)
    if 0 < m < n:  # an appended history that rewrote an old entry is not consistent
        rewritten = list(d)
        k = data.draw(st.integers(0, m - 1))
        rewritten[k] = d[k] + b"!"
        assert not verify_consistency(m, n, old, merkle_root(rewritten), consistency_proof(rewritten, m))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=16), max_size=80))
def test_root_property(d: list[bytes]) -> None:
    assert merkle_root(d) == ref_mth(d)


def test_hundred_thousand_leaves() -> None:
    d = [i.to_bytes(4, "big") for i in range(100_000)]
    root = merkle_root(d)  # how fast: bench/ledger.py
    proof = inclusion_proof(d, 77_777)
    cproof = consistency_proof(d, 65_537)
    assert len(proof) == 17
    assert verify_inclusion(d[77_777], 77_777, 100_000, proof, root)
    assert verify_consistency(65_537, 100_000, merkle_root(d[:65_537]), root, cproof)
