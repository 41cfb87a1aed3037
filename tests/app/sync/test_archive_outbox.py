"""Archives in the outbox: building a session's archive queues it in that session file's outbox; the worker
uploads it later; the bag and the outbox row stay after the receipt (nothing local is deleted)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient

import centerkit as ck
from app.center import protocol
from app.center.app import create_app
from app.center.service import Center, Config
from app.crypto.keys import SigningKey
from app.store.ledger_store import LedgerStore
from app.sync.client import CenterClient
from app.sync.worker import Backoff, SyncWorker, read_status


def test_building_an_archive_queues_it_and_the_worker_uploads_it_later(tmp_path: Path,
                                                                        finished_room) -> None:  # noqa: ANN001
    room = finished_room(tmp_path, "room-a")
    db = room / "session.sqlite"
    assert read_status(db).pending_archives == 0
    bag = ck.build_real_archive(room)
    status = read_status(db)
    assert status.pending_archives == 1
    with sqlite3.connect(db) as conn:
        # moves with the folder
        assert conn.execute("SELECT ref, acked_at FROM outbox WHERE kind='archive'").fetchall() == [("archive", None)]

    key = SigningKey.load(room / "keys" / "room.p12", b"evalroom-demo")
    with LedgerStore.open(db) as store:
        session = store.session_id
    # The center is down: the archive stays queued, backing off, and nothing is deleted.
    with CenterClient(f"http://127.0.0.1:{ck.free_port()}", "room-a", key, timeout=2) as down:
        failed = SyncWorker(db, down, session, Backoff(base=60, jitter=0)).run_once(force=True)
    assert failed.error
    assert read_status(db).pending_archives == 1 and (bag / "tagmanifest-sha256.txt").is_file()

    center = Center(Config.default(tmp_path / "center"), key=SigningKey.generate())
    try:
        center.enroll("room-a", key.public)
        http = TestClient(create_app(center), base_url="http://testserver")
        with CenterClient("http://testserver", "room-a", key, http=http) as client:
            done = SyncWorker(db, client, session, Backoff()).run_once(force=True)
            assert done.error is None, done.error
            assert [r["receipt"]["archive"] for r in done.archives] == [protocol.archive_id(bag)]
            assert protocol.receipt_valid(done.archives[0], center.key.public)
        after = read_status(db)
        assert after.pending == 0 and after.last_error is None
        with sqlite3.connect(db) as conn:  # the row keeps the receipt; the bag is still there
            (receipt,) = conn.execute(
                "SELECT receipt FROM outbox WHERE kind='archive' AND acked_at IS NOT NULL").fetchone()
        assert protocol.archive_id(bag) in receipt
        assert (bag / "data").is_dir() and (bag / "tagmanifest-sha256.txt").is_file()
        assert center.overview()["archives"][0]["status"] == "verified"
    finally:
        center.close()
