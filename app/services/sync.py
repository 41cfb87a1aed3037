"""Sync use cases for the GUI and the command line (Qt-free): status of a session file's delivery to the
center, and a background worker to start and stop.

``sync_status(path)`` → :class:`~app.sync.worker.SyncStatus` (``last_sync``, ``pending`` /
``pending_events`` / ``pending_archives``, ``last_error``, ``next_try_in``): cheap, read-only, callable from a
GUI timer. ``start_sync(...)`` runs a :class:`~app.sync.worker.SyncWorker` thread whose ``on_status``
callback the GUI can bridge to a Qt signal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from app.crypto.keys import SigningKey, VerifyingKey
from app.sync.client import CenterClient
from app.sync.worker import Backoff, SyncStatus, SyncWorker, read_status


class SyncInputError(Exception):
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
    from app.store.ledger_store import LedgerStore

    session_file = _session_file(path)
    LedgerStore.open(session_file).close()  # migrates a file made before the outbox
    return read_status(session_file)


def start_sync(path: Path, center: str, room: str, key: SigningKey, session_id: str,
               center_key: VerifyingKey | None = None, cafile: str | None = None,
               on_status: Callable[[SyncStatus], None] | None = None, idle: float = 2.0,
               backoff: Backoff | None = None, cert: tuple[str, str] | None = None) -> SyncWorker:
    """Start delivering a session file to the center in a background thread; ``worker.stop()`` ends it.
    ``cert`` = (certificate, key) PEM files for a center that requires mutual TLS."""
    client = CenterClient(center, room, key, center_key=center_key, verify=cafile or True, cert=cert)
    worker = SyncWorker(_session_file(path), client, session_id, backoff, on_status)
    worker.start(idle)
    return worker


__all__ = ["SyncStatus", "SyncWorker", "sync_status", "start_sync", "SyncInputError"]
