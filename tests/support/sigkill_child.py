"""Child of the SIGKILL harness: appends score events forever, reporting each seq after its commit returned.

Runs in a process forked from a warm fork server (so thirty trials do not pay thirty interpreter starts);
sends "ready" once the store is open, then one seq per acknowledged append, over a pipe.
"""

from __future__ import annotations

import json
from itertools import count
from multiprocessing.connection import Connection
from pathlib import Path

from app.crypto.keys import SigningKey
from app.services.session import Session
from app.store.ledger_store import LedgerStore

PRELOAD = ["app.services.session", "app.store.ledger_store", "app.store.db", "alembic.command", "alembic.config"]


def append_forever(db: str, keys_file: str, out: Connection) -> None:
    keys = json.loads(Path(keys_file).read_text())
    room = SigningKey.from_pkcs12(bytes.fromhex(keys["room"]), b"k")
    expert = SigningKey.from_pkcs12(bytes.fromhex(keys["E1"]), b"k")
    session = Session(LedgerStore.open(Path(db)), room)
    out.send("ready")
    values = [str(v) for v in range(41)]
    for i in count():
        ev = session.set_score(expert, "E1", f"B{1 + i % 3}", "T1", values[i % len(values)])
        out.send(ev.seq)  # only after append returned: commit done, WAL fsynced
