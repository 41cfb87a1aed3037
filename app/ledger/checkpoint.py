"""Checkpoints: a signed Merkle tree head in the C2SP tlog-checkpoint format (a C2SP signed note).

Why this format: the room key signs (origin, size, root) at each stage end and at the archive, and the
text leaves the room early (sync, PDF footer), so even the room-key holder cannot rewrite history later.
A standard, line-based note can be checked by any tlog tool, and witnesses can cosign by appending lines.

    evalroom/<center>/<room>/<session_id>
    <size>
    <base64 root>
    [extension lines]
    <blank line>
    — <key name> <base64(4-byte key ID || Ed25519 signature)>

The signature covers the note text (every body line with its newline). Key ID = SHA-256(key name ||
0x0A || 0x01 || 32-byte public key)[:4] (https://c2sp.org/signed-note, Ed25519 type 0x01). By default the
key name is the origin, as tlog-checkpoint recommends for the log's own key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from app.crypto.keys import ED25519, SigningKey, VerifyingKey
from app.errors import EvalRoomError

EM_DASH = "\u2014"
ED25519_TYPE = b"\x01"
HASH_SIZE = 32
MAX_SIZE = 2**64 - 1  # tree sizes are uint64 in every tlog implementation
MAX_SIGNATURES = 64  # the spec asks verifiers to bound this, and to accept at least 16
_SIZE = re.compile(r"0|[1-9][0-9]*")
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f]")


class CheckpointError(EvalRoomError, ValueError):
    """A checkpoint that cannot be trusted: malformed, unsigned by the key asked for, or badly signed."""


@dataclass(frozen=True)
class Checkpoint:
    """The verified content of a checkpoint note."""

    origin: str
    size: int
    root: bytes
    extra: tuple[str, ...] = ()

    def text(self) -> str:
        """The note text that is signed: origin, size, base64 root, extension lines, each ending in newline."""
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode(), *self.extra]
        return "".join(line + "\n" for line in lines)


def key_hint(name: str, public: VerifyingKey) -> bytes:
    """The 4-byte signed-note key ID of an Ed25519 key under ``name``."""
    if public.alg != ED25519:
        raise CheckpointError(f"unsupported key algorithm {public.alg!r} for a checkpoint (only ed25519)")
    return hashlib.sha256(name.encode() + b"\n" + ED25519_TYPE + public.raw).digest()[:4]


def _check_name(name: str) -> None:
    if not name or any(c.isspace() for c in name) or "+" in name or _CONTROL.search(name):
        raise CheckpointError(f"invalid key name {name!r}: must be non-empty, without spaces or '+'")


def _check_line(what: str, line: str) -> None:
    if not line:
        raise CheckpointError(f"malformed checkpoint body: empty {what}")
    if "\n" in line or _CONTROL.search(line):
        raise CheckpointError(f"malformed checkpoint body: {what} contains a newline or control character")


def _signature_line(body: str, key: SigningKey, name: str) -> str:
    _check_name(name)
    signature = key.sign(body.encode("utf-8"))
    return f"{EM_DASH} {name} {base64.b64encode(key_hint(name, key.public) + signature).decode()}\n"


def sign_checkpoint(
    origin: str,
    size: int,
    root: bytes,
    key: SigningKey,
    name: str | None = None,
    extra: Iterable[str] = (),
) -> str:
    """The signed note for (origin, size, root), signed by ``key`` under ``name`` (default: the origin)."""
    if isinstance(extra, str):
        raise CheckpointError("extension lines must be a sequence of strings, not one string")
    checkpoint = Checkpoint(origin, size, root, tuple(extra))
    _check_line("origin", origin)
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= MAX_SIZE:
        raise CheckpointError(f"tree size must be an integer in 0..2**64-1, got {size!r}")
    if not isinstance(root, bytes) or len(root) != HASH_SIZE:
        raise CheckpointError(f"root hash must be {HASH_SIZE} bytes")
    for line in checkpoint.extra:
        _check_line("extension line", line)
    body = checkpoint.text()
    return body + "\n" + _signature_line(body, key, origin if name is None else name)


def _split(text: str) -> tuple[str, list[tuple[str, bytes, bytes]]]:
    """Note text and its signatures as (name, key ID, signature); only the structure is checked here."""
    if not isinstance(text, str):
        raise CheckpointError("a checkpoint must be text")
    if _CONTROL.search(text):
        raise CheckpointError("malformed note: control character")
    if not text.endswith("\n"):
        raise CheckpointError("malformed note: does not end with a newline")
    cut = text.rfind("\n\n")
    if cut < 0:
        raise CheckpointError("malformed note: no blank line before the signatures")
    body, block = text[: cut + 1], text[cut + 2 :]
    lines = block[:-1].split("\n") if block else []
    if not lines:
        raise CheckpointError("malformed note: no signature lines")
    if len(lines) > MAX_SIGNATURES:
        raise CheckpointError(f"malformed note: more than {MAX_SIGNATURES} signatures")
    signatures = []
    for number, line in enumerate(lines, 1):
        parts = line.split(" ")
        if len(parts) != 3 or parts[0] != EM_DASH:
            raise CheckpointError(f"malformed signature line {number}: expected '{EM_DASH} <name> <base64>'")
        _, name, encoded = parts
        _check_name(name)
        try:
            raw = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise CheckpointError(f"malformed signature line {number}: signature is not base64") from None
        if len(raw) < 5:
            raise CheckpointError(f"malformed signature line {number}: signature too short")
        signatures.append((name, raw[:4], raw[4:]))
    return body, signatures


def _parse_body(body: str) -> Checkpoint:
    lines = body[:-1].split("\n")
    if len(lines) < 3:
        raise CheckpointError(f"malformed checkpoint body: {len(lines)} lines, need origin, size and root")
    origin, size, root, *extra = lines
    _check_line("origin", origin)
    for line in extra:
        _check_line("extension line", line)
    if not _SIZE.fullmatch(size):
        raise CheckpointError(f"malformed checkpoint body: size {size!r} is not a decimal number without leading zeros")
    if len(size) > 20 or int(size) > MAX_SIZE:
        raise CheckpointError(f"malformed checkpoint body: size {size} does not fit in 64 bits")
    try:
        digest = base64.b64decode(root, validate=True)
    except (binascii.Error, ValueError):
        raise CheckpointError("malformed checkpoint body: root hash is not base64") from None
    if len(digest) != HASH_SIZE or base64.b64encode(digest).decode() != root:
        raise CheckpointError(f"malformed checkpoint body: root hash is not {HASH_SIZE} bytes in canonical base64")
    return Checkpoint(origin, int(size), digest, tuple(extra))


def parse_note(text: str) -> Checkpoint:
    """The checkpoint a note states, its structure checked (origin, size, root, signature lines) but not
    its signatures: :func:`verify_checkpoint` checks those."""
    body, _ = _split(text)
    return _parse_body(body)


def verify_checkpoint(text: str, public: VerifyingKey, name: str | None = None) -> Checkpoint:
    """The checkpoint in ``text`` if ``public`` (under ``name``, default the origin) signed it.

    Signatures of other keys are ignored (cosigners, rotated keys), as the signed-note spec requires.
    With the default name the key vouches for whatever origin the note states, so the caller must
    still compare ``origin`` (and size/root) with the session it expects.
    """
    body, signatures = _split(text)
    checkpoint = _parse_body(body)
    name = checkpoint.origin if name is None else name
    _check_name(name)
    hint = key_hint(name, public)
    mine = [sig for n, h, sig in signatures if n == name and h == hint]
    if not mine:
        others = [h.hex() for n, h, _ in signatures if n == name]
        if others:
            raise CheckpointError(f"unknown key hint for {name}: {', '.join(others)} (expected {hint.hex()})")
        raise CheckpointError(f"no signature by {name}")
    message = body.encode("utf-8")
    for signature in mine:
        if not public.verify(signature, message):
            raise CheckpointError(f"bad signature by {name} (key hint {hint.hex()})")
    return checkpoint


def cosign(text: str, key: SigningKey, name: str) -> str:
    """Add a signature line by ``key`` under ``name`` (a witness) over the same note text.

    The existing signatures are not checked here (a cosigner verifies the log's key first with
    ``verify_checkpoint``); the body must be a well-formed checkpoint.
    """
    body, signatures = _split(text)
    _parse_body(body)
    _check_name(name)
    if (name, key_hint(name, key.public)) in {(n, h) for n, h, _ in signatures}:
        raise CheckpointError(f"already signed by {name}")
    if len(signatures) >= MAX_SIGNATURES:
        raise CheckpointError(f"cannot cosign: already {MAX_SIGNATURES} signatures")
    return text + _signature_line(body, key, name)
