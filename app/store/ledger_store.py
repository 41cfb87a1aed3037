"""The ledger of one session file: durable appends with their projections, reads, rebuild, incidents.

An append is one transaction: the event row, its outbox row (to deliver to the center, app/sync) and the
projection rows it changes; it returns after the
commit, which with WAL + synchronous=FULL means after the WAL was fsynced. The in-memory fold state is
kept in step, so a projection update costs one row, not a refold (a refold happens only when an event
arrives that sorts before the last one folded, e.g. a late sync).

The store checks the chain on append (seq = head + 1, prev = head id). Local appends come from the
session services, which sign them; events from elsewhere go through :meth:`ingest` / :meth:`ingest_many`,
which also check the id and signature and record a fork as an incident. ``ingest_many`` writes a batch in
transactions of up to :attr:`LedgerStore.ingest_batch` events: one fsync and one projection write for
thousands of events (a sync pull), while the write lock is still released between them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select

from app.crypto.keys import SigningKey, VerifyingKey
from app.errors import EvalRoomError
from app.ledger.clock import TOLERANCE, ahead, limit
from app.ledger.events import SignedEvent, from_stored, new_event, utc_stamp
from app.ledger.fold import Folder, Tag
from app.ledger.state import SessionState
from app.store import projections
from app.store.db import migrate, session_engine
from app.store.models import EventRow, IncidentRow, SessionRow


class StoreError(EvalRoomError):
    """A session file that cannot be used (missing, not a session, …): one line."""

    help_key = "store.help"


class AppendError(EvalRoomError):
    """An event that does not extend its author's feed (wrong seq or prev)."""


class ForkError(AppendError):
    """A second, different event for an existing (author, seq): recorded as an incident."""


class ClockAhead(AppendError):
    """An event stamped further ahead of this node's clock than :data:`app.ledger.clock.TOLERANCE`: refused and
    recorded as an incident (and in the witness's own feed, see :attr:`LedgerStore.witness`)."""


class ConcurrentAppend(AppendError):
    """Another connection appended to the session file after this store last read it, and an event of the
    append no longer extends its feed there (the same author wrote on elsewhere). Nothing was stored; the store
    has read the other writer's events, so signing again on the new head succeeds."""


IngestOutcome = str | AppendError
MAX_POS = "SELECT COALESCE(MAX(pos), 0) FROM events"
"""What :meth:`LedgerStore.ingest_many` did with one event: "ingested", "duplicate", or why it was refused."""


class LedgerStore:
    ingest_batch = 5000  # events a transaction at most in ingest_many: a local append never waits long for the lock
    # The key of this node's own feed (the console's room or venue key, a workstation's expert key): an event
    # refused for its time is recorded as a ``clock.refused`` event of that feed, which syncs on like any other.
    witness: SigningKey | None = None

    def __init__(self, path: Path, engine: Engine, conn: Connection, session: Any) -> None:
        self.path = path
        self._engine = engine
        self._conn = conn
        self.session_id = session.id
        self.room = session.room
        self.room_key = VerifyingKey(session.room_key_alg, session.room_key)
        # Appends run on the driver connection under this SQLAlchemy connection (see projections.py).
        self._db: sqlite3.Connection = conn.connection.dbapi_connection  # type: ignore[assignment]
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # this computer's clock: bounds event times
        self._events: list[SignedEvent] = []
        self._heads: dict[str, tuple[int, str]] = {}
        self._ids: dict[tuple[str, int], str] = {}  # (author, seq) -> id of every event: fork checks without a query
        self._times: dict[str, str] = {}
        self._pos = 0
        self._folder = Folder(self.room_key.key_id)
        for ev in self._read():
            self._track(ev)
        self._pos = int(self._conn.execute(select(func.coalesce(func.max(EventRow.pos), 0))).scalar_one())
        self._conn.commit()
        self._folder = self._refold()

    # -- opening ------------------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path, session: str, room: str, room_key: VerifyingKey) -> LedgerStore:
        """A new session file (the file must not exist)."""
        path = Path(path)
        if path.exists():
            raise StoreError(f"{path}: already exists")
        engine = session_engine(path)
        migrate(engine)
        with engine.begin() as conn:
            conn.execute(insert(SessionRow).values(id=session, room=room, room_key_alg=room_key.alg,
                                                   room_key=room_key.raw))
        return cls._connect(path, engine)

    @classmethod
    def open(cls, path: Path) -> LedgerStore:
        path = Path(path)
        if not path.is_file():
            raise StoreError(f"{path}: no such session file")
        with path.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                raise StoreError(f"{path}: not an SQLite session file")
        engine = session_engine(path)
        migrate(engine)
        return cls._connect(path, engine)

    @classmethod
    def _connect(cls, path: Path, engine: Engine) -> LedgerStore:
        conn = engine.connect()
        row = conn.execute(select(SessionRow.__table__)).first()
        conn.commit()
        if row is None:
            conn.close()
            engine.dispose()
            raise StoreError(f"{path}: holds no session")
        return cls(path, engine, conn, row)

    def close(self) -> None:
        self._conn.close()
        self._engine.dispose()

    def __enter__(self) -> LedgerStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------------------
    def _read(self) -> Iterator[SignedEvent]:
        rows = self._conn.execute(select(EventRow.raw, EventRow.id, EventRow.alg, EventRow.sig).order_by(EventRow.pos))
        events = [from_stored(raw, event_id, alg, sig) for raw, event_id, alg, sig in rows]
        self._conn.commit()
        return iter(events)

    def _track(self, ev: SignedEvent) -> None:
        self._events.append(ev)
        self._heads[ev.author] = (ev.seq, ev.id)
        self._ids[(ev.author, ev.seq)] = ev.id
        self._times[ev.author] = ev.time
        self._pos += 1

    def _refold(self, extra: Iterable[SignedEvent] = ()) -> Folder:
        """A new fold of every event (and ``extra``, not yet tracked), in fold order."""
        folder = Folder(self.room_key.key_id)
        for ev in sorted([*self._events, *extra], key=SignedEvent.order_key):
            folder.apply(ev)
        return folder

    @property
    def state(self) -> SessionState:
        return self._folder.state

    def events(self) -> list[SignedEvent]:
        """Every event, in the order they were appended."""
        return list(self._events)

    def head(self, author: str) -> tuple[int, str] | None:
        """(seq, id) of the author's last event."""
        return self._heads.get(author)

    def last_time(self, author: str) -> str:
        """The time of the author's last event ("" before the first): a feed's times never go back."""
        return self._times.get(author, "")

    def frontier(self) -> dict[str, int]:
        return {author: seq for author, (seq, _) in self._heads.items()}

    def incidents(self) -> list[Any]:
        rows = list(self._conn.execute(select(IncidentRow.__table__).order_by(IncidentRow.id)))
        self._conn.commit()
        return rows

    # -- writing ------------------------------------------------------------------------------
    def append(self, ev: SignedEvent) -> set[Tag]:
        """Append a signed event durably with its projections; return what it changed in the fold."""
        return self.append_many([ev])

    def append_many(self, events: list[SignedEvent]) -> set[Tag]:
        """Append several signed events (each extending its feed as extended by the ones before it) in one
        transaction: all are stored or none (e.g. an event and the checkpoint that covers it). An event stamped
        ahead of this node's clock is refused (:class:`ClockAhead`) and recorded as an incident."""
        heads: dict[str, tuple[int, str]] = {}
        now = self.clock()
        bound = limit(now)  # the latest time accepted: one stamp for the batch (ahead() says why, when it is passed)
        for ev in events:
            self._check_extends(ev, heads.get(ev.author) or self._heads.get(ev.author))
            heads[ev.author] = (ev.seq, ev.id)
            problem = ahead(ev.time, now, "this computer") if ev.time > bound else None
            if problem:
                error = ClockAhead(f"event {ev.short} ({self.state.label(ev.author)} seq {ev.seq}): {problem}")
                self._clock_incidents([(ev, str(error))], now)
                raise error
        return self._write(events)

    def _clock_incidents(self, refused: list[tuple[SignedEvent, str]], now: datetime) -> None:
        """Record events refused for their time: an incident row each (once per event), and a ``clock.refused``
        event in the witness's feed for each new one when the witness is an author of the session."""
        query = select(IncidentRow.event_id).where(IncidentRow.kind == "clock")
        known = {row[0] for row in self._conn.execute(query)}
        self._conn.commit()
        fresh = [(ev, detail) for ev, detail in {ev.id: (ev, d) for ev, d in refused}.values() if ev.id not in known]
        if not fresh:
            return
        with self._conn.begin():
            self._conn.execute(insert(IncidentRow), [
                {"kind": "clock", "author": ev.author, "seq": ev.seq, "event_id": ev.id, "detail": detail,
                 "record": ev.to_line()} for ev, detail in fresh])
        key = self.witness
        if key is None or key.key_id not in self.state.authors or self.state.stage == "archived":
            return  # the incident row is the record (no feed of this node's own in the session)
        stamp = utc_stamp(now)
        if self.last_time(key.key_id) > limit(now):
            return  # the witness's own feed is ahead: nothing it writes would be accepted
        events = []
        head = self._heads.get(key.key_id)
        for ev, _ in fresh:
            seq, prev = (head[0] + 1, head[1]) if head else (1, None)
            body = {"author": ev.author, "seq": ev.seq, "event": ev.id, "type": ev.type, "time": ev.time,
                    "received_at": stamp, "tolerance_seconds": int(TOLERANCE.total_seconds())}
            time = max(stamp, self.last_time(key.key_id))
            note = new_event(key, self.session_id, seq, prev, time, "clock.refused", body)
            events.append(note)
            head = (note.seq, note.id)
        self._write(events)

    def _check_extends(self, ev: SignedEvent, head: tuple[int, str] | None) -> None:
        """Raise unless ``ev`` is the next event of its author's feed (``head``) in this session."""
        seq, prev = (head[0] + 1, head[1]) if head else (1, None)
        if ev.seq != seq or ev.prev != prev:
            if head and ev.seq <= head[0]:
                raise ForkError(f"event {ev.short}: {ev.author[:8]} already has seq {ev.seq}")
            raise AppendError(f"event {ev.short}: expected seq {seq} after {prev and prev[:8]}, got seq {ev.seq}")
        if ev.session != self.session_id:
            raise AppendError(f"event {ev.short} belongs to session {ev.session!r}, not {self.session_id!r}")

    def _write(self, events: list[SignedEvent], deliver: bool = True) -> set[Tag]:
        """One transaction: the events (already checked, in this order), their outbox rows (``deliver``; events
        taken in from the very node the outbox delivers to get none), the projections.

        Events in fold order after the last one folded extend the fold and write the rows they changed;
        otherwise the session is refolded and every projection rewritten. On failure the transaction rolls
        back and the in-memory state is as before (the events are tracked only after the commit).
        """
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            # the next pos from the file, under its write lock: another connection (a second store on this file,
            # another process) may have appended since this store last looked; the events it wrote are read
            # here, in this transaction, and the batch is checked again against them
            top = int(db.execute(MAX_POS).fetchone()[0])
            caught_up = top != self._pos
            if caught_up:
                events = self._catch_up(top, events)
            if not events:  # every one of them was stored by the other writer: nothing to do
                db.execute("COMMIT")
                return set()
            keys = [ev.order_key() for ev in events]
            last = self.state.last_key
            # after another writer's events every projection is written again (that writer's fold did not know ours)
            in_order = (not caught_up and (last is None or keys[0] > last)
                        and all(a < b for a, b in pairwise(keys)))
            pos = self._pos
            db.executemany(projections.INSERT_EVENT, [{
                "pos": pos + i, "id": ev.id, "author": ev.author, "seq": ev.seq, "prev": ev.prev,
                "time": ev.time, "type": ev.type, "raw": ev.raw, "alg": ev.alg, "sig": ev.sig,
            } for i, ev in enumerate(events, 1)])
            if deliver:  # outbox rows (sync)
                db.executemany(projections.INSERT_OUTBOX_EVENT, [{"id": ev.id} for ev in events])
            if in_order:
                folder = self._folder
                tags: set[Tag] = set()
                for ev in events:
                    tags |= folder.apply(ev)
                projections.write(db, folder.state, tags)  # each tag rewrites its rows from the final state
            else:
                folder = self._refold(events)
                tags = set(projections.all_tags(folder.state))
                projections.rebuild(db, folder.state)
            db.execute("COMMIT")  # returns once the WAL is fsynced (synchronous=FULL)
        except BaseException:
            if db.in_transaction:
                db.rollback()
            self._folder = self._refold()  # the transaction rolled back: forget what was folded
            raise
        for ev in events:
            self._track(ev)
        self._folder = folder
        return tags

    def _catch_up(self, top: int, events: list[SignedEvent]) -> list[SignedEvent]:
        """(inside :meth:`_write`'s transaction) Track the events another writer appended to the file after
        this store's last one (up to ``top``) and refold; return the batch without the events now stored.
        What no longer extends its feed is refused (:class:`ConcurrentAppend`; the transaction rolls back, this
        store then knows the file as it is, and the author signs again on the new head)."""
        rows = self._db.execute("SELECT raw, id, alg, sig FROM events WHERE pos > ? AND pos <= ? ORDER BY pos",
                                (self._pos, top)).fetchall()
        for raw, event_id, alg, sig in rows:
            self._track(from_stored(bytes(raw), event_id, alg, bytes(sig)))
        self._pos = top
        self._folder = self._refold()
        remaining = [ev for ev in events if self._ids.get((ev.author, ev.seq)) != ev.id]
        heads: dict[str, tuple[int, str]] = {}
        for ev in remaining:
            try:
                self._check_extends(ev, heads.get(ev.author) or self._heads.get(ev.author))
            except AppendError as exc:
                raise ConcurrentAppend(f"{self.path.name} was appended to by another writer ({len(rows)} "
                                       f"event(s)); {exc}") from exc
            heads[ev.author] = (ev.seq, ev.id)
        return remaining

    def refresh(self) -> bool:
        """Read what another connection appended to the file since this store last looked (a second store on
        the same file, another process); True if there was anything. Appends do this themselves, under the
        file's write lock."""
        top = int(self._db.execute(MAX_POS).fetchone()[0])  # one statement: no transaction to open or commit
        if top == self._pos:
            return False
        self._catch_up(top, [])
        return True

    def ingest(self, ev: SignedEvent, key: VerifyingKey) -> bool:
        """Append an event received from elsewhere (import, sync): id, signature, then chain.

        Returns False when the very same event is already here (set union: idempotent). A different
        event at an existing (author, seq) is a fork: it is recorded in ``incidents`` and refused.
        """
        outcome = self.ingest_many([(ev, key)])[0]
        if isinstance(outcome, AppendError):
            raise outcome
        return outcome == "ingested"

    def ingest_many(self, items: Iterable[tuple[SignedEvent, VerifyingKey]],
                    deliver: bool = True) -> list[IngestOutcome]:
        """:meth:`ingest` for many events, checked in the order given (pass them in fold order). ``deliver``: give
        them outbox rows (False when they come from the node this file's outbox delivers to: it holds them).

        One outcome an event: "ingested", "duplicate", or the :class:`AppendError` / :class:`ForkError` that
        refused it (a refused event does not stop the others; an event that needs a refused one is refused
        in turn, e.g. "expected seq"). Forks are recorded as incidents first, in their own transaction; the
        accepted events are then written in transactions of at most :attr:`ingest_batch` events. A database
        error raises: the failing transaction is rolled back, the ones before it stay committed.
        """
        outcomes: list[IngestOutcome] = []
        accepted: list[SignedEvent] = []
        given: list[tuple[int, VerifyingKey]] = []  # each accepted event's outcome index and key
        heads: dict[str, tuple[int, str]] = {}  # the feeds as extended by this batch so far
        ids: dict[tuple[str, int], str] = {}
        forks: list[tuple[SignedEvent, str]] = []
        now = self.clock()
        late: list[tuple[SignedEvent, str]] = []
        for ev, key in items:
            try:
                if ev.computed_id() != ev.id:
                    raise AppendError(f"event {ev.short}: content does not match its id")
                if ev.author != key.key_id or not ev.signature_valid(key):
                    raise AppendError(f"event {ev.short}: bad signature")
                existing = ids.get((ev.author, ev.seq)) or self._ids.get((ev.author, ev.seq))
                if existing == ev.id:
                    outcomes.append("duplicate")
                    continue
                if existing is not None:
                    detail = f"fork: {ev.author[:8]} seq {ev.seq} is {existing[:8]} here and {ev.short} in the import"
                    forks.append((ev, detail))
                    raise ForkError(detail)
                self._check_extends(ev, heads.get(ev.author) or self._heads.get(ev.author))
                problem = ahead(ev.time, now, "this computer")
                if problem:
                    detail = f"clock: event {ev.short} ({self.state.label(ev.author)} seq {ev.seq}) refused: {problem}"
                    late.append((ev, detail))
                    raise ClockAhead(detail)
            except AppendError as exc:
                outcomes.append(exc)
                continue
            heads[ev.author] = (ev.seq, ev.id)
            ids[(ev.author, ev.seq)] = ev.id
            accepted.append(ev)
            given.append((len(outcomes), key))
            outcomes.append("ingested")
        if forks:
            with self._conn.begin():
                self._conn.execute(insert(IncidentRow), [
                    {"kind": "fork", "author": ev.author, "seq": ev.seq, "event_id": ev.id, "detail": detail,
                     "record": ev.to_line()} for ev, detail in forks])
        size = max(1, self.ingest_batch)
        for start in range(0, len(accepted), size):
            try:
                self._write(accepted[start:start + size], deliver)
            except ConcurrentAppend:  # another writer wrote on one of these feeds: judge the rest against the file
                rest = list(zip(accepted[start:], given[start:], strict=True))
                again = self.ingest_many([(ev, key) for ev, (_, key) in rest])
                for (_, (index, _)), outcome in zip(rest, again, strict=True):
                    outcomes[index] = outcome
                break
        if late:  # after the accepted events: a witness event then extends the fold in order
            self._clock_incidents(late, now)
        return outcomes

    def rebuild(self) -> SessionState:
        """Recreate every projection from the events (one transaction)."""
        folder = self._refold()
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            projections.rebuild(db, folder.state)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.rollback()
            raise
        self._folder = folder
        return folder.state

    def count(self) -> int:
        value = self._conn.execute(select(func.count()).select_from(EventRow)).scalar_one()
        self._conn.commit()
        return int(value)


__all__ = ["LedgerStore", "IngestOutcome", "StoreError", "AppendError", "ForkError", "ClockAhead", "ConcurrentAppend",
           "read_file_events"]


def read_file_events(path: Path) -> tuple[list[tuple[SignedEvent, str]], list[str]]:
    """Every event of a session file for the verifier, read-only, with the problems met reading it.

    No migration and no fold here: the file is evidence, read as it is. ``PRAGMA quick_check`` runs
    first; each row's index columns are compared with its signed content; recorded incidents are
    reported as problems.
    """
    from app.ledger.events import EventError

    path = Path(path)
    problems: list[str] = []
    located: list[tuple[SignedEvent, str]] = []
    engine = session_engine(path)
    try:
        with engine.connect() as conn:
            check = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check")]
            if check != ["ok"]:
                problems.append(f"format: {path.name}: SQLite integrity: {'; '.join(map(str, check[:5]))}")
            tables = {row[0] for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
            if "events" not in tables:
                raise StoreError(f"{path}: not a session file (no events table)")
            rows = conn.execute(select(EventRow.pos, EventRow.id, EventRow.author, EventRow.seq, EventRow.prev,
                                       EventRow.type, EventRow.raw, EventRow.alg, EventRow.sig).order_by(EventRow.pos))
            for pos, event_id, author, seq, prev, type_, raw, alg, sig in rows:
                where = f"{path.name} event {pos}"
                try:
                    ev = from_stored(bytes(raw), event_id, alg, bytes(sig))
                except EventError as exc:
                    problems.append(f"format: {where}: {exc}")
                    continue
                if (ev.author, ev.seq, ev.prev, ev.type) != (author, seq, prev, type_):
                    problems.append(f"format: {where}: index columns differ from the signed event {ev.short}")
                located.append((ev, where))
            if "incidents" in tables:  # a fork is damage; an event refused for its time was never stored here
                for (detail,) in conn.execute(select(IncidentRow.detail).where(IncidentRow.kind == "fork")
                                              .order_by(IncidentRow.id)):
                    problems.append(f"{detail} (incident recorded in {path.name})")
    except StoreError:
        raise
    except Exception as exc:  # a damaged file: sqlite3.DatabaseError and friends
        raise StoreError(f"{path}: cannot be read as a session file ({exc.__class__.__name__}: {exc})") from exc
    finally:
        engine.dispose()
    return located, problems
