"""Center metadata in SQL through SQLAlchemy Core: SQLite by default, PostgreSQL by URL.

Everything a request needs lives here or in the blob store, never in process memory, so several center
processes can serve one database. Writes that race between processes meet a UNIQUE constraint and are
re-read (set union: a duplicate is not an error). On SQLite every transaction is ``BEGIN IMMEDIATE`` so
two processes queue on the write lock instead of failing on a lock upgrade.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)

metadata = MetaData()

rooms = Table(
    "rooms", metadata,
    Column("id", String(200), primary_key=True),
    Column("kind", String(20), nullable=False),  # room | observer (supervision platform: read only)
    Column("alg", String(20), nullable=False),
    Column("public_key", LargeBinary, nullable=False),
    Column("key_id", String(64), nullable=False),
    Column("enrolled_at", Integer, nullable=False),
)
nonces = Table(
    "nonces", metadata,
    Column("room", String(200), primary_key=True),
    Column("nonce", String(128), primary_key=True),
    Column("seen_at", Integer, nullable=False, index=True),
)
audit = Table(
    "audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("time", Integer, nullable=False),
    Column("room", String(200)),
    Column("method", String(10), nullable=False),
    Column("path", Text, nullable=False),
    Column("status", Integer, nullable=False),
    Column("reason", Text, nullable=False),
)
sessions = Table(
    "sessions", metadata,
    Column("id", String(200), primary_key=True),
    Column("room", String(200), nullable=False),
    Column("room_key_alg", String(20), nullable=False),
    Column("room_key", LargeBinary, nullable=False),
    Column("created_at", Integer, nullable=False),
)
session_keys = Table(
    "session_keys", metadata,
    Column("session", String(200), primary_key=True),
    Column("key_id", String(64), primary_key=True),
    Column("alg", String(20), nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("label", Text, nullable=False),
)
venues = Table(
    "venues", metadata,
    Column("session", String(200), primary_key=True),
    Column("room", String(200), primary_key=True),
    Column("role", String(20), nullable=False),  # main | remote
)
events = Table(
    "events", metadata,
    Column("pos", Integer, primary_key=True, autoincrement=True),
    Column("session", String(200), nullable=False),
    Column("author", String(64), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("id", String(64), nullable=False, unique=True),
    Column("prev", String(64)),
    Column("time", String(40), nullable=False),
    Column("type", String(100), nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("alg", String(20), nullable=False),
    Column("sig", LargeBinary, nullable=False),
    Column("room", String(200), nullable=False),  # the room that delivered it first
    Column("received_at", Integer, nullable=False),
    UniqueConstraint("session", "author", "seq", name="uq_center_events_seq"),
)
incidents = Table(
    "incidents", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("session", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("author", String(64), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("event_id", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Column("record", Text, nullable=False),
    Column("room", String(200), nullable=False),
    Column("time", Integer, nullable=False),
)
archives = Table(
    "archives", metadata,
    Column("id", String(64), primary_key=True),
    Column("session", String(200), nullable=False),
    Column("room", String(200), nullable=False),
    Column("status", String(20), nullable=False),  # uploading | verified | rejected
    Column("chunk_size", Integer, nullable=False),
    Column("files", Text, nullable=False),  # canonical JSON [{path, size, sha256}]
    Column("problems", Text, nullable=False, default=""),
    Column("receipt", Text),
    Column("created_at", Integer, nullable=False),
    Column("completed_at", Integer),
)
chunks = Table(
    "chunks", metadata,
    Column("archive", String(64), primary_key=True),
    Column("file", Integer, primary_key=True),
    Column("chunk", Integer, primary_key=True),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
)


def now() -> int:
    return int(time.time())


def insert_new(c: Any, table: Table, **values: Any) -> bool:
    """Insert a row unless one with the same key exists (no error, and on PostgreSQL no aborted transaction):
    True when this call inserted it."""
    from sqlalchemy.dialects import postgresql, sqlite

    statement: Any
    if c.dialect.name == "postgresql":
        statement = postgresql.insert(table).values(**values).on_conflict_do_nothing()
    else:
        statement = sqlite.insert(table).values(**values).on_conflict_do_nothing()
    # RETURNING rather than rowcount, which psycopg leaves at -1 for this statement
    return c.execute(statement.returning(*table.primary_key.columns)).first() is not None


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves (IMMEDIATE)
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=30000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(conn: Any) -> None:
    # a writer takes the write lock at BEGIN (no lock upgrade to fail later); a reader never waits for it (WAL)
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("evalroom_read_only") else "BEGIN IMMEDIATE")


@contextmanager
def reading(engine: Engine) -> Iterator[Any]:
    """A read-only transaction: on SQLite a deferred BEGIN, so the many reads of authentication and
    status never queue behind a writer (WAL readers see the last commit). Never write inside it."""
    with engine.connect().execution_options(evalroom_read_only=True) as conn, conn.begin():
        yield conn


def center_engine(url: str) -> Engine:
    """An engine for a center database URL; creates the tables (idempotent, safe with several processes)."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5)
    _create(engine)
    return engine


def _create(engine: Engine) -> None:
    from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

    for attempt in range(5):  # two processes creating the schema at once: one wins, the other re-checks
        try:
            metadata.create_all(engine)
            return
        except (IntegrityError, ProgrammingError, OperationalError):
            if attempt == 4:
                raise
            time.sleep(0.2 * (attempt + 1))
