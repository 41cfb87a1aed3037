"""A node with its own copy of a session, synced with a room hub (or the center): an expert workstation on its
own PC, or a remote venue's console (DESIGN.md §2 Sync).

Offline first: the node's own events (an expert's scores) are appended to its local session file, with their
outbox row in the same transaction, and never wait for the network. :meth:`SyncNode.sync_once` is one
exchange: **pull** — the hub's events the node lacks, by frontier, each verified on receipt by
:meth:`app.store.ledger_store.LedgerStore.ingest_many` (id, signature with the key the session declared, chain; a
fork becomes an incident; an event stamped ahead of this PC's clock is refused, and recorded in the node's own
feed when its key is an author of the session: ``clock.refused``, :mod:`app.ledger.clock`) through
:mod:`app.sync.replica`; then **push** — the outbox drained by
:class:`~app.sync.worker.SyncWorker` and acked with the hub's signed receipt. The merge is a set union, so
repeating an exchange, or cutting it half-way, changes nothing.

A workstation signs its requests with the expert's check-in key (:func:`app.sync.client.member_client`): the
hub accepts them for the session whose ``checkin`` event declared that key, and for nothing else.

Threads: the store belongs to one thread at a time. :meth:`start` runs exchanges in a background thread and
takes :attr:`SyncNode.lock` only to ingest (never while on the network); whoever appends to the same store
from another thread holds the same lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.store.ledger_store import LedgerStore, StoreError
from app.sync import replica
from app.sync.client import CenterClient, CenterRefused, SyncError
from app.sync.worker import Backoff, SyncStatus, SyncWorker


@dataclass
class NodeResult:
    pulled: int = 0
    duplicates: int = 0
    pushed: int = 0
    acked: int = 0
    problems: list[str] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.problems


class SyncNode:
    def __init__(self, store: LedgerStore, client: CenterClient, backoff: Backoff | None = None,
                 on_status: Callable[[SyncStatus], None] | None = None) -> None:
        self.store = store
        self.client = client
        if store.witness is None:  # events refused on receipt are recorded in this node's own feed (its client's key)
            store.witness = client.key
        self.lock = threading.RLock()
        self.worker = SyncWorker(store.path, client, store.session_id, backoff or Backoff(base=1.0, cap=30.0))
        self.on_status = on_status
        self.last: NodeResult | None = None
        self.received = 0  # events ingested from the hub since this node opened (a GUI redraws when it grows)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def join(cls, client: CenterClient, session: str, path: Path, backoff: Backoff | None = None) -> SyncNode:
        """The node's copy of ``session`` in ``path``: opened when it exists (it must hold that session), else
        created from the hub's events (which needs the hub reachable once)."""
        path = Path(path)
        if path.exists():
            store = LedgerStore.open(path)
            if store.session_id != session:
                store.close()
                raise StoreError(f"{path}: holds session {store.session_id}, not {session}")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            store, result = replica.join_session(client, session, path)
            if result.problems:
                store.close()
                path.unlink(missing_ok=True)
                raise StoreError(f"{session}: the hub's copy does not verify: {'; '.join(result.problems[:3])}")
        return cls(store, client, backoff)

    def close(self) -> None:
        self.stop()
        self.client.close()
        self.store.close()

    # -- one exchange ---------------------------------------------------------------------------
    def sync_once(self) -> NodeResult:
        """Pull, then push; never raises for network or hub errors (they are in ``error``)."""
        result = NodeResult()
        try:
            with self.lock:
                frontier = self.store.frontier()
            self.client.pending = self.worker.status().pending_events  # shown on the console's progress page
            events = replica.fetch_events(self.client, self.store.session_id, frontier)
        except CenterRefused as exc:
            if exc.status != 404:  # 404: the hub has not seen this session yet (its own console pushes it first)
                result.error = str(exc)
            events = []
        except SyncError as exc:
            result.error = str(exc)
            events = None
        if events is not None and result.error is None:
            pulled = replica.PullResult()
            # locked batch by batch; no outbox rows: they came from the hub the outbox delivers to
            replica.ingest_events(self.store, events, pulled, lock=self.lock, deliver=False)
            result.pulled, result.duplicates = pulled.ingested, pulled.duplicates
            self.received += pulled.ingested
            result.problems = list(pulled.problems)
            run = self.worker.run_once(force=True)  # the hub answered just now: send everything pending
            result.pushed, result.acked, result.error = run.sent, run.acked, run.error
            result.problems += run.rejected
            if run.forked:
                self._fetch_forks(run.forked, result)
        self.last = result
        if self.on_status:
            self.on_status(self.status())
        return result

    def _fetch_forks(self, forked: list[str], result: NodeResult) -> None:
        """The hub holds another event where this node's own one sits in its feed (the same key used on two
        PCs): fetch the hub's version, so this node records the fork as an incident too (the pull by frontier
        never sends an event at a seq this node already holds)."""
        wanted = set(forked)
        with self.lock:
            frontier = self.store.frontier()
            for ev in self.store.events():
                if ev.id in wanted:
                    frontier[ev.author] = min(frontier.get(ev.author, ev.seq), ev.seq - 1)
        try:
            events = replica.fetch_events(self.client, self.store.session_id, frontier)
        except SyncError as exc:
            result.problems.append(f"the hub's side of a fork could not be fetched: {exc}")
            return
        pulled = replica.PullResult()
        # the fork is recorded as an incident
        replica.ingest_events(self.store, events, pulled, lock=self.lock, deliver=False)
        result.pulled += pulled.ingested
        result.problems += [p for p in pulled.problems if p not in result.problems]

    def status(self) -> SyncStatus:
        status = self.worker.status()
        if self.last is not None and self.last.error:
            status.last_error = self.last.error
        return status

    # -- background -----------------------------------------------------------------------------
    def start(self, interval: float = 2.0) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, args=(interval,), name="evalroom-node-sync", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _loop(self, interval: float) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                result = self.sync_once()
            except Exception as exc:  # a store error (the disk, the file): reported, and tried again later
                result = NodeResult(error=f"{exc.__class__.__name__}: {exc}")
                self.last = result
            failures = failures + 1 if result.error else 0
            self._stop.wait(self.worker.backoff.delay(failures - 1) if failures else interval)


__all__ = ["SyncNode", "NodeResult"]
