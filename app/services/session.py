"""Session use cases: every action of a session becomes a signed event in its author's feed.

One place for each action (DESIGN.md §3): create, advance a stage (with the stage-end checkpoint),
register a supervisor, check an expert in, elect the chair, record verdicts, scores, submissions,
committee decisions, pause/resume/terminate, recordings, report signatures, archive.

Each action appends and folds; when the fold rejects the event, the event stays as evidence and the
action raises :class:`ActionRefused` with the fold's message (so a GUI shows why). ``write`` appends any
event as given, for tools and tests that need to record what the rules refuse.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Mapping

from app.crypto.keys import SigningKey, VerifyingKey
from app.ledger.anchoring import Epochs, checkpoint_body, origin_of
from app.ledger.authors import key_to_json, sign_binding
from app.ledger.events import SignedEvent, new_event, utc_stamp
from app.ledger.export import write_feeds
from app.ledger.state import STAGES, SessionState
from app.store.ledger_store import LedgerStore

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class ActionRefused(Exception):
    """The fold rejected the event of an action (it is kept as evidence); str() is the fold's message."""


class Clock:
    """Ledger time stamps, strictly increasing within this process (so a feed's times never go back)."""

    def __init__(self) -> None:
        self._last: datetime | None = None

    def now(self) -> str:
        moment = datetime.now(timezone.utc)
        if self._last is not None and moment <= self._last:
            moment = self._last + timedelta(microseconds=1)
        self._last = moment
        return utc_stamp(moment)


def check_name(value: str, what: str) -> str:
    """Room and session ids go into checkpoint origins: letters, digits, ``.``, ``_``, ``-``."""
    if not NAME.fullmatch(value):
        raise ValueError(f"{what} {value!r} may hold only letters, digits, '.', '_' and '-'")
    return value


class Session:
    def __init__(self, store: LedgerStore, room_key: SigningKey, clock: Clock | None = None) -> None:
        self.store = store
        self.room_key = room_key
        self.clock = clock or Clock()

    # -- life ------------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, session_id: str, room: str, package: Mapping[str, Any], room_key: SigningKey,
               clock: Clock | None = None) -> "Session":
        """A new session file whose first event, by the room key, carries the session package."""
        check_name(session_id, "session id")
        check_name(room, "room id")
        store = LedgerStore.create(path, session_id, room, room_key.public)
        session = cls(store, room_key, clock)
        session._act(room_key, "session.created", {"room": room, "package": dict(package), "room_key": key_to_json(room_key.public)})
        return session

    @classmethod
    def open(cls, path: Path, room_key: SigningKey, clock: Clock | None = None) -> "Session":
        """An existing session file, run by its room console (the key must be the session's room key)."""
        store = LedgerStore.open(path)
        if store.room_key != room_key.public:
            store.close()
            raise ValueError(f"{path}: the room key given is not the key of this session's room")
        return cls(store, room_key, clock)

    @property
    def state(self) -> SessionState:
        return self.store.state

    def close(self) -> None:
        self.store.close()

    def write(self, key: SigningKey, type_: str, body: Mapping[str, Any]) -> SignedEvent:
        """Sign and append the next event of ``key``'s feed, whatever the rules will say of it."""
        head = self.store.head(key.key_id)
        seq, prev = (head[0] + 1, head[1]) if head else (1, None)
        # max(): after a restart, or a clock set back, the feed's time stays monotone (the verifier checks it)
        time = max(self.clock.now(), self.store.last_time(key.key_id))
        ev = new_event(key, self.store.session_id, seq, prev, time, type_, body)
        self.store.append(ev)
        return ev

    def _act(self, key: SigningKey, type_: str, body: Mapping[str, Any]) -> SignedEvent:
        before = len(self.state.rejections)
        ev = self.write(key, type_, body)
        if len(self.state.rejections) > before and self.state.rejections[-1].event_id == ev.id:
            raise ActionRefused(self.state.rejections[-1].message)
        return ev

    # -- room console ----------------------------------------------------------------------------
    def checkpoint(self) -> SignedEvent:
        """Sign a checkpoint over every event so far (stage end, archive)."""
        state = self.state
        assert state.room is not None and state.session is not None
        frontier = self.store.frontier()
        epochs = Epochs.start(_feeds(self.store.events()))
        for mark in state.checkpoints:
            epochs.extend(mark.frontier)
        epochs.extend(frontier)
        origin = origin_of(state.room, state.session)
        body = checkpoint_body(str(state.stage), origin, frontier, len(epochs.leaves), epochs.root(), self.room_key)
        return self._act(self.room_key, "checkpoint", body)

    def advance(self, to: str) -> SignedEvent:
        """End the current stage (a checkpoint) and move to the next one."""
        if to not in STAGES:
            raise ValueError(f"unknown stage {to!r}")
        self.checkpoint()
        return self._act(self.room_key, "stage.advanced", {"to": to})

    def register_supervisor(self, name: str, key: SigningKey) -> SignedEvent:
        return self._act(self.room_key, "supervisor.registered", {"name": name, "key": key_to_json(key.public)})

    def register_recorder(self, name: str, key: VerifyingKey) -> SignedEvent:
        """Let a recorder's own key write recording events into this session (its feed is imported)."""
        return self._act(self.room_key, "recorder.registered", {"name": name, "key": key_to_json(key)})

    def check_in(self, member: str, expert_key: SigningKey) -> SignedEvent:
        """Bind a fresh session key to a member: the expert key signs the binding, the room the event."""
        binding = sign_binding(expert_key, self.store.session_id, member)
        return self._act(self.room_key, "checkin", {"member": member, "key": key_to_json(expert_key.public), "binding": binding})

    def elect_chair(self, member: str) -> SignedEvent:
        return self._act(self.room_key, "chair.elected", {"member": member})

    def record_segment(self, segment: Mapping[str, Any]) -> SignedEvent:
        return self._act(self.room_key, "recording.segment", segment)

    def record_fault(self, fault: Mapping[str, Any]) -> SignedEvent:
        return self._act(self.room_key, "recording.fault", fault)

    def archive(self) -> SignedEvent:
        """Close the session: the archive event, then the final checkpoint over everything."""
        ev = self._act(self.room_key, "session.archived", {})
        self.checkpoint()
        return ev

    # -- supervisor ------------------------------------------------------------------------------
    def pause(self, key: SigningKey, reason: str) -> SignedEvent:
        return self._act(key, "session.paused", {"reason": reason})

    def resume(self, key: SigningKey) -> SignedEvent:
        return self._act(key, "session.resumed", {})

    def terminate(self, key: SigningKey, reason: str) -> SignedEvent:
        return self._act(key, "session.terminated", {"reason": reason})

    # -- committee members -----------------------------------------------------------------------
    def recuse(self, key: SigningKey, member: str, reason: str) -> SignedEvent:
        return self._act(key, "recusal", {"member": member, "reason": reason})

    def verdict(self, key: SigningKey, member: str, bidder: str, passed: bool, reason: str | None = None) -> SignedEvent:
        body: dict[str, Any] = {"member": member, "bidder": bidder, "pass": passed}
        if reason is not None:
            body["reason"] = reason
        return self._act(key, "preliminary.verdict", body)

    def set_score(self, key: SigningKey, expert: str, bidder: str, criterion: str, score: str) -> SignedEvent:
        return self._act(key, "score.set", {"expert": expert, "bidder": bidder, "criterion": criterion, "score": score})

    def submit(self, key: SigningKey, expert: str) -> SignedEvent:
        return self._act(key, "score.submitted", {"expert": expert})

    def reopen(self, chair_key: SigningKey, expert: str, reason: str) -> SignedEvent:
        return self._act(chair_key, "score.reopened", {"expert": expert, "reason": reason})

    def decide_low_price(self, chair_key: SigningKey, bidder: str, decision: str) -> SignedEvent:
        return self._act(chair_key, "low_price.decided", {"bidder": bidder, "decision": decision})

    def adjust(self, chair_key: SigningKey, bidder: str, amount: str, reason: str) -> SignedEvent:
        return self._act(chair_key, "adjustment.recorded", {"bidder": bidder, "amount": amount, "reason": reason})

    def sign_report(self, key: SigningKey, member: str, sha256: str) -> SignedEvent:
        return self._act(key, "report.signed", {"member": member, "sha256": sha256})

    # -- outputs ---------------------------------------------------------------------------------
    def export(self, outdir: Path) -> list[Path]:
        return export_store(self.store, outdir)


def _feeds(events: list[SignedEvent]) -> dict[str, list[SignedEvent]]:
    feeds: dict[str, list[SignedEvent]] = {}
    for ev in sorted(events, key=lambda e: (e.author, e.seq)):
        feeds.setdefault(ev.author, []).append(ev)
    return feeds


def export_store(store: LedgerStore, outdir: Path) -> list[Path]:
    """Write the store's feeds as JSON Lines under ``outdir``."""
    labels = {author: info.label for author, info in store.state.authors.items()}
    return write_feeds(store.events(), labels, outdir)
