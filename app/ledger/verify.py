"""Verification of a session's ledger, offline, from its events alone plus the room's public key.

Checks, each reported as one line starting with its kind:
``format`` (a record that cannot be read), ``hash`` (content does not match its id), ``signature``,
``chain`` (a missing seq, a broken ``prev`` link, time going backwards), ``fork`` (one author, one seq, two
contents: an incident), ``room key`` (the session was not created by the trusted room key), ``rule`` (an
event the fold rejected: it is evidence, without effect), ``checkpoint`` (a signed Merkle root that does
not match the events, or covers events that are gone).

A ledger's tail can be cut cleanly (the last events of each feed dropped): chains and signatures stay
valid, so only a checkpoint signed after those events can show it. Events no checkpoint of the ledger
covers are therefore reported: a failure when the ledger itself says a checkpoint follows them (an archived
session, a finalized report: both are written with their checkpoint in one transaction), otherwise a note.
A checkpoint kept elsewhere (``external``: the signed note from the center, the archive's checkpoint.txt)
proves nothing was cut before it: the ledger must hold at least its events and reproduce its Merkle root
over them (the leaves of a checkpoint extend those of every one before it, ``anchoring.py``).

Only each feed's prefix up to its first integrity problem is folded; what follows is still checked, and
reported, but never trusted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.crypto.keys import ED25519, VerifyingKey
from app.ledger.anchoring import Epochs, check_checkpoint, origin_of
from app.ledger.authors import key_from_json
from app.ledger.checkpoint import CheckpointError, verify_checkpoint
from app.ledger.events import EventError, SignedEvent, from_line
from app.ledger.fold import fold
from app.ledger.merkle import merkle_root
from app.ledger.parallel import Check, SignatureChecks
from app.ledger.state import SessionState

Located = tuple[SignedEvent, str]  # an event and where it was read ("ledger/room-….jsonl:3")
Oracle = Callable[[SignedEvent, VerifyingKey], bool]  # does the event's signature hold under the key?
#: fewer signatures than this are checked in this process even with --jobs: starting workers costs more
MIN_PARALLEL = 2000
DECLARING = ("checkin", "supervisor.registered", "recorder.registered", "venue.added")  # events with body.key


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    state: SessionState | None = None
    events: int = 0
    notes: list[str] = field(default_factory=list)  # reported, not failures (e.g. a live session's uncovered tail)

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
    types = ("checkin",) if venue else DECLARING
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
                problems: list[str], valid: Oracle) -> list[SignedEvent]:
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
            elif not valid(ev, key):
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
                  problems: list[str] | None = None, external: str | None = None, jobs: int = 1,
                  min_parallel: int | None = None) -> Report:
    """Verify a session's events (read from anywhere). ``room_key`` is the trust anchor, if known;
    ``external``: the text of a signed checkpoint note kept elsewhere, which the ledger must be consistent with.

    ``jobs`` > 1 checks the signatures in that many worker processes (when there are at least ``min_parallel``
    of them, default :data:`MIN_PARALLEL`) while this process checks the rest as if every signature held; the
    signatures it asked about are then compared with the workers' answers, and only when one of them fails is
    the ledger checked again with the real answers. Either way the report is the one ``jobs=1`` gives: the same
    checks, asked in the same order, get the same answers."""
    located = list(located)
    feeds: dict[str, dict[int, dict[str, Located]]] = {}
    for ev, where in located:
        feeds.setdefault(ev.author, {}).setdefault(ev.seq, {}).setdefault(ev.computed_id(), (ev, where))
    room_author, room = _room_author(located, room_key)
    if jobs <= 1 or room is None:
        return _verify(located, feeds, room_author, room, problems, external, _signature_valid)
    checks = _expected_checks(feeds, room)
    if len(checks) < (MIN_PARALLEL if min_parallel is None else min_parallel):
        return _verify(located, feeds, room_author, room, problems, external, _signature_valid)
    pool = SignatureChecks(checks, jobs)
    asked: list[tuple[SignedEvent, VerifyingKey]] = []

    def assume_valid(ev: SignedEvent, key: VerifyingKey) -> bool:
        asked.append((ev, key))
        return True

    try:
        report = _verify(located, feeds, room_author, room, problems, external, assume_valid)
    finally:
        answers = pool.results()

    def answered(ev: SignedEvent, key: VerifyingKey) -> bool:
        if key.alg == ev.alg == ED25519:
            found = answers.get((key.raw, ev.id, ev.sig))
            if found is not None:
                return found
        return _signature_valid(ev, key)

    if all(answered(ev, key) for ev, key in asked):
        return report
    return _verify(located, feeds, room_author, room, problems, external, answered)


def _signature_valid(ev: SignedEvent, key: VerifyingKey) -> bool:
    return ev.signature_valid(key)


def _expected_checks(feeds: dict[str, dict[int, dict[str, Located]]], room: VerifyingKey) -> list[Check]:
    """The signature checks the verifier will most likely make: every event whose content matches its id, under
    the key its author's id names, as declared anywhere in the ledger (a key id is the hash of the key, so an
    author has one key whichever event declared it). Whatever this misses is checked in this process."""
    keys: dict[str, VerifyingKey] = {room.key_id: room}
    for seqs in feeds.values():
        for versions in seqs.values():
            for ev, _ in versions.values():
                if ev.type in DECLARING:
                    try:
                        key = key_from_json(ev.body.get("key"))
                    except ValueError:
                        continue
                    keys.setdefault(key.key_id, key)
    checks: list[Check] = []
    for author, seqs in feeds.items():
        known = keys.get(author)
        if known is None or known.alg != ED25519:
            continue
        for versions in seqs.values():
            for digest, (ev, _) in versions.items():
                if digest == ev.id and ev.alg == ED25519:
                    checks.append((known.raw, ev.id, ev.sig))
    return checks


def _verify(located: list[Located], feeds: dict[str, dict[int, dict[str, Located]]], room_author: str | None,
            room: VerifyingKey | None, problems: list[str] | None, external: str | None, valid: Oracle) -> Report:
    report = Report(problems=list(problems or []))
    report.events = len(located)
    if room_author is None or room is None:
        report.problems.append("room key: no session.created event signed by its own room key")
        return report
    if room_author not in feeds:
        report.problems.append(f"room key: the room key {room_author[:8]} wrote no event in this ledger")
        return report
    trusted: dict[str, list[SignedEvent]] = {
        room_author: _check_feed(feeds[room_author], room, "room", report.problems, valid)}
    declared = _declared_keys(trusted[room_author])
    venues = _venue_keys(trusted[room_author])
    for author in sorted(venues & set(feeds)):  # remote venues' consoles first: they declare their members' keys
        key, label = declared[author]
        trusted[author] = _check_feed(feeds[author], key, label, report.problems, valid)
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
        trusted[author] = _check_feed(feeds[author], key, label, report.problems, valid)
    events = [ev for feed in trusted.values() for ev in feed]
    state = fold(events, room_author)
    report.state = state
    if not state.created:
        report.problems.append("room key: the room key did not create this session")
        return report
    report.problems.extend(f"rule: {r.message}" for r in state.rejections)
    if state.clock_refusals:  # incidents the receivers recorded: the refused events are not in the ledger
        shown = "; ".join(f"{r['by']} refused {state.label(str(r['author']))} seq {r['seq']} stamped {r['time']}"
                          for r in state.clock_refusals[:3])
        more = "; …" if len(state.clock_refusals) > 3 else ""
        report.notes.append(f"{len(state.clock_refusals)} event(s) were refused on receipt for a time ahead of the "
                            f"receiver's clock (incidents): {shown}{more}")
    epochs = _check_checkpoints(trusted, room_author, room, state, report)
    if external is not None:
        assert state.room is not None and state.session is not None
        report.problems.extend(check_external(external, epochs, room, origin_of(state.room, state.session)))
    return report


def _check_checkpoints(trusted: dict[str, list[SignedEvent]], room_author: str, room: VerifyingKey,
                       state: SessionState, report: Report) -> Epochs:
    """Every checkpoint of the ledger, then what none of them covers; returns the leaves they cover."""
    assert state.room is not None and state.session is not None
    problems = report.problems
    origin = origin_of(state.room, state.session)
    labels = {a: info.label for a, info in state.authors.items()}
    epochs = Epochs.start(trusted)
    for ev in trusted[room_author]:
        if ev.type == "checkpoint":
            problems.extend(f"checkpoint: {p}" for p in check_checkpoint(ev, epochs, room, origin, labels))
    # Everything but the newest checkpoint itself should be under a checkpoint.
    loose = [ev for author, feed in trusted.items() for ev in feed[epochs.covered.get(author, 0):]
             if ev.type != "checkpoint"]
    finalized = [ev for ev in loose if ev.type == "report.finalized" and ev.author == room_author]
    if state.stage == "archived":
        if not state.checkpoints:
            problems.append("checkpoint: the session is archived without a checkpoint")
        elif loose:
            problems.append(f"checkpoint: {len(loose)} events are not covered by the archive checkpoint")
    elif finalized and state.report.final is not None:
        problems.append(f"checkpoint: the report was finalized (event {finalized[-1].short}) but no signed checkpoint "
                        f"covers it: {len(loose)} events are not covered (the checkpoint written with the "
                        "finalization is missing: the ledger's tail was cut)")
    elif loose:
        newest = f"the newest of {len(state.checkpoints)} covers {len(epochs.leaves)} events" if state.checkpoints \
            else "the ledger holds no checkpoint"
        total = sum(map(len, trusted.values()))
        report.notes.append(
            f"{len(loose)} of {total} events are not covered by any signed checkpoint ({newest}): nothing here "
            "proves the ledger's tail was not cut; verify with --checkpoint FILE, a checkpoint kept elsewhere")
    return epochs


def check_external(text: str, epochs: Epochs, room: VerifyingKey, origin: str,
                   name: str = "the checkpoint given") -> list[str]:
    """The problems of a signed checkpoint kept outside the ledger (``text``: a C2SP signed note) against the
    leaves the ledger's own checkpoints cover (``epochs``): it must be the room's, of this session, no larger
    than what the ledger's checkpoints cover, and its root the root of the same number of the ledger's leaves."""
    try:
        note = verify_checkpoint(text, room)
    except CheckpointError as exc:
        return [f"checkpoint: {name} is not signed by the room key ({exc})"]
    if note.origin != origin:
        return [f"checkpoint: {name} is of {note.origin!r}, not of this session ({origin!r})"]
    held = len(epochs.leaves)
    if note.size > held:
        return [f"checkpoint: the ledger is shorter than {name}: it signs {note.size} events, the ledger's own "
                f"checkpoints cover {held} (events after them were cut, or the ledger is older than {name})"]
    if merkle_root(epochs.leaves[:note.size]) != note.root:
        return [f"checkpoint: the ledger is not consistent with {name}: the Merkle root of its first {note.size} "
                f"events differs from the signed one (history changed)"]
    return []
