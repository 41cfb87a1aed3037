"""`evalroom ledger verify PATH`: find the events and the room key, verify, list every problem.

PATH is a session file, a ledger folder (``*.jsonl``), or a folder written by ``simulate`` (then the
session file and the exported feeds are verified together, as one set: a copy that differs shows up as
an altered or forked event, and an event missing from either side is listed).
The room key (trust anchor) is ``--room-key``, else ``keys/room.pub.pem`` found beside PATH; without
one, the key declared in the ledger's own ``session.created`` is used, and a note says so.
``--checkpoint FILE``: a signed checkpoint kept elsewhere (the C2SP note of a checkpoint event, e.g. the
center's copy or an archive's ``checkpoint.txt``); the ledger must hold everything it covers (nothing cut).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from app.crypto.keys import KeyFileError, VerifyingKey
from app.errors import EvalRoomError
from app.ledger.checkpoint import CheckpointError, parse_note
from app.ledger.verify import Located, read_feed_dir, verify_events
from app.store.ledger_store import StoreError, read_file_events

DB_NAME = "session.sqlite"


class LedgerInputError(EvalRoomError):
    """PATH or the key file cannot be used (exit 2)."""


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    events: int = 0


def _find_key(path: Path) -> Path | None:
    base = path if path.is_dir() else path.parent
    for candidate in (base / "keys" / "room.pub.pem", base / "room.pub.pem", base.parent / "keys" / "room.pub.pem"):
        if candidate.is_file():
            return candidate
    return None


def _load_key(path: Path) -> VerifyingKey:
    try:
        return VerifyingKey.from_pem(path.read_bytes())
    except OSError as exc:
        raise LedgerInputError(f"{path}: cannot read the room key ({exc.strerror})") from exc
    except KeyFileError as exc:
        raise LedgerInputError(f"{path}: {exc}") from exc


def _from_db(path: Path) -> tuple[list[Located], list[str]]:
    try:
        return read_file_events(path)
    except StoreError as exc:
        raise LedgerInputError(str(exc)) from exc


def _load_checkpoint(path: Path) -> str:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise LedgerInputError(f"{path}: cannot read the checkpoint ({exc.strerror})") from exc
    except UnicodeDecodeError:
        raise LedgerInputError(f"{path}: not a checkpoint (not UTF-8 text)") from None
    try:
        parse_note(text)
    except CheckpointError as exc:
        raise LedgerInputError(f"{path}: not a signed checkpoint note ({exc})") from exc
    return text


def verify_path(path: Path, room_key_path: Path | None = None, checkpoint_path: Path | None = None,
                jobs: int = 1) -> Outcome:
    """Verify what PATH holds. ``jobs``: processes checking signatures (1: all in this one; the outcome is the
    same with any number)."""
    with paused_gc():
        return _verify_path(path, room_key_path, checkpoint_path, jobs)


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a ledger is read and checked: it makes hundreds of thousands of
    containers (no cycles among them), which the collector would otherwise scan again and again (a third of
    the time besides the signatures, measured on a 100 000-event ledger). Reference counting frees as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _verify_path(path: Path, room_key_path: Path | None, checkpoint_path: Path | None, jobs: int) -> Outcome:
    if not path.exists():
        raise LedgerInputError(f"{path}: no such file or folder")
    external = _load_checkpoint(checkpoint_path) if checkpoint_path is not None else None
    located: list[Located] = []
    problems: list[str] = []
    if path.is_file():
        located, problems = _from_db(path)
    elif (path / "ledger").is_dir() or (path / DB_NAME).is_file():
        if (path / "ledger").is_dir():
            feed_events, problems = read_feed_dir(path / "ledger")
            located += feed_events
        if (path / DB_NAME).is_file():
            db_events, db_problems = _from_db(path / DB_NAME)
            problems += db_problems
            if (path / "ledger").is_dir():
                problems += _compare(db_events, located)
            located += db_events
    elif any(path.glob("*.jsonl")):
        located, problems = read_feed_dir(path)
    else:
        raise LedgerInputError(f"{path}: neither a session file, a ledger folder (*.jsonl) nor a simulate folder")
    outcome = Outcome(events=len(located))
    key_file = room_key_path or _find_key(path)
    room_key = _load_key(key_file) if key_file else None
    if room_key is None:
        outcome.notes.append("no room.pub.pem found: trusting the room key declared inside the ledger")
    elif external is not None:
        outcome.notes.append("the checkpoint given is checked against the room key declared inside the ledger "
                             "(pass --room-key to pin it)")
    report = verify_events(located, room_key, problems, external, jobs=jobs)
    outcome.problems = list(dict.fromkeys(report.problems))  # the same problem seen in two copies: once
    outcome.notes += report.notes
    return outcome


def _compare(db_events: list[Located], feed_events: list[Located]) -> list[str]:
    in_db = {ev.id: where for ev, where in db_events}
    in_feeds = {ev.id: where for ev, where in feed_events}
    problems = [f"export: event {i[:8]} ({w}) is missing from ledger/" for i, w in in_db.items() if i not in in_feeds]
    problems += [f"export: event {i[:8]} ({w}) is missing from {DB_NAME}"
                 for i, w in in_feeds.items() if i not in in_db]
    return problems
