"""Checkpoints as C2SP signed notes: format, Go sumdb/note known answer, tampering, keys, cosigning."""

from __future__ import annotations

import base64
import dataclasses

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from hypothesis import given, settings
from hypothesis import strategies as st

from app.crypto.keys import SigningKey, VerifyingKey
from app.ledger.checkpoint import (
    EM_DASH,
    MAX_SIGNATURES,
    Checkpoint,
    CheckpointError,
    cosign,
    key_hint,
    sign_checkpoint,
    verify_checkpoint,
)
from app.ledger.merkle import merkle_root

ORIGIN = "evalroom/gz-center/room-3/S2026-0042"
ROOT = merkle_root([b"event-1", b"event-2", b"event-3"])
ROOM_KEY = SigningKey.generate()
WITNESS_KEY = SigningKey.generate()
WITNESS = "center.example.cn/witness"


def signed(extra: tuple[str, ...] = ()) -> str:
    return sign_checkpoint(ORIGIN, 3, ROOT, ROOM_KEY, extra=extra)


def test_round_trip_and_exact_format() -> None:
    text = signed(extra=("chain bGFzdCBjaGFpbiBoYXNo",))
    body, _, sig_line = text.partition("\n\n")
    assert body == f"{ORIGIN}\n3\n{base64.b64encode(ROOT).decode()}\nchain bGFzdCBjaGFpbiBoYXNo"
    assert sig_line.startswith(f"{EM_DASH} {ORIGIN} ") and sig_line.endswith("\n") and sig_line.count("\n") == 1
    blob = base64.b64decode(sig_line.split(" ")[2])
    assert blob[:4] == key_hint(ORIGIN, ROOM_KEY.public) and len(blob) == 4 + 64
    checkpoint = verify_checkpoint(text, ROOM_KEY.public)
    assert checkpoint == Checkpoint(ORIGIN, 3, ROOT, ("chain bGFzdCBjaGFpbiBoYXNo",))
    assert checkpoint.text() + "\n" + sig_line == text
    with pytest.raises(dataclasses.FrozenInstanceError):
        checkpoint.size = 4  # type: ignore[misc]


def test_empty_tree_checkpoint() -> None:
    text = sign_checkpoint(ORIGIN, 0, merkle_root([]), ROOM_KEY)
    assert text.split("\n")[1:3] == ["0", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="]
    assert verify_checkpoint(text, ROOM_KEY.public).size == 0


def test_go_sumdb_note_known_answer() -> None:
    """golang.org/x/mod/sumdb/note's PeterNeumann example: same key ID and the same signature bytes."""
    vkey = base64.b64decode("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
    skey = base64.b64decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz")
    assert vkey[0] == skey[0] == 1
    public = VerifyingKey("ed25519", vkey[1:])
    assert key_hint("PeterNeumann", public).hex() == "c74f20a3"
    key = SigningKey(ed25519.Ed25519PrivateKey.from_private_bytes(skey[1:]))
    assert key.public == public
    text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    blob = base64.b64decode(
        "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=")
    assert blob[:4].hex() == "c74f20a3"
    assert key.sign(text.encode()) == blob[4:]
    with pytest.raises(CheckpointError, match="malformed checkpoint body: 2 lines"):  # a note, not a checkpoint
        verify_checkpoint(f"{text}\n{EM_DASH} PeterNeumann {base64.b64encode(blob).decode()}\n", public, "PeterNeumann")


@pytest.mark.parametrize("line", range(4))
def test_tampering_with_any_body_line_is_caught(line: int) -> None:
    text = signed(extra=("extra",))
    lines = text.split("\n")
    replacements = [ORIGIN + "x", "4", base64.b64encode(merkle_root([b"forged"])).decode(), "extrb"]
    lines[line] = replacements[line]
    with pytest.raises(CheckpointError, match="bad signature"):
        verify_checkpoint("\n".join(lines), ROOM_KEY.public, ORIGIN)


def test_tampering_with_the_signature_is_caught() -> None:
    text = signed()
    head, encoded = text.rstrip("\n").rsplit(" ", 1)
    blob = bytearray(base64.b64decode(encoded))
    blob[10] ^= 1
    with pytest.raises(CheckpointError, match="bad signature"):
        verify_checkpoint(f"{head} {base64.b64encode(bytes(blob)).decode()}\n", ROOM_KEY.public)
    blob = bytearray(base64.b64decode(encoded))
    blob[0] ^= 1
    with pytest.raises(CheckpointError, match="unknown key hint"):
        verify_checkpoint(f"{head} {base64.b64encode(bytes(blob)).decode()}\n", ROOM_KEY.public)
    short = base64.b64encode(key_hint(ORIGIN, ROOM_KEY.public) + bytes(16)).decode()
    with pytest.raises(CheckpointError, match="bad signature"):  # the right key hint, a truncated signature
        verify_checkpoint(f"{head} {short}\n", ROOM_KEY.public)


def test_wrong_key_or_name() -> None:
    text = signed()
    with pytest.raises(CheckpointError, match=f"unknown key hint for {ORIGIN}"):
        verify_checkpoint(text, SigningKey.generate().public)
    with pytest.raises(CheckpointError, match="no signature by someone.example/else"):
        verify_checkpoint(text, ROOM_KEY.public, "someone.example/else")


def test_two_signers() -> None:
    text = cosign(signed(), WITNESS_KEY, WITNESS)
    assert text.count(EM_DASH) == 2 and text.endswith("\n")
    assert verify_checkpoint(text, ROOM_KEY.public) == verify_checkpoint(text, WITNESS_KEY.public, WITNESS)
    with pytest.raises(CheckpointError, match="unknown key hint"):  # the witness's key under the log's name
        verify_checkpoint(text, WITNESS_KEY.public)
    with pytest.raises(CheckpointError, match="already signed"):
        cosign(text, WITNESS_KEY, WITNESS)
    # signature order does not matter, and an unknown signer's line is ignored
    body, sigs = text.split("\n\n")
    first, second = sigs.rstrip("\n").split("\n")
    stranger = cosign(signed(), SigningKey.generate(), "stranger.example/w")
    swapped = f"{body}\n\n{second}\n{stranger.rstrip().rsplit(chr(10), 1)[1]}\n{first}\n"
    assert verify_checkpoint(swapped, ROOM_KEY.public).root == ROOT
    assert verify_checkpoint(swapped, WITNESS_KEY.public, WITNESS).size == 3


def test_a_failing_signature_from_the_key_rejects_the_note() -> None:
    text = cosign(signed(), WITNESS_KEY, WITNESS)
    other_body = sign_checkpoint(ORIGIN, 4, ROOT, WITNESS_KEY, WITNESS)  # the witness signed something else
    forged_line = other_body.rstrip("\n").rsplit("\n", 1)[1]
    with pytest.raises(CheckpointError, match=f"bad signature by {WITNESS}"):
        verify_checkpoint(text + forged_line + "\n", WITNESS_KEY.public, WITNESS)


B64_ROOT = base64.b64encode(ROOT).decode()
SIG = f"{EM_DASH} {ORIGIN} {base64.b64encode(b'abcd' + bytes(64)).decode()}\n"


@pytest.mark.parametrize(("text", "message"), [
    (f"{ORIGIN}\n3\n{B64_ROOT}\n" + SIG, "no blank line"),
    (f"{ORIGIN}\n3\n{B64_ROOT}\n\n" + SIG.rstrip("\n"), "does not end with a newline"),
    (f"{ORIGIN}\n3\n{B64_ROOT}\n\n", "no signature lines"),
    (f"{ORIGIN}\n3\n\n" + SIG, "2 lines"),
    (f"{ORIGIN}\nthree\n{B64_ROOT}\n\n" + SIG, "size 'three' is not a decimal number"),
    (f"{ORIGIN}\n03\n{B64_ROOT}\n\n" + SIG, "without leading zeros"),
    (f"{ORIGIN}\n-3\n{B64_ROOT}\n\n" + SIG, "not a decimal number"),
    (f"{ORIGIN}\n{2**64}\n{B64_ROOT}\n\n" + SIG, "does not fit in 64 bits"),
    (f"{ORIGIN}\n3\nnot base64!\n\n" + SIG, "root hash is not base64"),
    (f"{ORIGIN}\n3\n{base64.b64encode(ROOT[:31]).decode()}\n\n" + SIG, "not 32 bytes"),
    (f"\n3\n{B64_ROOT}\n\n" + SIG, "empty origin"),
    (f"{ORIGIN}\n3\n{B64_ROOT}\n\nextra\n\n" + SIG, "empty extension line"),
    (f"{ORIGIN}\t\n3\n{B64_ROOT}\n\n" + SIG, "control character"),
    (f"{ORIGIN}\n3\n{B64_ROOT}\n\n" + SIG.replace(EM_DASH, "-"), "malformed signature line 1"),
    (f"{ORIGIN}\n3\n{B64_ROOT}\n\n" + SIG + f"{EM_DASH} x not*base64\n", "line 2: signature is not base64"),
    (f"{ORIGIN}\n3\n{B64_ROOT}\n\n{EM_DASH} a+b AAAAAAAA\n", "invalid key name"),
    (f"{ORIGIN}\n3\n{B64_ROOT}\n\n{EM_DASH} x AAAA\n", "signature too short"),
    (f"{ORIGIN}\n3\n{B64_ROOT}\n\n" + SIG * (MAX_SIGNATURES + 1), "more than"),
])
def test_malformed_notes(text: str, message: str) -> None:
    with pytest.raises(CheckpointError, match=message):
        verify_checkpoint(text, ROOM_KEY.public)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"origin": ""}, "empty origin"),
    ({"origin": "a\nb"}, "newline"),
    ({"size": -1}, "tree size"),
    ({"size": True}, "tree size"),
    ({"size": "3"}, "tree size"),
    ({"root": ROOT[:31]}, "32 bytes"),
    ({"name": "has space"}, "invalid key name"),
    ({"name": "a+b"}, "invalid key name"),
    ({"extra": ("",)}, "empty extension line"),
    ({"extra": "abc"}, "not one string"),
])
def test_sign_rejects_bad_input(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"origin": ORIGIN, "size": 3, "root": ROOT, "key": ROOM_KEY, **kwargs}
    with pytest.raises(CheckpointError, match=message):
        sign_checkpoint(**args)  # type: ignore[arg-type]


def test_error_is_a_value_error() -> None:
    assert issubclass(CheckpointError, ValueError)


KEY_NAME_CHARS = st.characters(blacklist_categories=("Cc", "Cs", "Zs", "Zl", "Zp"), blacklist_characters="+")


@settings(max_examples=40, deadline=None)
@given(
    origin=st.text(KEY_NAME_CHARS, min_size=1),
    size=st.integers(0, 2**64 - 1),
    root=st.binary(min_size=32, max_size=32),
    extra=st.lists(st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1), max_size=3),
)
def test_round_trip_property(origin: str, size: int, root: bytes, extra: list[str]) -> None:
    text = sign_checkpoint(origin, size, root, ROOM_KEY, extra=extra)
    assert verify_checkpoint(text, ROOM_KEY.public) == Checkpoint(origin, size, root, tuple(extra))
