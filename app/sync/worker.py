"""The sync worker: drains a session file's outbox to the center, with exponential back-off.

At-least-once delivery: a row is acked only with the center's signed receipt naming what it holds; the
center's ingest is a set union, so a resend after a crash or a lost answer changes nothing there. Back-off
per row (``attempts``, ``next_try_at`` in the outbox, so it survives a restart): ``base * 2**attempts``
capped at ``cap``, with ±20 % jitter.
"""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.ledger.events import from_stored
from app.store import outbox
from app.sync.client import CenterClient, CenterRefused, SyncError, Unreachable

BATCH = 500


@dataclass
class SyncStatus:
    """What the GUI shows (Qt-free): last successful exchange, what is pending, the last error."""

    last_sync: str | None = None
    pending_events: int = 0
    pending_archives: int = 0
    pending_media: int = 0  # a member PC's signature images and strokes
    last_error: str | None = None
    next_try_in: float | None = None
    receipts: int = 0
    pulled: int = 0  # events the last exchange brought in (a console then redraws)

    @property
    def pending(self) -> int:
        return self.pending_events + self.pending_archives + self.pending_media

    def to_json(self) -> dict[str, Any]:
        return {"last_sync": self.last_sync, "pending_events": self.pending_events,
                "pending_archives": self.pending_archives, "pending_media": self.pending_media,
                "last_error": self.last_error, "next_try_in": self.next_try_in, "receipts": self.receipts}


@dataclass
class Backoff:
    base: float = 1.0
    cap: float = 300.0
    jitter: float = 0.2
    rng: random.Random = field(default_factory=random.Random)

    def delay(self, attempts: int) -> float:
        raw = min(self.cap, self.base * (2.0 ** min(attempts, 30)))
        return raw * (1 + self.jitter * (2 * self.rng.random() - 1))


@dataclass
class RunResult:
    sent: int = 0
    acked: int = 0
    rejected: list[str] = field(default_factory=list)
    archives: list[dict[str, Any]] = field(default_factory=list)
    events_receipt: dict[str, Any] | None = None
    error: str | None = None
    media: int = 0  # media delivered
    forked: list[str] = field(default_factory=list)  # ids of events the center refused as a fork of their feed


class SyncWorker:
    def __init__(self, session_file: Path, client: CenterClient, session_id: str, backoff: Backoff | None = None,
                 on_status: Callable[[SyncStatus], None] | None = None) -> None:
        self.path = Path(session_file)
        self.client = client
        self.session_id = session_id
        self.backoff = backoff or Backoff()
        self.on_status = on_status
        self.last_sync: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- one pass -------------------------------------------------------------------------------
    def run_once(self, force: bool = False) -> RunResult:
        """Send what is due (everything with ``force``); never raises for network or center errors."""
        result = RunResult()
        db = outbox.connect(self.path)
        try:
            self._events(db, force, result)
            if result.error is None:
                self._media(db, force, result)
            if result.error is None:
                self._archives(db, force, result)
            else:  # not tried this time: the media and archives back off with the events
                for kind in ("media", "archive"):
                    for row in outbox.pending(db, kind, due_only=not force):
                        self._fail(db, [row.id], result.error, row.attempts)
        finally:
            db.close()
        if result.error is None and (result.acked or result.sent == 0):
            from app.ledger.events import utc_stamp

            self.last_sync = utc_stamp()
        if self.on_status:
            self.on_status(self.status())
        return result

    def _events(self, db: sqlite3.Connection, force: bool, result: RunResult) -> None:
        rows = outbox.pending(db, "event", due_only=not force)
        for start in range(0, len(rows), BATCH):
            batch = rows[start:start + BATCH]
            by_id = {row.ref: row for row in batch}
            marks = ",".join("?" * len(batch))
            stored = db.execute(f"SELECT raw, id, alg, sig FROM events WHERE id IN ({marks}) ORDER BY pos",
                                [row.ref for row in batch]).fetchall()
            records = [from_stored(bytes(raw), event_id, alg, bytes(sig)).to_record()
                       for raw, event_id, alg, sig in stored]
            result.sent += len(records)
            try:
                answer = self.client.push_events(self.session_id, records)
            except (Unreachable, CenterRefused, SyncError) as exc:
                result.error = str(exc)
                self._fail(db, [row.id for row in batch], str(exc), max(row.attempts for row in batch))
                return
            held = set(answer["held"])
            outbox.ack(db, [by_id[i].id for i in held if i in by_id], answer["receipt"])
            result.acked += len(held & set(by_id))
            result.events_receipt = answer["receipt"]
            bad = {r["id"]: r["reason"] for r in answer["rejected"] if r.get("id") in by_id}
            for event_id, reason in bad.items():
                result.rejected.append(f"{event_id[:8]}: {reason}")
                if str(reason).startswith("fork:"):
                    result.forked.append(event_id)
                self._fail(db, [by_id[event_id].id], reason, by_id[event_id].attempts)

    def reconcile(self) -> RunResult:
        """Frontier exchange: send every local event the center lacks, whatever the outbox says (a center
        restored from an older backup, a file copied from another node). Acks what the center then holds."""
        result = RunResult()
        try:
            frontier = self.client.frontier(self.session_id)
        except SyncError as exc:
            result.error = str(exc)
            return result
        db = outbox.connect(self.path)
        try:
            rows = db.execute("SELECT raw, id, alg, sig, author, seq FROM events ORDER BY pos").fetchall()
            missing = [from_stored(bytes(raw), i, alg, bytes(sig)).to_record() for raw, i, alg, sig, author, seq in rows
                       if seq > frontier.get(author, 0)]
            ids = dict(db.execute("SELECT ref, id FROM outbox WHERE kind = 'event'").fetchall())
            for start in range(0, len(missing), BATCH):
                batch = missing[start:start + BATCH]
                result.sent += len(batch)
                try:
                    answer = self.client.push_events(self.session_id, batch)
                except SyncError as exc:
                    result.error = str(exc)
                    return result
                outbox.ack(db, [ids[i] for i in answer["held"] if i in ids], answer["receipt"])
                result.acked += len(answer["held"])
                result.events_receipt = answer["receipt"]
                result.rejected.extend(f"{r.get('id', '?')[:8]}: {r['reason']}" for r in answer["rejected"])
        finally:
            db.close()
        return result

    def _media(self, db: sqlite3.Connection, force: bool, result: RunResult) -> None:
        import hashlib

        for row in outbox.pending(db, "media", due_only=not force):
            try:
                data = outbox.archive_path(self.path, row.ref).read_bytes()
                receipt = self.client.put_media(self.session_id, hashlib.sha256(data).hexdigest(), data)
            except (Unreachable, CenterRefused, SyncError, OSError) as exc:
                result.error = str(exc)
                self._fail(db, [row.id], str(exc), row.attempts)
                if isinstance(exc, Unreachable):
                    return
                continue
            outbox.ack(db, [row.id], receipt)
            result.media += 1

    def _archives(self, db: sqlite3.Connection, force: bool, result: RunResult) -> None:
        for row in outbox.pending(db, "archive", due_only=not force):
            try:
                receipt = self.client.upload_archive(outbox.archive_path(self.path, row.ref), self.session_id)
            except (Unreachable, CenterRefused, SyncError, OSError, ValueError) as exc:
                result.error = str(exc)
                self._fail(db, [row.id], str(exc), row.attempts)
                if isinstance(exc, Unreachable):
                    return
                continue
            outbox.ack(db, [row.id], receipt)
            result.archives.append(receipt)

    def _fail(self, db: sqlite3.Connection, ids: list[int], error: str, attempts: int) -> None:
        outbox.failed(db, ids, error, time.time() + self.backoff.delay(attempts))

    # -- status ---------------------------------------------------------------------------------
    def status(self) -> SyncStatus:
        return read_status(self.path, self.last_sync)

    # -- background loop ------------------------------------------------------------------------
    def start(self, idle: float = 2.0) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, args=(idle,), name="evalroom-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        """The background thread is still alive (e.g. a request in flight outlived ``stop``'s wait)."""
        return self._thread is not None and self._thread.is_alive()

    def _loop(self, idle: float) -> None:
        while not self._stop.is_set():
            self.run_once()
            status = self.status()
            wait = idle if status.next_try_in is None else max(0.05,
                                                               min(idle if not status.pending else status.next_try_in,
                                                                   300))
            self._stop.wait(wait)


def read_status(session_file: Path, last_sync: str | None = None) -> SyncStatus:
    db = outbox.connect(Path(session_file))
    try:
        counts = outbox.counts(db)
        row = db.execute("SELECT MIN(next_try_at) FROM outbox WHERE acked_at IS NULL").fetchone()
        nxt = None if row is None or row[0] is None else max(0.0, row[0] - time.time())
        n_receipts = db.execute("SELECT COUNT(DISTINCT receipt) FROM outbox "
                                "WHERE receipt IS NOT NULL AND receipt NOT LIKE ?",
                                (outbox.POINTER + "%",)).fetchone()[0]
        return SyncStatus(last_sync=last_sync or outbox.last_ack(db), pending_events=counts.get("event", 0),
                          pending_archives=counts.get("archive", 0), pending_media=counts.get("media", 0),
                          last_error=outbox.last_error(db),
                          next_try_in=nxt, receipts=int(n_receipts))
    finally:
        db.close()
