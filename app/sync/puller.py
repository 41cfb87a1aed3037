"""Pulling a session's events from the center off the thread that owns the session file.

The main venue's console pushes its session to the center (:class:`~app.sync.worker.SyncWorker`) and must also
see what the remote venues wrote there (远程异地评标: their check-ins, messages, scores, signatures). The store
belongs to the console's database thread, so the exchange is split: a background thread asks the center for
the events beyond the frontier it was last :meth:`offered <Puller.offer>` (network only, never the store), and
the owning thread :meth:`takes <Puller.take>` what arrived and ingests it with
:func:`app.sync.replica.ingest_events` (each event verified; a fork becomes an incident). An event fetched
twice (the frontier moved while a request was out) is a duplicate the store ignores.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from app.ledger.events import SignedEvent
from app.sync.client import CenterClient, CenterRefused, SyncError
from app.sync.replica import fetch_events
from app.sync.worker import Backoff


class Puller:
    """``client``: the room's own client of the center (the puller closes it); ``interval``: seconds between
    pulls while the center answers (back-off from ``backoff`` while it does not)."""

    def __init__(self, client: CenterClient, session: str, interval: float = 5.0,
                 backoff: Backoff | None = None) -> None:
        self.client, self.session, self.interval = client, session, interval
        self.backoff = backoff or Backoff(base=1.0, cap=60.0)
        self.last_pull: str | None = None
        self.last_error: str | None = None
        self._frontier: dict[str, int] | None = None
        self._ready: list[SignedEvent] = []
        self._guard = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def offer(self, frontier: dict[str, int]) -> None:
        """(owning thread) What the local file holds now; the next pull asks for what lies beyond it."""
        with self._guard:
            first = self._frontier is None
            self._frontier = dict(frontier)
        if first:
            self._wake.set()

    def take(self) -> list[SignedEvent]:
        """(owning thread) The events fetched since the last call, to ingest."""
        with self._guard:
            ready, self._ready = self._ready, []
        return ready

    def pull_once(self) -> int:
        """One request round (any thread but the owner's: it waits on the network); the number of events
        fetched, or -1 when nothing was offered yet. Never raises for network or center errors."""
        with self._guard:
            frontier = None if self._frontier is None else dict(self._frontier)
        if frontier is None:
            return -1
        try:
            events = fetch_events(self.client, self.session, frontier)
        except CenterRefused as exc:
            if exc.status == 404:  # the center has not received the session yet: our push delivers it first
                self.last_error = None
                return 0
            self.last_error = str(exc)
            raise _Failed from exc
        except SyncError as exc:
            self.last_error = str(exc)
            raise _Failed from exc
        self.last_error = None
        self.last_pull = datetime.now(UTC).isoformat(timespec="seconds")
        if events:
            with self._guard:
                self._ready.extend(events)
        return len(events)

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="evalroom-center-pull", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """End the thread (a request in flight is abandoned after ``timeout``; nothing is stored by it)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if not self._thread.is_alive():
                self.client.close()
            self._thread = None

    def _loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                fetched = self.pull_once()
                failures = 0
            except _Failed:
                fetched, failures = 0, failures + 1
            if fetched < 0:  # nothing offered yet: wait for the owner's first frontier
                self._wake.wait(self.interval)
                self._wake.clear()
                continue
            self._stop.wait(self.backoff.delay(failures - 1) if failures else self.interval)


class _Failed(Exception):
    """A pull that did not reach the center (the reason is in ``last_error``)."""


__all__ = ["Puller"]
