"""SIGKILL harness (issue #3, engineering-anchors §6): a child process appends score events and is killed
with SIGKILL at random moments. Every acknowledged append survives, PRAGMA integrity_check is ok, and
the ledger verifies.

The child reports a seq only after ``append`` returned (commit + WAL fsync). Children are forked from a
fork server that has already imported the app, so a trial costs a fork, not an interpreter start; each is
still a separate process killed with a real SIGKILL — sometimes while it is still opening the file.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

import ledgerkit as lk
import sigkill_child
from app.services.ledger_check import verify_path

pytestmark = pytest.mark.skipif(not hasattr(signal,
                                            "SIGKILL") or "forkserver" not in multiprocessing.get_all_start_methods(),
                                reason="needs POSIX signals and a fork server")


def _prepare(tmp_path: Path) -> tuple[Path, Path, str]:
    kit = lk.start(tmp_path)
    keys = {"room": kit.room.to_pkcs12(b"k", rounds=1000).hex(),
            "E1": kit.members["E1"].to_pkcs12(b"k", rounds=1000).hex()}
    author = kit.members["E1"].key_id
    kit.session.close()
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps(keys))
    return kit.path, keys_file, author


def _drain(reader: multiprocessing.connection.Connection, acked: list[int]) -> bool:
    """Collect what the child acknowledged; True once it said ready."""
    ready = False
    try:
        while reader.poll():
            message = reader.recv()
            if message == "ready":
                ready = True
            else:
                acked.append(message)
    except (EOFError, OSError):
        pass
    return ready


def _head(db: Path, author: str) -> int:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        seqs = [row[0] for row in conn.execute("SELECT seq FROM events WHERE author=? ORDER BY seq", (author,))]
        # The outbox row (sync) commits with its event: after any kill, exactly one per event, none extra.
        events = [row[0] for row in conn.execute("SELECT id FROM events ORDER BY pos")]
        assert [row[0] for row in conn.execute("SELECT ref FROM outbox WHERE kind='event' ORDER BY id")] == events
    finally:
        conn.close()
    assert seqs == list(range(1, len(seqs) + 1)), "a gap in the expert's feed"
    return len(seqs)


def run_trials(tmp_path: Path, trials: int, seed: int, verify_every: int = 10) -> int:
    db, keys_file, author = _prepare(tmp_path)
    rng = random.Random(seed)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(sigkill_child.PRELOAD)
    total = 0
    for trial in range(trials):
        reader, writer = context.Pipe(duplex=False)
        child = context.Process(target=sigkill_child.append_forever, args=(str(db), str(keys_file), writer),
                                daemon=True)
        child.start()
        writer.close()
        acked: list[int] = []
        if rng.random() < 0.15:
            time.sleep(rng.uniform(0.0, 0.1))  # sometimes while it is still opening the file
        else:
            deadline = time.monotonic() + 60
            while not _drain(reader, acked):
                assert time.monotonic() < deadline and child.is_alive(), "the child never opened the store"
                reader.poll(0.05)
            time.sleep(rng.uniform(0.0, 0.2))
        child.kill()  # SIGKILL
        child.join(30)
        assert child.exitcode == -signal.SIGKILL
        _drain(reader, acked)
        reader.close()
        head = _head(db, author)
        if acked:
            assert head >= max(acked), f"trial {trial}: acknowledged seq {max(acked)} lost (head {head})"
        total += len(acked)
        if trial % verify_every == verify_every - 1:
            assert verify_path(db).problems == [], f"trial {trial}"
    assert verify_path(db).problems == []
    return total


@pytest.mark.timeout(900)  # ~15 s idle; a machine loaded 4x over (two suites at once) once took over 300 s
def test_sigkill_during_appends(tmp_path: Path) -> None:
    assert run_trials(tmp_path, trials=30, seed=6) > 0


@pytest.mark.slow
@pytest.mark.timeout(1200)
def test_sigkill_during_appends_long(tmp_path: Path) -> None:
    assert run_trials(tmp_path, trials=100, seed=7, verify_every=50) > 0
