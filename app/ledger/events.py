"""Ledger events: the signed, hash-chained records of a session (DESIGN.md §2).

An event is ``{session, author, seq, prev, time, type, body}`` in canonical JSON (``canonical.py``).

- ``id``  = SHA-256 of those canonical bytes, hex.
- ``sig`` = the author's signature over ``SIGNING_CONTEXT || id`` (the 32 raw digest bytes). Signing the
  digest rather than the whole encoding keeps the signed message small and fixed-size; the context prefix
  separates event signatures from every other thing a key signs (check-in bindings, checkpoints), so a
  signature can never be replayed as another kind of statement.
- ``author`` = the key id of the author's :class:`~app.crypto.keys.VerifyingKey` (SHA-256 of
  ``alg:raw``). The key id commits to the algorithm, so the ``alg`` stored beside the signature cannot be
  swapped for another without changing the author.
- ``seq`` counts from 1 per author; ``prev`` is the id of the author's previous event (``null`` for seq 1).
- ``time`` is UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (fixed width, so text order is time order).

A *record* (one JSON Lines row of an exported feed) is ``{"alg", "event", "id", "sig"}`` with ``sig`` in
base64; it is itself written canonically.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from app.crypto.keys import SigningKey, VerifyingKey
from app.errors import EvalRoomError
from app.ledger.canonical import MAX_INT, CanonicalError, canonical, canonical_unchecked, decode

SIGNING_CONTEXT = b"evalroom/event/v1\n"
TIME_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")
HEX64 = re.compile(r"[0-9a-f]{64}")
HEADER = ("author", "body", "prev", "seq", "session", "time", "type")


class EventError(EvalRoomError, ValueError):
    """A record that is not a well-formed ledger event (one line, naming what is wrong)."""


def utc_stamp(moment: datetime | None = None) -> str:
    """A ledger time stamp: UTC with microseconds and a ``Z``."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds") + "Z"


def parse_stamp(stamp: str) -> datetime:
    """The moment of a ledger time stamp (the inverse of :func:`utc_stamp`)."""
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


class SignedEvent:
    """One event with its id and signature. ``data`` is the event object; ``raw`` its canonical bytes.

    The header fields are plain attributes (read on every fold step and check, so no property calls); an
    event is never changed after it is made.
    """

    __slots__ = ("data", "raw", "id", "alg", "sig", "session", "author", "seq", "prev", "time", "type", "body")
    session: str
    author: str
    seq: int
    prev: str | None
    time: str
    type: str
    body: dict[str, Any]

    def __init__(self, data: dict[str, Any], raw: bytes, event_id: str, alg: str, sig: bytes) -> None:
        self.data = data
        self.raw = raw
        self.id = event_id
        self.alg = alg
        self.sig = sig
        self.session = data["session"]
        self.author = data["author"]
        self.seq = data["seq"]
        self.prev = data["prev"]
        self.time = data["time"]
        self.type = data["type"]
        self.body = data["body"]

    @property
    def short(self) -> str:
        return self.id[:8]

    def order_key(self) -> tuple[str, str, int]:
        """The fold order: time, then author, then seq (see ``fold.py``)."""
        return (self.time, self.author, self.seq)

    def computed_id(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    def signature_valid(self, key: VerifyingKey) -> bool:
        if key.alg != self.alg:
            return False
        return key.verify(self.sig, SIGNING_CONTEXT + bytes.fromhex(self.id))

    def to_record(self) -> dict[str, Any]:
        return {"alg": self.alg, "event": self.data, "id": self.id, "sig": base64.b64encode(self.sig).decode("ascii")}

    def to_line(self) -> str:
        """The canonical JSON Lines row (no newline)."""
        return canonical_unchecked(self.to_record()).decode("utf-8")

    def __repr__(self) -> str:
        return f"SignedEvent({self.short} {self.type} seq={self.seq})"


def new_event(key: SigningKey, session: str, seq: int, prev: str | None, time: str, type_: str,
              body: Mapping[str, Any]) -> SignedEvent:
    """Build, hash and sign an event. A float anywhere in ``body`` raises :class:`CanonicalError`."""
    data = {"author": key.key_id, "body": dict(body), "prev": prev, "seq": seq, "session": session, "time": time,
            "type": type_}
    raw = canonical(data)
    digest = hashlib.sha256(raw).digest()
    return SignedEvent(data, raw, digest.hex(), key.alg, key.sign(SIGNING_CONTEXT + digest))


def header_problem(data: Any) -> str | None:
    """Why ``data`` is not a well-formed event header, or None."""
    if not isinstance(data, dict):
        return "the event is not an object"
    keys = sorted(data)
    if keys != list(HEADER):
        missing = sorted(set(HEADER) - set(keys))
        extra = sorted(set(keys) - set(HEADER))
        return "the event has " + ("missing fields " + ", ".join(missing) if missing
                                   else "unknown fields " + ", ".join(extra))
    if not isinstance(data["session"], str) or not data["session"]:
        return "session is not a non-empty string"
    if not isinstance(data["author"], str) or not HEX64.fullmatch(data["author"]):
        return "author is not a key id (64 hex digits)"
    seq = data["seq"]
    if isinstance(seq, bool) or not isinstance(seq, int) or not 1 <= seq <= MAX_INT:
        return f"seq {seq!r} is not a whole number from 1 to 2**53 - 1"
    prev = data["prev"]
    if prev is not None and (not isinstance(prev, str) or not HEX64.fullmatch(prev)):
        return "prev is neither null nor an event id"
    if not isinstance(data["time"], str) or not TIME_PATTERN.fullmatch(data["time"]):
        return f"time {data['time']!r} is not UTC YYYY-MM-DDTHH:MM:SS.ffffffZ"
    if not isinstance(data["type"], str) or not data["type"]:
        return "type is not a non-empty string"
    if not isinstance(data["body"], dict):
        return "body is not an object"
    return None


def from_record(record: Any) -> SignedEvent:
    """A :class:`SignedEvent` from a decoded record; raises :class:`EventError` on a malformed one.

    The id and signature are *not* checked here (the verifier does, and reports each problem).
    """
    if not isinstance(record, dict) or set(record) != {"alg", "event", "id", "sig"}:
        raise EventError("the record is not {alg, event, id, sig}")
    data = record["event"]
    problem = header_problem(data)
    if problem:
        raise EventError(problem)
    if not isinstance(record["alg"], str) or not isinstance(record["id"], str) or not isinstance(record["sig"], str):
        raise EventError("alg, id and sig must be strings")
    try:
        sig = base64.b64decode(record["sig"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise EventError("sig is not base64") from exc
    return SignedEvent(data, canonical_unchecked(data), record["id"], record["alg"], sig)


def from_line(line: str | bytes) -> SignedEvent:
    """Parse one JSON Lines row of a feed."""
    try:
        record = decode(line)
    except CanonicalError as exc:
        raise EventError(str(exc)) from exc
    except ValueError as exc:
        raise EventError(f"not JSON ({exc})") from exc
    return from_record(record)


def from_stored(raw: bytes, event_id: str, alg: str, sig: bytes) -> SignedEvent:
    """An event read back from the store, which keeps the exact canonical bytes."""
    try:
        data = decode(raw)
    except ValueError as exc:
        raise EventError(f"stored event {event_id[:8]} is not JSON ({exc})") from exc
    problem = header_problem(data)
    if problem:
        raise EventError(f"stored event {event_id[:8]}: {problem}")
    return SignedEvent(data, raw, event_id, alg, sig)
