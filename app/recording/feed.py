"""The recorder's own signed feed: ``DIR/ledger/<key id>.jsonl`` plus ``DIR/keys/recorder.pub.pem``.

Every line is a full ledger record (``app.ledger.events``): the recorder key signs ``recorder.started``,
``recording.segment``, ``recording.fault``, ``recording.restored``, ``recording.source_ended`` and
``recorder.stopped`` events, each chained to the previous one. A line is written, flushed and fsynced
before the event is reported anywhere, so the console (which copies the events into the session's
feed, see :class:`FeedFollower`) can never have seen an event the recorder's feed lacks.

The key is kept in ``DIR/keys/recorder.p12`` (PKCS#12 with a scrypt-stretched passphrase, see
``app.crypto.keys``) so a recorder restarted after a crash continues the same feed.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.crypto.keys import SigningKey, VerifyingKey
from app.durable import private_folder, write_private
from app.ledger.events import EventError, SignedEvent, from_line, new_event, utc_stamp

KEY_FILE = "recorder.p12"
PUBLIC_KEY = "recorder.pub.pem"
PASSPHRASE_FILE = "recorder.passphrase"
PASSPHRASE_ENV = "EVALROOM_RECORDER_PASSPHRASE"


def load_or_create_key(keys: Path, passphrase: bytes | None = None) -> SigningKey:
    """The recorder key of ``keys/``: opened when it exists, else generated and saved.

    The passphrase comes from the argument, else ``$EVALROOM_RECORDER_PASSPHRASE``, else a random one
    kept in ``keys/recorder.passphrase`` (mode 0600): a headless recorder has no one to type it.
    """
    private_folder(keys)  # 0700
    if passphrase is None and os.environ.get(PASSPHRASE_ENV):
        passphrase = os.environ[PASSPHRASE_ENV].encode()
    secret = keys / PASSPHRASE_FILE
    if passphrase is None and secret.exists():
        passphrase = secret.read_bytes().strip()
    path = keys / KEY_FILE
    if path.exists():
        if passphrase is None:
            raise ValueError(f"{path} exists but no passphrase was given (set {PASSPHRASE_ENV})")
        return SigningKey.load(path, passphrase)
    if passphrase is None:
        passphrase = secrets.token_hex(24).encode()
        write_private(secret, passphrase + b"\n")  # 0600, atomically, before the key it opens
    key = SigningKey.generate()
    key.save(path, passphrase)  # also writes recorder.pub.pem and recorder.kdf.json
    return key


def feed_path(ledger: Path, key: VerifyingKey) -> Path:
    return ledger / f"{key.key_id}.jsonl"


class RecorderFeed:
    """Appends signed events to the recorder's feed, continuing an existing one (thread-safe)."""

    def __init__(self, ledger: Path, key: SigningKey, session: str) -> None:
        ledger.mkdir(parents=True, exist_ok=True)
        self.key, self.session = key, session
        self.path = feed_path(ledger, key.public)
        self._lock = threading.Lock()
        self.events: list[SignedEvent] = read_feed(self.path, repair=True)
        last = self.events[-1] if self.events else None
        self.seq = last.seq if last else 0
        self.prev = last.id if last else None
        self._last_time = _parse(last.time) if last else None
        self._handle = self.path.open("a", encoding="utf-8", newline="\n")

    @property
    def last(self) -> SignedEvent | None:
        return self.events[-1] if self.events else None

    def _now(self) -> str:
        moment = datetime.now(UTC)
        if self._last_time is not None and moment <= self._last_time:
            moment = self._last_time + timedelta(microseconds=1)
        self._last_time = moment
        return utc_stamp(moment)

    def append(self, type_: str, body: Mapping[str, Any]) -> SignedEvent:
        """Sign, write, flush and fsync the next event; raises OSError when the disk refuses it."""
        with self._lock:
            ev = new_event(self.key, self.session, self.seq + 1, self.prev, self._now(), type_, body)
            self._handle.write(ev.to_line() + "\n")
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self.seq, self.prev = ev.seq, ev.id
            self.events.append(ev)
            return ev

    def close(self) -> None:
        with self._lock:
            self._handle.close()


def _parse(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def read_feed(path: Path, repair: bool = False) -> list[SignedEvent]:
    """The events of a feed file. A torn last line (a crash mid-write, never acknowledged) is cut off
    when ``repair`` is set, else ignored; a bad line elsewhere raises EventError."""
    if not path.exists():
        return []
    data = path.read_bytes()
    lines = data.split(b"\n")
    events: list[SignedEvent] = []
    good = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            good += len(line) + 1
            continue
        last = number == len(lines)  # no newline after it: torn
        try:
            if last:
                raise EventError("torn last line")
            events.append(from_line(line))
        except EventError:
            if last:
                if repair:
                    with path.open("rb+") as handle:
                        handle.truncate(min(good, len(data)))
                        os.fsync(handle.fileno())
                break
            raise
        good += len(line) + 1
    return events


class FeedFollower:
    """Reads the recorder's feed as it grows (the console's side): complete lines after ``after_seq``.

    The console copies each event into the session (``Session.record_segment``/``record_fault`` with
    the recorder event's id in the body), remembering the last seq it copied, so nothing is lost or
    doubled when either process restarts.
    """

    def __init__(self, path: Path, after_seq: int = 0) -> None:
        self.path, self.after_seq = path, after_seq
        self._offset = 0

    def poll(self) -> list[SignedEvent]:
        if not self.path.exists():
            return []
        with self.path.open("rb") as handle:
            handle.seek(self._offset)
            chunk = handle.read()
        end = chunk.rfind(b"\n")
        if end < 0:
            return []
        self._offset += end + 1
        out = []
        for line in chunk[: end + 1].splitlines():
            if line.strip():
                ev = from_line(line)
                if ev.seq > self.after_seq:
                    out.append(ev)
                    self.after_seq = ev.seq
        return out
