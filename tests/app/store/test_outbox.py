"""The outbox (migration 0002): one row per event in the event's own transaction; status; back-off."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import ledgerkit as lk
from app.services.sync import SyncInputError, sync_status
from app.store import outbox, projections
from app.store.ledger_store import LedgerStore
from app.sync.worker import Backoff


def _outbox_refs(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT ref FROM outbox WHERE kind='event' ORDER BY id")]


def test_every_append_writes_its_outbox_row(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    kit.session.set_score(kit.members["E1"], "E1", "B1", "T1", "10")
    ids = [ev.id for ev in kit.events()]
    kit.session.close()
    assert _outbox_refs(kit.path) == ids
    status = sync_status(kit.path)
    assert status.pending_events == len(ids) and status.pending_archives == 0 and status.last_sync is None


def test_a_rolled_back_append_leaves_no_outbox_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kit = lk.start(tmp_path)
    before = _outbox_refs(kit.path)

    def broken(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(projections, "write", broken)
    with pytest.raises(RuntimeError):
        kit.session.set_score(kit.members["E1"], "E1", "B1", "T1", "10")
    monkeypatch.undo()
    assert _outbox_refs(kit.path) == before == [ev.id for ev in kit.events()]
    kit.session.set_score(kit.members["E1"], "E1", "B1", "T1", "10")  # and the store goes on
    assert len(_outbox_refs(kit.path)) == len(before) + 1
    kit.session.close()


def test_a_file_from_before_the_outbox_gets_every_event_pending(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    ids = [ev.id for ev in kit.events()]
    kit.session.close()
    with sqlite3.connect(kit.path) as conn:
        conn.execute("DROP TABLE outbox")
        conn.execute("UPDATE alembic_version SET version_num='0001'")
    LedgerStore.open(kit.path).close()
    assert _outbox_refs(kit.path) == ids


def test_ack_needs_a_receipt_and_keeps_everything(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    kit.session.close()
    db = outbox.connect(kit.path)
    try:
        rows = outbox.pending(db)
        outbox.failed(db, [rows[0].id], "center unreachable", 0)
        assert outbox.last_error(db) == "center unreachable"
        outbox.ack(db, [r.id for r in rows[:3]], {"receipt": {"kind": "events"}, "alg": "ed25519", "sig": "x"})
        assert len(outbox.pending(db)) == len(rows) - 3 and outbox.receipts(db)[0]["receipt"]["kind"] == "events"
        bag = tmp_path / "bag"
        assert outbox.enqueue_archive(db, bag) == outbox.enqueue_archive(db, bag)  # one row per folder
        assert outbox.counts(db) == {"event": len(rows) - 3, "archive": 1}
        assert db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == len(rows)  # nothing deleted
    finally:
        db.close()


def test_backoff_doubles_up_to_the_cap() -> None:
    backoff = Backoff(base=1, cap=60, jitter=0)
    assert [backoff.delay(n) for n in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    jittered = Backoff(base=10, cap=60, jitter=0.2)
    assert all(8 <= jittered.delay(0) <= 12 for _ in range(50))


def test_status_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SyncInputError):
        sync_status(tmp_path / "nope.sqlite")


def test_a_batch_receipt_is_stored_once(tmp_path: Path) -> None:
    kit = lk.start(tmp_path)
    kit.session.close()
    db = outbox.connect(kit.path)
    try:
        rows = outbox.pending(db)
        receipt = {"receipt": {"kind": "events", "events": ["x" * 64] * len(rows)}, "alg": "ed25519", "sig": "x"}
        outbox.ack(db, [r.id for r in rows[:2]],
                   {"receipt": {"kind": "events", "events": []}, "alg": "ed25519", "sig": "y"})
        outbox.ack(db, [r.id for r in rows], receipt)  # the first two were acked already: they keep their receipt
        stored = [r[0] for r in db.execute("SELECT receipt FROM outbox ORDER BY id")]
        assert sum(len(text) for text in stored) < 2 * len(json.dumps(receipt)) + 40 * len(rows)
        assert json.loads(stored[0])["sig"] == "y" and json.loads(stored[2])["sig"] == "x"
        assert all(text == f'{{"in": {rows[2].id}}}' for text in stored[3:])
        assert sorted(r["sig"] for r in outbox.receipts(db)) == ["x", "y"] and not outbox.pending(db)
    finally:
        db.close()
