"""Shared sessions across venues (远程异地评标): a venue pulls the other venues' events through the center.

``pull_into(store, client)`` ingests every event the center holds that the local file lacks (frontier
exchange; each event checked by :meth:`LedgerStore.ingest_many`: id, signature with the key the session
declared, chain; a fork is recorded as an incident). ``join_session`` creates a local replica of a session
that started elsewhere (a remote venue joining the host venue's session).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.crypto.keys import VerifyingKey
from app.ledger.authors import key_from_json
from app.ledger.events import EventError, SignedEvent, from_record
from app.store.ledger_store import AppendError, ForkError, LedgerStore
from app.sync.client import CenterClient


@dataclass
class PullResult:
    ingested: int = 0
    duplicates: int = 0
    problems: list[str] = field(default_factory=list)


def fetch_events(client: CenterClient, session: str, frontier: dict[str, int]) -> list[SignedEvent]:
    events: list[SignedEvent] = []
    seen: set[str] = set()
    while True:
        answer = client.pull(session, frontier)
        for record in answer["records"]:
            try:
                ev = from_record(record)
            except EventError:
                continue
            if ev.id not in seen:
                seen.add(ev.id)
                events.append(ev)
                frontier = {**frontier, ev.author: max(frontier.get(ev.author, 0), ev.seq)}
        if not answer.get("more"):
            return events


# Events that may declare a key (an author of the fold, or a venue key): one pending in a batch makes the batch
# worth ingesting before giving up on an unknown key (a missing type only costs another pass).
DECLARES_KEYS = frozenset({"session.created", "checkin", "supervisor.registered", "recorder.registered", "venue.added"})


def ingest_events(store: LedgerStore, events: list[SignedEvent], result: PullResult,
                  lock: AbstractContextManager[Any] | None = None, deliver: bool = True) -> None:
    """``lock``: taken around each read of the store and each batch (one transaction), not the whole pull,
    so the node's own appends (the expert scoring) interleave with a long pull. ``deliver``: the events get outbox
    rows; False when they come from the node the outbox delivers to (sending them back would only make duplicates)."""
    guard = lock if lock is not None else nullcontext()
    room = store.room_key.key_id
    # fold order (time, author, seq): each event then extends the local fold; grouped by author, every
    # author after the first would land before the fold's last event and refold the whole session (O(n^2))
    waiting = sorted(events, key=SignedEvent.order_key)
    progress = True
    while waiting and progress:  # a key is declared by a room event: retry what waited for it
        progress = False
        later: list[SignedEvent] = []
        with guard:
            venue_keys = _venue_keys(store)
        batch: list[tuple[SignedEvent, VerifyingKey]] = []
        declares = False  # the batch holds an event that may declare a key
        for ev in waiting:
            with guard:
                key = _key(store, room, venue_keys, ev)
            if key is None and declares:  # an earlier event of this pass may declare it: ingest the batch first
                with guard:
                    progress |= _ingest_batch(store, batch, result, later, deliver)
                    venue_keys = _venue_keys(store)
                    key = _key(store, room, venue_keys, ev)
                batch, declares = [], False
            if key is None:
                later.append(ev)
                continue
            batch.append((ev, key))
            declares = declares or ev.type in DECLARES_KEYS
        with guard:
            progress |= _ingest_batch(store, batch, result, later, deliver)
        waiting = sorted(later, key=SignedEvent.order_key)
    result.problems.extend(f"event {ev.short}: its author's key is not declared in this session" for ev in waiting)


def _key(store: LedgerStore, room: str, venue_keys: dict[str, VerifyingKey], ev: SignedEvent) -> VerifyingKey | None:
    author = store.state.authors.get(ev.author)
    return store.room_key if ev.author == room else (author.key if author else venue_keys.get(ev.author))


def _ingest_batch(store: LedgerStore, batch: list[tuple[SignedEvent, VerifyingKey]], result: PullResult,
                  later: list[SignedEvent], deliver: bool = True) -> bool:
    """Ingest ``batch`` (one transaction a few thousand events); True if any event was ingested or already here.
    An event that waits for an earlier one of its feed ("expected seq") goes to ``later``."""
    progress = False
    for (ev, _), outcome in zip(batch, store.ingest_many(batch, deliver) if batch else [], strict=True):
        if outcome == "ingested":
            result.ingested += 1
        elif outcome == "duplicate":
            result.duplicates += 1
        elif isinstance(outcome, AppendError) and not isinstance(outcome, ForkError) and "expected seq" in str(outcome):
            later.append(ev)
            continue
        else:
            result.problems.append(str(outcome))
            continue
        progress = True
    return progress


def _venue_keys(store: LedgerStore) -> dict[str, VerifyingKey]:
    """Keys declared outside the fold's own author list, as the center declares them: remote venues' console
    keys (the host room's ``venue.added``) and the experts those consoles check in (``checkin`` by a venue key)."""
    keys: dict[str, VerifyingKey] = {}
    room = store.room_key.key_id
    for ev in sorted(store.events(), key=lambda e: (e.author != room, e.author, e.seq)):
        if (ev.type == "venue.added" and ev.author == room) or (ev.type == "checkin" and ev.author in keys):
            try:
                key = key_from_json(ev.body.get("key"))
            except ValueError:
                continue
            keys.setdefault(key.key_id, key)
    return keys


def pull_into(store: LedgerStore, client: CenterClient) -> PullResult:
    result = PullResult()
    ingest_events(store, fetch_events(client, store.session_id, store.frontier()), result, deliver=False)
    return result


def join_session(client: CenterClient, session: str, path: Path) -> tuple[LedgerStore, PullResult]:
    """A local replica of ``session`` (from the center) in a new file at ``path``."""
    events = fetch_events(client, session, {})
    created = [ev for ev in events if ev.type == "session.created" and ev.seq == 1]
    if not created:
        raise AppendError(f"the center holds no session.created for {session}")
    first = created[0]
    key = key_from_json(first.body.get("room_key"))
    if key.key_id != first.author or not first.signature_valid(key) or first.computed_id() != first.id:
        raise AppendError(f"session {session}: session.created is not signed by its own room key")
    store = LedgerStore.create(path, session, str(first.body.get("room")), key)
    result = PullResult()
    ingest_events(store, events, result, deliver=False)  # the center holds them: the outbox is for the new ones
    return store, result
