"""The outbox of a session file (table ``outbox``, migration 0002): what is still to be delivered.

Event rows are written by :meth:`app.store.ledger_store.LedgerStore.append` in the event's own
transaction; archive rows by :func:`enqueue_archive`. Delivery marks ``acked_at`` with the center's signed
receipt; rows and events are never deleted here (nothing local goes before a receipt).
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.ledger.events import utc_stamp


@dataclass
class Pending:
    id: int
    kind: str
    ref: str
    attempts: int


def connect(path: Path) -> sqlite3.Connection:
    """A connection to a session file with the store's durable pragmas (the file is migrated by the store)."""
    db = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=5000"):
        db.execute(f"PRAGMA {pragma}")
    return db


def pending(db: sqlite3.Connection, kind: str | None = None, due_only: bool = False,
            limit: int = 100000) -> list[Pending]:
    query = "SELECT id, kind, ref, attempts FROM outbox WHERE acked_at IS NULL"
    args: list[Any] = []
    if kind:
        query += " AND kind = ?"
        args.append(kind)
    if due_only:
        query += " AND next_try_at <= ?"
        args.append(time.time())
    query += " ORDER BY id LIMIT ?"
    args.append(limit)
    return [Pending(*row) for row in db.execute(query, args)]


def counts(db: sqlite3.Connection) -> dict[str, int]:
    rows = db.execute("SELECT kind, COUNT(*) FROM outbox WHERE acked_at IS NULL GROUP BY kind").fetchall()
    return {kind: int(n) for kind, n in rows}


POINTER = '{"in": '  # the receipt text of a row acked together with an earlier row holding the receipt


def ack(db: sqlite3.Connection, ids: Iterable[int], receipt: Any) -> None:
    """Mark rows delivered. A receipt names every event of its batch, so it is stored once, on the first row
    this ack delivers; the others point to that row (``{"in": ROW}``): the outbox stays linear in the events."""
    wanted = sorted(set(ids))
    if not wanted:
        return
    text = json.dumps(receipt, sort_keys=True)
    stamp = utc_stamp()
    db.execute("BEGIN IMMEDIATE")
    try:
        fresh: list[int] = []
        for start in range(0, len(wanted), 500):  # SQLite's host-parameter limit
            part = wanted[start:start + 500]
            fresh += [r[0]
                      for r in db.execute("SELECT id FROM outbox WHERE acked_at IS NULL AND id IN "
                                          f"({','.join('?' * len(part))})",
                                          part)]
        if fresh:
            fresh.sort()
            pointer = f"{POINTER}{fresh[0]}}}"
            db.executemany("UPDATE outbox SET acked_at = ?, receipt = ?, error = NULL WHERE id = ?",
                           [(stamp, text if i == fresh[0] else pointer, i) for i in fresh])
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def failed(db: sqlite3.Connection, ids: Iterable[int], error: str, next_try_at: float) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        db.executemany("UPDATE outbox SET attempts = attempts + 1, next_try_at = ?, error = ? WHERE id = ?",
                       [(next_try_at, error[:1000], i) for i in ids])
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _home(db: sqlite3.Connection) -> Path | None:
    """The folder of the session file behind ``db``."""
    for _seq, name, file in db.execute("PRAGMA database_list"):
        if name == "main" and file:
            return Path(file).resolve().parent
    return None


def archive_ref(db: sqlite3.Connection, bag: Path) -> str:
    """How the outbox names a bag: relative to the session file's folder when inside it (the folder can be
    copied or moved with its queue), else absolute."""
    bag = Path(bag).resolve()
    home = _home(db)
    if home is not None and bag.is_relative_to(home):
        return bag.relative_to(home).as_posix()
    return str(bag)


def archive_path(session_file: Path, ref: str) -> Path:
    """The bag an archive row names (see :func:`archive_ref`)."""
    path = Path(ref)
    return path if path.is_absolute() else Path(session_file).resolve().parent / path


def enqueue_archive(db: sqlite3.Connection, bag: Path) -> int:
    """Queue an archive folder for upload (idempotent: one row per folder)."""
    ref = archive_ref(db, bag)
    row = db.execute("SELECT id FROM outbox WHERE kind = 'archive' AND ref = ?", (ref,)).fetchone()
    if row:
        return int(row[0])
    cursor = db.execute("INSERT INTO outbox (kind, ref, attempts, next_try_at) VALUES ('archive', ?, 0, 0)", (ref,))
    return int(cursor.lastrowid or 0)


def enqueue_media(db: sqlite3.Connection, path: Path) -> int:
    """Queue a medium (a file in the session's folder, named by the event that names its SHA-256) for the hub
    (idempotent: one row per file)."""
    ref = archive_ref(db, path)
    row = db.execute("SELECT id FROM outbox WHERE kind = 'media' AND ref = ?", (ref,)).fetchone()
    if row:
        return int(row[0])
    cursor = db.execute("INSERT INTO outbox (kind, ref, attempts, next_try_at) VALUES ('media', ?, 0, 0)", (ref,))
    return int(cursor.lastrowid or 0)


def receipts(db: sqlite3.Connection) -> list[dict[str, Any]]:
    rows = db.execute("SELECT DISTINCT receipt FROM outbox WHERE receipt IS NOT NULL AND receipt NOT LIKE ?",
                      (POINTER + "%",)).fetchall()
    return [json.loads(r[0]) for r in rows]


def last_ack(db: sqlite3.Connection) -> str | None:
    row = db.execute("SELECT MAX(acked_at) FROM outbox").fetchone()
    return row[0] if row else None


def last_error(db: sqlite3.Connection) -> str | None:
    row = db.execute("SELECT error FROM outbox WHERE acked_at IS NULL AND error IS NOT NULL "
                     "ORDER BY id LIMIT 1").fetchone()
    return row[0] if row else None
