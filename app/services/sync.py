"""Sync use cases for the GUI and the command line (Qt-free): status of a session file's delivery to the
center, and a background worker to start and stop.

``sync_status(path)`` → :class:`~app.sync.worker.SyncStatus` (``last_sync``, ``pending`` /
``pending_events`` / ``pending_archives``, ``last_error``, ``next_try_in``): cheap, read-only, callable from a
GUI timer. ``start_sync(...)`` runs a :class:`~app.sync.worker.SyncWorker` thread whose ``on_status``
callback the GUI can bridge to a Qt signal.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.crypto.keys import SigningKey, VerifyingKey
from app.errors import EvalRoomError
from app.settings import Settings
from app.store.ledger_store import LedgerStore
from app.sync.client import CenterClient
from app.sync.media import MediaFetcher
from app.sync.puller import Puller
from app.sync.replica import PullResult, ingest_events
from app.sync.worker import Backoff, SyncStatus, SyncWorker, read_status


class SyncInputError(EvalRoomError):
    pass


def _session_file(path: Path) -> Path:
    path = Path(path)
    if path.is_dir():
        path = path / "session.sqlite"
    if not path.is_file():
        raise SyncInputError(f"{path}: no such session file")
    return path


def sync_status(path: Path) -> SyncStatus:
    """Delivery status of a session file (or a folder holding ``session.sqlite``)."""
    session_file = _session_file(path)
    LedgerStore.open(session_file).close()  # migrates a file made before the outbox
    return read_status(session_file)


def start_sync(path: Path, center: str, room: str, key: SigningKey, session_id: str,
               center_key: VerifyingKey | None = None, cafile: str | None = None,
               on_status: Callable[[SyncStatus], None] | None = None, idle: float = 2.0,
               backoff: Backoff | None = None, cert: tuple[str, str] | None = None,
               timeout: float = 30.0) -> SyncWorker:
    """Start delivering a session file to the center in a background thread; ``worker.stop()`` ends it.
    ``cert`` = (certificate, key) PEM files for a center that requires mutual TLS."""
    client = CenterClient(center, room, key, center_key=center_key, verify=cafile or True, cert=cert, timeout=timeout)
    worker = SyncWorker(_session_file(path), client, session_id, backoff, on_status)
    worker.start(idle)
    return worker


def center_of(chosen: Settings) -> tuple[str | None, str | None]:
    """The center URL and CA file of a room's settings ((None, None): no center configured)."""
    return chosen.center_url or None, str(chosen.center_cafile) if chosen.center_cafile else None


class ConsoleSync:
    """The room console's two-way exchange of its open session with the configured center, for the GUI.

    :meth:`poll` runs on the console's database thread (never the GUI thread): it starts a background
    :class:`SyncWorker` for the session file once a center is configured (restarting it when the session or
    the center changes), and a :class:`~app.sync.puller.Puller` that fetches what the remote venues wrote
    there; what was fetched is ingested here, on the thread that owns the store, so remote check-ins,
    messages, scores and signatures appear on the main console. Returns the status read from the outbox
    (:func:`read_status`) with the last pull's error, or None when no center is configured. :meth:`stop` ends
    both threads (the console closes).
    """

    def __init__(self, configured: Callable[[], tuple[str | None, str | None]] | None = None,
                 idle: float = 5.0, backoff: Backoff | None = None) -> None:
        self.configured, self.idle, self.backoff = configured, idle, backoff
        self.worker: SyncWorker | None = None
        self.puller: Puller | None = None
        self.media: MediaFetcher | None = None  # the signatures members' own PCs made, for the session folder
        self.pulled = PullResult()
        self._target: tuple[Path, str, str | None] | None = None

    def poll(self, room: Any) -> SyncStatus | None:
        """``room``'s exchange, with the center of its settings (or of ``configured``, when given)."""
        target = self.configured() if self.configured is not None else center_of(room.settings)
        return self.poll_store(room.session.store if room.session is not None else None, room.room_id, room.key,
                               target)

    def poll_store(self, store: LedgerStore | None, room_id: str, key: SigningKey,
                   target: tuple[str | None, str | None] | None = None) -> SyncStatus | None:
        """:meth:`poll` for a session file open in ``store`` (owned by the calling thread); ``target``: the
        center URL and CA file (None: ``configured``'s)."""
        if target is None:
            assert self.configured is not None, "no center given: pass target or configured"
            target = self.configured()
        center, cafile = target
        if not center:
            self.stop()
            return None
        if store is None:
            return SyncStatus()
        path = Path(store.path)
        if self.worker is None or self._target != (path, center, cafile):
            self.stop()
            self.worker = start_sync(path, center, room_id, key, store.session_id,
                                     cafile=cafile, idle=self.idle, backoff=self.backoff, timeout=10.0)
            client = CenterClient(center, room_id, key, verify=cafile or True, timeout=10.0)
            self.puller = Puller(client, store.session_id, interval=self.idle, backoff=self.backoff)
            self.puller.start()
            self.media = MediaFetcher(CenterClient(center, room_id, key, verify=cafile or True, timeout=10.0),
                                      store.session_id, interval=self.idle)
            self.media.start()
            self._target = (path, center, cafile)
        assert self.puller is not None
        events = self.puller.take()
        batch = PullResult()
        if events:
            ingest_events(store, events, batch, deliver=False)  # from the center the outbox delivers to
            self.pulled.ingested += batch.ingested
            self.pulled.duplicates += batch.duplicates
            self.pulled.problems = batch.problems  # the last pull's: a refused event is fetched again each time
        self.puller.offer(store.frontier())
        if self.media is not None:
            self.media.offer(path.parent / "media", store.state)
        status = self.worker.status()
        status.pulled = batch.ingested
        if not status.last_error:
            status.last_error = self.puller.last_error or (
                f"来自中心的 {len(self.pulled.problems)} 个事件未通过校验 / {len(self.pulled.problems)} events "
                f"from the center do not verify: {self.pulled.problems[0]}" if self.pulled.problems else None)
        return status

    def stop(self) -> None:
        if self.media is not None:
            self.media.stop(timeout=2.0)
            self.media = None
        if self.puller is not None:
            self.puller.stop(timeout=2.0)
            self.puller = None
        if self.worker is not None:
            # a request in flight is abandoned after 2 s (the thread is a daemon; the outbox is transactional)
            self.worker.stop(timeout=2.0)
            if not self.worker.running:
                self.worker.client.close()
            self.worker, self._target = None, None


__all__ = ["SyncStatus", "SyncWorker", "sync_status", "start_sync", "SyncInputError", "ConsoleSync",
           "center_of"]
