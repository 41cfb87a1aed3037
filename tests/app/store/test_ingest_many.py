"""LedgerStore.ingest_many: a pulled batch checked event by event, written in few transactions (sync speed)."""

from __future__ import annotations

import copy
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import ledgerkit as lk
from app.crypto.keys import VerifyingKey
from app.ledger.events import SignedEvent, from_stored, new_event
from app.store import projections
from app.store.ledger_store import MAX_POS, AppendError, ForkError, LedgerStore
from app.store.models import PROJECTIONS


def _dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(db)
    try:
        return {m.__tablename__: sorted(conn.execute(f"SELECT * FROM {m.__tablename__}").fetchall(), key=repr)
                for m in PROJECTIONS}
    finally:
        conn.close()


def _outbox(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [ref for (ref,) in conn.execute("SELECT ref FROM outbox WHERE kind = 'event' ORDER BY id")]
    finally:
        conn.close()


def _source(tmp_path: Path) -> tuple[lk.Kit, list[SignedEvent], dict[str, VerifyingKey]]:
    """A played session (closed: its projections are the reference) and its events in fold order."""
    kit = lk.start(tmp_path)
    kit.score_all()
    events = sorted(kit.events(), key=SignedEvent.order_key)
    keys = {k.public.key_id: k.public for k in (kit.room, kit.supervisor, *kit.members.values())}
    kit.session.close()
    return kit, events, keys


def _replica(kit: lk.Kit, tmp_path: Path) -> LedgerStore:
    with LedgerStore.open(kit.path) as source:
        session, room = source.session_id, source.room
    return LedgerStore.create(tmp_path / "replica.sqlite", session, room, kit.room.public)


def _statements(store: LedgerStore) -> list[str]:
    """Every SQL statement run on the store's connection from now on (sqlite3's own trace)."""
    seen: list[str] = []
    store._db.set_trace_callback(seen.append)
    return seen


def _assert_matches_file(store: LedgerStore) -> None:
    """The in-memory store is exactly what a fresh open of its file gives."""
    with LedgerStore.open(store.path) as fresh:
        assert [ev.id for ev in store.events()] == [ev.id for ev in fresh.events()]
        assert store.frontier() == fresh.frontier()
        assert {a: store.head(a) for a in fresh.frontier()} == {a: fresh.head(a) for a in fresh.frontier()}
        assert {a: store.last_time(a) for a in fresh.frontier()} == {a: fresh.last_time(a) for a in fresh.frontier()}
        assert store._pos == fresh._pos == fresh.count()
        assert store.state == fresh.state
    before = _dump(store.path)
    store.rebuild()
    assert _dump(store.path) == before  # the projections on disk are those of the events on disk


def test_a_batch_is_written_in_one_transaction_and_is_idempotent(tmp_path: Path) -> None:
    kit, events, keys = _source(tmp_path)
    replica = _replica(kit, tmp_path)
    sql = _statements(replica)
    assert replica.ingest_many([(ev, keys[ev.author]) for ev in events]) == ["ingested"] * len(events)
    assert sql.count("BEGIN IMMEDIATE") == sql.count("COMMIT") == 1  # one commit: one WAL fsync
    # fork checks from memory, not queries: the one query is the next pos, read under the transaction's lock
    assert [s for s in sql if s.lstrip().upper().startswith("SELECT")] == [MAX_POS]
    assert replica.count() == len(events) and _outbox(replica.path) == [ev.id for ev in events]
    assert _dump(replica.path) == _dump(kit.path)
    sql.clear()
    assert replica.ingest_many([(ev, keys[ev.author]) for ev in events[::-1]]) == ["duplicate"] * len(events)
    assert "COMMIT" not in sql and replica.count() == len(events)
    assert replica.ingest(events[3], keys[events[3].author]) is False
    _assert_matches_file(replica)
    replica.close()


def test_a_large_batch_is_split_into_transactions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kit, events, keys = _source(tmp_path)
    replica = _replica(kit, tmp_path)
    monkeypatch.setattr(LedgerStore, "ingest_batch", 7)
    sql = _statements(replica)
    assert replica.ingest_many([(ev, keys[ev.author]) for ev in events]) == ["ingested"] * len(events)
    assert sql.count("COMMIT") == -(-len(events) // 7)
    assert _dump(replica.path) == _dump(kit.path)
    _assert_matches_file(replica)
    replica.close()


def _twin(kit: lk.Kit, ev: SignedEvent, mark: str) -> SignedEvent:
    """A different event signed by the same author at the same (author, seq): a fork."""
    signer = next(k for k in (kit.room, kit.supervisor, *kit.members.values()) if k.key_id == ev.author)
    return new_event(signer, ev.session, ev.seq, ev.prev, ev.time, ev.type, dict(ev.body, fork=mark))


def test_a_fork_in_a_batch_is_an_incident_and_the_others_are_ingested(tmp_path: Path) -> None:
    kit, events, keys = _source(tmp_path)
    replica = _replica(kit, tmp_path)
    half = len(events) // 2
    replica.ingest_many([(ev, keys[ev.author]) for ev in events[:half]])
    known, rest = events[half - 1], events[half:]
    twin = _twin(kit, known, "1")  # against an event already in the file
    inner = _twin(kit, rest[-1], "2")  # against an event ingested earlier in the same batch
    outcomes = replica.ingest_many([(ev, keys[ev.author]) for ev in [twin, *rest, inner]])
    assert isinstance(outcomes[0], ForkError)
    assert str(outcomes[0]) == (f"fork: {known.author[:8]} seq {known.seq} is {known.short} here "
                                f"and {twin.short} in the import")
    assert outcomes[1:-1] == ["ingested"] * len(rest)
    assert isinstance(outcomes[-1], ForkError) and f"is {rest[-1].short} here and {inner.short}" in str(outcomes[-1])
    assert [(row.kind, row.event_id, row.seq) for row in replica.incidents()] == [
        ("fork", twin.id, known.seq), ("fork", inner.id, rest[-1].seq)]
    assert replica.count() == len(events) and _dump(replica.path) == _dump(kit.path)
    with pytest.raises(ForkError, match=f"is {known.short} here and {twin.short} in the import"):
        replica.ingest(twin, keys[twin.author])  # the single-event path keeps its behaviour
    assert len(replica.incidents()) == 3
    _assert_matches_file(replica)
    replica.close()


def test_a_bad_signature_refuses_that_event_and_what_follows_in_its_feed_only(tmp_path: Path) -> None:
    kit, events, keys = _source(tmp_path)
    replica = _replica(kit, tmp_path)
    expert = kit.members["E2"].key_id
    bad_at = next(i for i, ev in enumerate(events) if ev.author == expert and ev.type == "score.set")
    bad = events[bad_at]
    forged = from_stored(bad.raw, bad.id, bad.alg, bytes(64))
    batch = [forged if i == bad_at else ev for i, ev in enumerate(events)]
    outcomes = replica.ingest_many([(ev, keys[ev.author]) for ev in batch])
    assert isinstance(outcomes[bad_at], AppendError) and str(outcomes[bad_at]) == f"event {bad.short}: bad signature"
    later = [i for i, ev in enumerate(events) if ev.author == expert and i > bad_at]
    assert later and all(isinstance(outcomes[i], AppendError) and "expected seq" in str(outcomes[i]) for i in later)
    assert all(outcomes[i] == "ingested" for i, ev in enumerate(events) if ev.author != expert or i < bad_at)
    assert replica.head(expert) == (bad.seq - 1, bad.prev)
    assert replica.incidents() == []
    # the same event with its real signature, then the rest of the feed: all in
    assert replica.ingest_many([(events[i], keys[expert]) for i in [bad_at, *later]]) == ["ingested"] * (1 + len(later))
    assert _dump(replica.path) == _dump(kit.path)
    _assert_matches_file(replica)
    replica.close()


def test_events_out_of_fold_order_refold_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kit, events, keys = _source(tmp_path)
    replica = _replica(kit, tmp_path)
    expert = kit.members["E2"].key_id
    replica.ingest_many([(ev, keys[ev.author]) for ev in events if ev.author != expert])
    rebuilds: list[Any] = []
    rebuild = projections.rebuild

    def counted(db: Any, state: Any) -> None:
        rebuilds.append(state)
        rebuild(db, state)

    monkeypatch.setattr(projections, "rebuild", counted)
    sql = _statements(replica)
    late = [ev for ev in events if ev.author == expert]  # they sort before what is already folded
    assert replica.ingest_many([(ev, keys[expert]) for ev in late]) == ["ingested"] * len(late)
    assert len(rebuilds) == 1 and sql.count("COMMIT") == 1
    assert _dump(replica.path) == _dump(kit.path)
    _assert_matches_file(replica)
    replica.close()


def test_a_failed_transaction_rolls_back_and_restores_the_store(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    kit, events, keys = _source(tmp_path)
    replica = _replica(kit, tmp_path)
    third = len(events) // 3
    replica.ingest_many([(ev, keys[ev.author]) for ev in events[:third]])
    write = projections.write
    fail_at = {"call": 2}  # the second projection write from now: the second transaction of the batch

    def failing(db: Any, state: Any, tags: Any) -> None:
        fail_at["call"] -= 1
        if fail_at["call"] == 0:  # after the transaction inserted its event and outbox rows
            raise OSError("disk full")
        write(db, state, tags)

    monkeypatch.setattr(projections, "write", failing)
    monkeypatch.setattr(LedgerStore, "ingest_batch", 5)
    with pytest.raises(OSError, match="disk full"):
        replica.ingest_many([(ev, keys[ev.author]) for ev in events[third:]])
    done = events[:third + 5]  # the first transaction (five events) stays committed, the second rolled back
    assert [ev.id for ev in replica.events()] == [ev.id for ev in done] and replica.count() == len(done)
    assert _outbox(replica.path) == [ev.id for ev in done] and replica.state.applied == len(done)
    _assert_matches_file(replica)

    # a batch that fails in its only transaction leaves the store exactly as it was
    def snapshot() -> tuple[Any, ...]:
        return (replica.events(), replica.frontier(), dict(replica._times), replica._pos, dict(replica._ids),
                replica.count(), _dump(replica.path), _outbox(replica.path))

    before, folded = snapshot(), copy.deepcopy(replica.state)  # the fold is applied in place: keep a copy
    fail_at["call"] = 1
    with pytest.raises(OSError, match="disk full"):
        replica.ingest_many([(ev, keys[ev.author]) for ev in events[third + 5:third + 8]])
    assert snapshot() == before and replica.state == folded
    _assert_matches_file(replica)
    monkeypatch.setattr(projections, "write", write)
    outcomes = replica.ingest_many([(ev, keys[ev.author]) for ev in events])
    assert outcomes == ["duplicate"] * len(done) + ["ingested"] * (len(events) - len(done))
    assert _dump(replica.path) == _dump(kit.path)
    _assert_matches_file(replica)
    replica.close()
