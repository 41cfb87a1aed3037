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
from app.sync.background import Rounds
from app.sync.client import CenterClient, CenterRefused, SyncError
from app.sync.replica import fetch_events
from app.sync.worker import Backoff


class Puller(Rounds):
    """``client``: the room's own client of the center (the puller closes it); ``interval``: seconds between
    pulls while the center answers (back-off from ``backoff`` while it does not)."""

    def __init__(self, client: CenterClient, session: str, interval: float = 5.0,
                 backoff: Backoff | None = None) -> None:
        super().__init__(client, interval, backoff)
        self.session = session
        self.last_pull: str | None = None
        self._frontier: dict[str, int] | None = None
        self._ready: list[SignedEvent] = []
        self._guard = threading.Lock()

    def offer(self, frontier: dict[str, int]) -> None:
        """(owning thread) What the local file holds now; the next pull asks for what lies beyond it."""
        with self._guard:
            first = self._frontier is None
            self._frontier = dict(frontier)
        if first:
            self.wake()

    def take(self) -> list[SignedEvent]:
        """(owning thread) The events fetched since the last call, to ingest."""
        with self._guard:
            ready, self._ready = self._ready, []
        return ready

    def pull_once(self) -> int:
        """One request round (any thread but the owner's: it waits on the network); the number of events
        fetched, or -1 when nothing was offered yet. :class:`SyncError` when the center could not be asked
        (the reason also in ``last_error``)."""
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
            raise
        except SyncError as exc:
            self.last_error = str(exc)
            raise
        self.last_error = None
        self.last_pull = datetime.now(UTC).isoformat(timespec="seconds")
        if events:
            with self._guard:
                self._ready.extend(events)
        return len(events)

    thread_name = "evalroom-center-pull"

    def round(self) -> bool:
        try:
            self.pull_once()  # nothing offered yet (-1): waits for the owner's first frontier, which wakes it
        except SyncError:
            return False
        return True


__all__ = ["Puller"]
