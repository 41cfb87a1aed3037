"""Checkpoints over a session's events: which leaves, in which order, and how each is checked.

A checkpoint event (room feed) carries ``{stage, origin, size, root, frontier, note}``: ``frontier`` is
``{author: last seq}`` of every feed at that moment and ``note`` the C2SP signed note of
(origin, size, root) by the room key (``app.ledger.checkpoint``).

Leaf order, chosen so every checkpoint's tree *extends* the previous one (an RFC 6962 consistency proof
holds between any two): the leaves of checkpoint *k* are the leaves of checkpoint *k − 1*, followed by
the events its frontier adds, sorted by the fold order ``(time, author, seq)``. Each leaf is the
canonical event bytes. An event synced late therefore joins the next checkpoint, never rewrites an old
one; a dropped event that a frontier covers is reported, which the hash chains alone cannot see for the
tail of a feed.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.crypto.keys import SigningKey, VerifyingKey
from app.ledger.checkpoint import CheckpointError, sign_checkpoint, verify_checkpoint
from app.ledger.events import SignedEvent
from app.ledger.merkle import merkle_root


def origin_of(room: str, session: str) -> str:
    return f"evalroom/{room}/{session}"


@dataclass
class Epochs:
    """The growing leaf list of a session's checkpoints, checkpoint after checkpoint."""

    feeds: Mapping[str, Sequence[SignedEvent]]  # author -> events by seq, from seq 1, no gaps
    covered: dict[str, int]
    leaves: list[bytes]

    @classmethod
    def start(cls, feeds: Mapping[str, Sequence[SignedEvent]]) -> Epochs:
        return cls(feeds, {}, [])

    def extend(self, frontier: Mapping[str, int], labels: Mapping[str, str] | None = None) -> list[str]:
        """Add the events ``frontier`` covers; return the problems (events it covers that are missing)."""
        problems: list[str] = []
        added: list[SignedEvent] = []
        for author, last in frontier.items():
            before = self.covered.get(author, 0)
            if not isinstance(last, int) or last < before:
                problems.append(f"frontier of {_label(author, labels)} goes back from seq {before} to {last!r}")
                continue
            feed = self.feeds.get(author, ())
            if len(feed) < last:
                problems.append(
                    f"it covers {_label(author, labels)}'s events up to seq {last}, but only {len(feed)} are present "
                    "(events dropped)"
                )
            added.extend(feed[before:last])
            self.covered[author] = max(before, min(last, len(feed)))
        for author, seen in self.covered.items():
            if author not in frontier and seen:
                problems.append(f"frontier drops {_label(author, labels)}, covered up to seq {seen} before")
        added.sort(key=SignedEvent.order_key)
        self.leaves.extend(ev.raw for ev in added)
        return problems

    def root(self) -> bytes:
        return merkle_root(self.leaves)


def _label(author: str, labels: Mapping[str, str] | None) -> str:
    return (labels or {}).get(author, f"key {author[:8]}")


def checkpoint_body(stage: str, origin: str, frontier: dict[str, int], size: int, root: bytes,
                    key: SigningKey) -> dict[str, object]:
    """The body of a checkpoint event, with the signed note."""
    return {
        "stage": stage,
        "origin": origin,
        "size": size,
        "root": root.hex(),
        "frontier": dict(sorted(frontier.items())),
        "note": sign_checkpoint(origin, size, root, key),
    }


def check_checkpoint(ev: SignedEvent, epochs: Epochs, room_key: VerifyingKey, origin: str,
                     labels: Mapping[str, str] | None = None) -> list[str]:
    """Every problem of one checkpoint event, given the epochs of the checkpoints before it."""
    body = ev.body
    where = f"checkpoint {ev.short} (stage {body.get('stage')})"
    frontier = body.get("frontier")
    if not isinstance(frontier, dict):
        return [f"{where}: no frontier"]
    problems = [f"{where}: {p}" for p in epochs.extend(frontier, labels)]
    if frontier.get(ev.author, 0) >= ev.seq:
        problems.append(f"{where}: its frontier covers the checkpoint itself")
    root = epochs.root()
    try:
        note = verify_checkpoint(body.get("note"), room_key)  # type: ignore[arg-type]
    except CheckpointError as exc:
        return problems + [f"{where}: signed note invalid: {exc}"]
    if note.origin != origin:
        problems.append(f"{where}: origin {note.origin!r} is not {origin!r}")
    if note.size != body.get("size") or note.root.hex() != body.get("root"):
        problems.append(f"{where}: the event's size/root differ from its signed note")
    if note.size != len(epochs.leaves):
        problems.append(f"{where}: signed size {note.size} but the ledger has {len(epochs.leaves)} events for it")
    elif note.root != root:
        problems.append(
            f"{where}: Merkle root mismatch: signed {base64.b64encode(note.root).decode()}, "
            f"recomputed {base64.b64encode(root).decode()} (history changed)"
        )
    return problems
