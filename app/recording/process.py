"""The recorder as its own process, and the Qt-free API the console polls (issue #5 §5).

The child is ``python -m app record ... --control-stdin`` in a new session (process group), so a
recorder crash cannot take the console down and a console crash (or Ctrl-C in its terminal) does not
stop the recording. The control protocol is deliberately small and file-based where it must outlive
either side:

- stop: the line ``stop`` on the child's stdin, or the file ``DIR/run/stop`` (works after the console
  restarted and has no pipe any more); the end of stdin is *not* a stop;
- events: the recorder's signed feed ``DIR/ledger/<key id>.jsonl``, followed with
  :class:`~app.recording.feed.FeedFollower` and copied into the session with :func:`chain_to_session`;
- preview and health: ``DIR/preview/<camera>.jpg`` (about 2 per second, 480 px wide, replaced
  atomically) and ``DIR/preview/status.json`` (4 per second), read by :class:`PreviewReader`;
- one recorder per folder: ``DIR/run/recorder.lock`` (an OS lock, released when the process dies), naming
  the holder's pid, process start time and the console it ends with (:func:`lock_holder`);
- a demo's recorder ends with its console (``--exit-with-parent PID``: the end of stdin, or another parent
  process, stops it cleanly), so even a console killed with SIGKILL leaves no recorder behind; a room's
  recorder is not tied and outlives a console crash, to be adopted or stopped by the next console.

A GUI polls :meth:`RecorderProcess.preview` / :meth:`PreviewReader.latest` from a QTimer.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from app.crypto.keys import VerifyingKey
from app.errors import EvalRoomError
from app.ledger.events import SignedEvent
from app.recording.config import KEYS, LEDGER, PREVIEW, RUN, STOP_FILE, CameraConfig
from app.recording.feed import PUBLIC_KEY, FeedFollower, feed_path

LOCK_FILE = "recorder.lock"
STATUS_FILE = "status.json"
#: status.json older than this means the recorder is gone (it is rewritten 4 times a second).
STALE_S = 3.0


class RecorderBusy(EvalRoomError, RuntimeError):
    """Another recorder is already recording into the folder."""

    help_key = "recorder.busy.help"


def process_start(pid: int) -> str | None:
    """What tells this process from a later one that got the same pid: its start time in clock ticks since
    boot (Linux ``/proc/<pid>/stat``, field 22); None where that cannot be read (the process is gone, or
    another system)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        return stat[stat.rindex(")") + 2 :].split()[19]
    except (OSError, ValueError, IndexError):
        return None


@dataclass(frozen=True)
class LockHolder:
    """The recorder recording into a folder, as its lock file names it, checked against the real process."""

    pid: int
    started: str | None  # process_start(pid) when the recorder took the lock
    time: float  # epoch seconds it took the lock
    parent: int | None  # the console it ends with (``record --exit-with-parent``), None: it outlives its console
    verified: bool  # that pid is alive and is the process that took the lock (same start time)


#: How long a recorder keeps trying for its folder's lock: a console that asks who records there takes the lock
#: for an instant (:func:`lock_holder`); a recorder starting in that instant must not take it for a rival's.
LOCK_WAIT_S = 2.0


def _try_lock(handle: Any) -> bool:
    """Take the OS lock on the open lock file without blocking; False when another process holds it."""
    try:
        if sys.platform == "win32":  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def exclusive(out: Path, parent: int | None = None, wait: float = LOCK_WAIT_S) -> Iterator[None]:
    """Hold ``DIR/run/recorder.lock`` for the life of a recording (released by the OS on a crash). The file
    names the holder: its pid, its process start time, when it took the lock and the console it ends with
    (``parent``), as one JSON line (:func:`lock_holder` reads it). A lock held past ``wait`` seconds is a
    recorder's: :class:`RecorderBusy`."""
    run = out / RUN
    run.mkdir(parents=True, exist_ok=True)
    handle = (run / LOCK_FILE).open("a+")
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise RecorderBusy(f"another recorder is recording into {out}")
            time.sleep(0.02)
        handle.seek(0)
        handle.truncate()
        pid = os.getpid()
        holder = {"pid": pid, "started": process_start(pid), "time": time.time(), "parent": parent}
        handle.write(json.dumps(holder) + "\n")
        handle.flush()
        yield
    finally:
        handle.close()


def _free(out: Path) -> bool:
    """No process holds ``out``'s lock (taken and let go at once; the file is left as it is)."""
    try:
        handle = (out / RUN / LOCK_FILE).open("a+")
    except FileNotFoundError:
        return True  # no run folder: no recorder ever recorded there
    with handle:
        return _try_lock(handle)


def lock_holder(out: Path) -> LockHolder | None:
    """The recorder holding ``out``'s lock, or None when no process holds it (none records there: a lock
    file left by a recorder that died is free again). ``verified`` is False when the named pid is gone or
    is another process than the one that took the lock: never signal it then."""
    if _free(out):
        return None
    try:
        text = (out / RUN / LOCK_FILE).read_text(encoding="utf-8")
        fields = json.loads(text) if text.lstrip().startswith("{") else {"pid": int(text.split()[0])}
        pid = int(fields["pid"])
        started = fields.get("started")
        parent = fields.get("parent")
        stamp = float(fields.get("time") or 0.0)
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return LockHolder(-1, None, 0.0, None, False)  # held, by a process that has not written its name yet
    now = process_start(pid) if pid > 0 else None
    verified = _alive(pid) and (started is None or now is None or str(started) == now)
    return LockHolder(pid, None if started is None else str(started), stamp,
                      int(parent) if isinstance(parent, int) else None, verified)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:  # pragma: no cover - Windows: an invalid pid
        return False
    return True


@dataclass(frozen=True)
class Preview:
    camera: str
    jpeg: bytes | None  # the latest preview frame, None before the first
    time: float | None  # epoch seconds the JPEG was written
    state: str  # starting / recording / fault / disk_low / ended / stopped / gone
    message: str  # the alarm text, Chinese / English
    alarm: bool  # show an alarm on the console and supervisor screens

    @property
    def age(self) -> float | None:
        return None if self.time is None else max(0.0, time.time() - self.time)


class PreviewReader:
    """Latest preview JPEG, its time and the camera's health, from a recording folder (no Qt)."""

    def __init__(self, out: Path) -> None:
        self.out = out

    def status(self) -> dict[str, Any]:
        try:
            status: dict[str, Any] = json.loads((self.out / PREVIEW / STATUS_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"running": False, "cameras": {}, "time": None}
        if status.get("running") and time.time() - float(status.get("time") or 0) > STALE_S:
            status["running"], status["stale"] = False, True
        return status

    def cameras(self) -> list[str]:
        return sorted(self.status().get("cameras", {}))

    def latest(self, camera: str) -> Preview:
        status = self.status()
        health = status.get("cameras", {}).get(camera, {})
        state = str(health.get("state", "gone"))
        message = str(health.get("message", ""))
        if status.get("stale"):
            state, message = "gone", "录像进程无响应 / the recorder does not respond"
        path = self.out / PREVIEW / f"{camera}.jpg"
        try:
            jpeg, stamp = path.read_bytes(), path.stat().st_mtime
        except OSError:
            jpeg, stamp = None, None
        alarm = state in ("fault", "disk_low", "gone") or bool(status.get("disk_low"))
        return Preview(camera, jpeg, stamp, state, message, alarm)


class RecorderProcess:
    """Starts, watches and stops the recorder child process for one room."""

    def __init__(self, out: Path, cameras: Sequence[CameraConfig], *, room: str = "评标室", session: str = "recording",
                 segment_s: float = 60.0, size: tuple[int, int] = (1280, 720), fps: float = 25.0, stall_s: float = 3.0,
                 min_free_mb: int = 500, seconds: float | None = None, codec: str = "mpeg4",
                 microphone: str | None = None, extra_args: Sequence[str] = (), env: Mapping[str, str] | None = None,
                 ends_with_parent: bool = False) -> None:
        """``ends_with_parent``: the recorder stops when this process ends, however it ends (a demo's)."""
        self.out = out
        args = [sys.executable, "-m", "app", "record", "--out", str(out), "--room", room, "--session", session,
                "--segment", str(segment_s), "--size", f"{size[0]}x{size[1]}", "--fps", str(fps), "--stall",
                str(stall_s), "--min-free", str(min_free_mb), "--codec", codec, "--control-stdin"]
        for camera in cameras:
            args += ["--source", str(camera)]  # "name=source", with " copy" / " auto" per camera
        if any(c.loop for c in cameras):
            args.append("--loop")
        if microphone is not None:
            args += ["--microphone", microphone]
        if seconds is not None:
            args += ["--seconds", str(seconds)]
        if ends_with_parent:
            args += ["--exit-with-parent", str(os.getpid())]
        self.args = args + list(extra_args)
        self.env = dict(env) if env is not None else None
        self.process: subprocess.Popen[bytes] | None = None
        self.preview_reader = PreviewReader(out)
        self._follower: FeedFollower | None = None

    def start(self) -> None:
        (self.out / RUN).mkdir(parents=True, exist_ok=True)
        request_stop_cleared(self.out)
        log = (self.out / RUN / "recorder.log").open("ab")
        root = Path(__file__).resolve().parents[2]
        self.process = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=log, stderr=log, cwd=root,
                                        env=self.env, start_new_session=True)
        log.close()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 20.0) -> int | None:
        """Ask the recorder to close its segments and stop; the exit code (None if it had to be killed)."""
        if self.process is None:
            return None
        request_stop(self.out)
        with contextlib.suppress(OSError, ValueError):
            assert self.process.stdin is not None
            self.process.stdin.write(b"stop\n")
            self.process.stdin.flush()
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None
        finally:
            self.release()

    def release(self) -> None:
        """Close this side of the recorder's stdin pipe (after it ended, or when it died and another is started):
        deterministically, not at the collector's whim (a ResourceWarning otherwise)."""
        if self.process is not None and self.process.stdin is not None:
            with contextlib.suppress(OSError):  # a broken pipe's flush: the recorder is gone
                self.process.stdin.close()

    # -- what the console polls --------------------------------------------------------------------
    def preview(self, camera: str) -> Preview:
        return self.preview_reader.latest(camera)

    def status(self) -> dict[str, Any]:
        return self.preview_reader.status()

    def poll_events(self, after_seq: int = 0) -> list[SignedEvent]:
        """New events of the recorder's feed (each once), for the console to chain into the session."""
        if self._follower is None:
            path = recorder_feed(self.out)
            if path is None:
                return []
            self._follower = FeedFollower(path, after_seq)
        return self._follower.poll()


def request_stop(out: Path) -> None:
    """Stop the recorder recording into ``out`` (also from a console that restarted and has no pipe)."""
    (out / RUN).mkdir(parents=True, exist_ok=True)
    (out / RUN / STOP_FILE).touch()


def request_stop_cleared(out: Path) -> None:
    """Remove a stop request left behind (before a new recorder starts in ``out``)."""
    (out / RUN / STOP_FILE).unlink(missing_ok=True)


def recorder_feed(out: Path) -> Path | None:
    try:
        key = VerifyingKey.from_pem((out / KEYS / PUBLIC_KEY).read_bytes())
    except (OSError, ValueError):
        return None
    return feed_path(out / LEDGER, key)


class SessionFeed(Protocol):
    """What :func:`chain_to_session` writes into: the session's room feed (``app.services.session.Session``)."""

    def record_segment(self, segment: Mapping[str, Any], /) -> SignedEvent: ...
    def record_fault(self, fault: Mapping[str, Any], /) -> SignedEvent: ...


def chain_to_session(session: SessionFeed, ev: SignedEvent) -> SignedEvent | None:
    """Copy a recorder event into the session's room feed (``app.services.session.Session``).

    The body keeps the recorder's own event id and seq, so the session ledger points at the recorder's
    signed feed and a restarted console knows where to resume (the highest ``recorder_seq`` it holds).
    ``recording.restored`` goes through ``Session.record_restored`` once the ledger knows that type; until
    then it is written as a ``recording.fault`` with ``kind: "restored"``.
    """
    body = dict(ev.body)
    body.update({"recorder_event": ev.id, "recorder_seq": ev.seq, "recorder_key": ev.author})
    if ev.type == "recording.segment":
        return session.record_segment(body)
    if ev.type == "recording.fault":
        return session.record_fault(body)
    if ev.type == "recording.restored":
        restored: Callable[[Mapping[str, Any]], SignedEvent] | None = getattr(session, "record_restored", None)
        if restored is not None:
            return restored(body)
        body["kind"] = "restored"
        return session.record_fault(body)
    return None
