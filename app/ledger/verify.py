"""Verification of a session's ledger, offline, from its events alone plus the room's public key.

Checks, each reported as one line starting with its kind:
``format`` (a record that cannot be read), ``hash`` (content does not match its id), ``signature``,
``chain`` (a missing seq, a broken ``prev`` link, time going backwards), ``fork`` (one author, one seq, two
contents: an incident), ``room key`` (the session was not created by the trusted room key), ``rule`` (an
event the fold rejected: it is evidence, without effect), ``checkpoint`` (a signed Merkle root that does
not match the events, or covers events that are gone).

Only each feed's prefix up to its first integrity problem is folded; what follows is still checked, and
reported, but never trusted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.crypto.keys import VerifyingKey
from app.ledger.anchoring import Epochs, check_checkpoint, origin_of
from app.ledger.authors import key_from_json
from app.ledger.events import EventError, SignedEvent, from_line
from app.ledger.fold import fold
from app.ledger.state import SessionState

Located = tuple[SignedEvent, str]  # an event and where it was read ("ledger/room-….jsonl:3")


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    state: SessionState | None = None
    events: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def read_feed_dir(folder: Path) -> tuple[list[Located], list[str]]:
    """Every event of every ``*.jsonl`` feed in ``folder``, and the problems met while reading."""
    located: list[Located] = []
    problems: list[str] = []
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        problems.append(f"format: {folder} holds no feed (*.jsonl)")
    for file in files:
        name = f"{folder.name}/{file.name}"
        last = 0
        with file.open("rb") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    ev = from_line(line)
                except EventError as exc:
                    problems.append(f"format: {name} line {number}: {exc}")
                    continue
                if ev.seq == last:
                    problems.append(f"format: {name} line {number}: seq {ev.seq} appears twice in a row")
                elif ev.seq < last:
                    problems.append(f"format: {name} line {number}: seq {ev.seq} after seq {last} (feed out of order)")
                last = max(last, ev.seq)
                located.append((ev, f"{name}:{number}"))
    return located, problems


def _room_author(located: list[Located], room_key: VerifyingKey | None) -> tuple[str | None, VerifyingKey | None]:
    if room_key is not None:
        return room_key.key_id, room_key
    created = sorted((ev for ev, _ in located if ev.type == "session.created"), key=SignedEvent.order_key)
    for ev in created:
        try:
            key = key_from_json(ev.body.get("room_key"))
        except ValueError:
            continue
        if key.key_id == ev.author:
            return ev.author, key
    return None, None


def _declared_keys(room_feed: list[SignedEvent], venue: bool = False) -> dict[str, tuple[VerifyingKey, str]]:
    """Keys the room declared (check-ins, supervisors, remote venues' consoles): needed to check the other
    feeds' signatures. A remote venue's console (``venue``) declares the keys of the members it checks in."""
    keys: dict[str, tuple[VerifyingKey, str]] = {}
    types = ("checkin",) if venue else ("checkin", "supervisor.registered", "recorder.registered", "venue.added")
    for ev in room_feed:
        if ev.type in types:
            try:
                key = key_from_json(ev.body.get("key"))
            except ValueError:
                continue
            if ev.type == "venue.added":
                label = f"venue {ev.body.get('room')}"
            else:
                label = (str(ev.body.get("member")) if ev.type == "checkin"
                         else f"{ev.type.split('.')[0]} {ev.body.get('name')}")
            keys.setdefault(key.key_id, (key, label))
    return keys


def _venue_keys(room_feed: list[SignedEvent]) -> set[str]:
    """Key ids of the remote venues' consoles the room declared (venue.added)."""
    keys: set[str] = set()
    for ev in room_feed:
        if ev.type == "venue.added":
            try:
                keys.add(key_from_json(ev.body.get("key")).key_id)
            except ValueError:
                continue
    return keys


def _check_feed(seqs: dict[int, dict[str, Located]], key: VerifyingKey, label: str,
                problems: list[str]) -> list[SignedEvent]:
    """Check one author's feed; return its trusted prefix (seq 1.. up to the first problem).

    ``seqs`` maps seq -> {content hash: event}: copies with the same content collapse (set union);
    an altered copy fails its hash, a forged one its signature; two signed contents at one seq are a fork.
    """
    trusted: list[SignedEvent] = []
    intact = True
    prev_id: str | None = None
    prev_time = ""
    for seq in range(1, max(seqs) + 1):
        versions = seqs.get(seq)
        if not versions:
            problems.append(f"chain: {label} seq {seq} is missing (events dropped)")
            intact, prev_id = False, None
            continue
        good: list[SignedEvent] = []
        for digest, (ev, where) in versions.items():
            if digest != ev.id:
                problems.append(f"hash: event {ev.short} ({label} seq {seq}, {where}): "
                                "content does not match its id (altered)")
            elif not ev.signature_valid(key):
                problems.append(f"signature: event {ev.short} ({label} seq {seq}, {where}): bad signature")
            else:
                good.append(ev)
        if len(good) != 1:
            if good:
                ids = ", ".join(sorted(ev.short for ev in good))
                problems.append(f"fork: {label} signed {len(good)} different events at seq {seq} ({ids}): incident")
            intact, prev_id = False, None  # which version the next event follows is unknowable
            continue
        ev = good[0]
        ok = True
        if seq == 1 and ev.prev is not None:
            problems.append(f"chain: event {ev.short} ({label} seq 1): prev must be null")
            ok = False
        elif seq > 1 and prev_id is not None and ev.prev != prev_id:
            problems.append(f"chain: event {ev.short} ({label} seq {seq}): prev does not link to seq {seq - 1}")
            ok = False
        if ev.time < prev_time:
            problems.append(f"chain: event {ev.short} ({label} seq {seq}): time {ev.time} is before its predecessor's")
            ok = False
        prev_id, prev_time = ev.id, max(prev_time, ev.time)
        intact = intact and ok
        if intact:
            trusted.append(ev)
    return trusted


def verify_events(located: Iterable[Located], room_key: VerifyingKey | None = None,
                  problems: list[str] | None = None) -> Report:
    """Verify a session's events (read from anywhere). ``room_key`` is the trust anchor, if known."""
    report = Report(problems=list(problems or []))
    located = list(located)
    report.events = len(located)
    feeds: dict[str, dict[int, dict[str, Located]]] = {}
    for ev, where in located:
        feeds.setdefault(ev.author, {}).setdefault(ev.seq, {}).setdefault(ev.computed_id(), (ev, where))
    room_author, room = _room_author(located, room_key)
    if room_author is None or room is None:
        report.problems.append("room key: no session.created event signed by its own room key")
        return report
    if room_author not in feeds:
        report.problems.append(f"room key: the room key {room_author[:8]} wrote no event in this ledger")
        return report
    trusted: dict[str, list[SignedEvent]] = {
        room_author: _check_feed(feeds[room_author], room, "room", report.problems)}
    declared = _declared_keys(trusted[room_author])
    venues = _venue_keys(trusted[room_author])
    for author in sorted(venues & set(feeds)):  # remote venues' consoles first: they declare their members' keys
        key, label = declared[author]
        trusted[author] = _check_feed(feeds[author], key, label, report.problems)
        for key_id, entry in _declared_keys(trusted[author], venue=True).items():
            declared.setdefault(key_id, entry)
    for author in sorted(feeds):
        if author == room_author or author in venues:
            continue
        if author not in declared:
            count = sum(len(v) for v in feeds[author].values())
            report.problems.append(f"signature: feed of key {author[:8]} ({count} events): "
                                   "its key was not declared by the room")
            continue
        key, label = declared[author]
        trusted[author] = _check_feed(feeds[author], key, label, report.problems)
    events = [ev for feed in trusted.values() for ev in feed]
    state = fold(events, room_author)
    report.state = state
    if not state.created:
        report.problems.append("room key: the room key did not create this session")
        return report
    report.problems.extend(f"rule: {r.message}" for r in state.rejections)
    _check_checkpoints(trusted, room_author, room, state, report.problems)
    return report


def _check_checkpoints(trusted: dict[str, list[SignedEvent]], room_author: str, room: VerifyingKey,
                       state: SessionState, problems: list[str]) -> None:
    assert state.room is not None and state.session is not None
    origin = origin_of(state.room, state.session)
    labels = {a: info.label for a, info in state.authors.items()}
    epochs = Epochs.start(trusted)
    for ev in trusted[room_author]:
        if ev.type == "checkpoint":
            problems.extend(f"checkpoint: {p}" for p in check_checkpoint(ev, epochs, room, origin, labels))
    if state.stage == "archived":
        # Everything but the final checkpoint itself must be under the archive checkpoint.
        loose = [ev for author, feed in trusted.items() for ev in feed[epochs.covered.get(author, 0):]
                 if ev.type != "checkpoint"]
        if not state.checkpoints:
            problems.append("checkpoint: the session is archived without a checkpoint")
        elif loose:
            problems.append(f"checkpoint: {len(loose)} events are not covered by the archive checkpoint")
