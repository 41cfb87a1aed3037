"""The room's recorder for a session (issue #5 §5), as the console uses it.

:class:`RoomRecorder` starts the recorder (``app.recording.process``) as its own process for the session,
or re-attaches to the one a crashed console left running (the folder lock tells), and on the console's
database thread copies every ``recording.segment`` / ``recording.fault`` / ``recording.restored`` of the
recorder's signed feed into the live session ledger exactly once (:meth:`RoomRecorder.sync`; a restarted
console resumes after the highest ``recorder_seq`` the session holds). :meth:`RoomRecorder.status` —
safe from any thread, it only reads files — gives the GUI the latest preview JPEG path per camera and the
alarms (a camera fault, low disk, the recorder gone); each alarm raised or cleared is logged, and kept in
``DIR/run/alarms.log``.

:class:`FaceChecker` runs the check-in photo's one-face check (OpenCV's Haar cascade) in a small worker
process started on first use, so OpenCV and NumPy never load into the console's process.

Nothing here imports OpenCV, NumPy or PyAV.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import struct
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from app.crypto.keys import VerifyingKey
from app.recording import process
from app.recording.config import DEFAULT_CAMERA, KEYS, PREVIEW, RUN, CameraConfig
from app.recording.feed import PUBLIC_KEY
from app.recording.process import (
    STATUS_FILE,
    PreviewReader,
    RecorderProcess,
    chain_to_session,
    lock_holder,
    request_stop,
)

log = logging.getLogger("evalroom.recording")

CHAINED_TYPES = ("recording.segment", "recording.fault", "recording.restored")
#: a recorder that has not written its first status this long after its start is gone
START_GRACE_S = 15.0
#: a recorder that died is started again at most this often
RESTART_EVERY_S = 5.0
ALARM_LOG = "alarms.log"


@dataclass(frozen=True)
class RecordingSettings:
    """What the console records: the cameras (none: the synthetic camera) and the recorder's settings."""

    cameras: tuple[CameraConfig, ...] = ()
    size: tuple[int, int] = (1280, 720)
    fps: float = 25.0
    segment_s: float = 60.0
    stall_s: float = 3.0
    min_free_mb: int = 500
    #: the room's sound (``record --microphone``): auto = the test tone with the synthetic camera, else none
    microphone: str = "auto"
    #: the recorder ends with the console process, however that ends (the demo: its folder is temporary and
    #: nobody opens it again); False (a room console): it outlives a console crash, and the next console
    #: adopts it (or stops it when it opens another session)
    ends_with_console: bool = False

    @property
    def camera_list(self) -> tuple[CameraConfig, ...]:
        return self.cameras or (DEFAULT_CAMERA,)


@dataclass(frozen=True)
class CameraStatus:
    camera: str
    state: str  # starting / recording / fault / disk_low / ended / stopped / gone
    message: str
    preview: Path | None  # the latest preview JPEG (about 2 a second, 480 px wide), None before the first
    preview_time: float | None  # epoch seconds it was written
    alarm: bool
    #: the microphone's health when this camera's segments carry the sound: starting / recording / fault (else None)
    sound: str | None = None
    sound_message: str = ""


@dataclass(frozen=True)
class RecordingStatus:
    running: bool  # the recorder answers (its status is fresh)
    attached: bool  # re-attached to a recorder an earlier console started
    stopped: bool  # stopped on purpose (session end or console closed)
    pid: int | None
    cameras: tuple[CameraStatus, ...]
    segments: int  # recording.segment events chained into the session
    last_segment: str | None  # end time (ledger stamp) of the last chained segment
    alarms: tuple[str, ...]  # the alarm texts, Chinese / English
    process_alive: bool = False  # the recorder process exists (when not running: hung)

    @property
    def alarm(self) -> bool:
        return bool(self.alarms)


def recorder_pid(out: Path) -> int | None:
    """The pid of the recorder holding ``out``'s folder lock, or None when no recorder records there
    (-1: held by a process whose name cannot be read)."""
    holder = lock_holder(out)
    return None if holder is None else holder.pid


def stop_recorder(out: Path, timeout: float = 20.0) -> bool:
    """Stop whatever recorder records into ``out`` (one this process did not start): ask through the stop
    file, wait, and kill it only when the lock still names that very process (pid and start time). True
    when none records there any more."""
    holder = lock_holder(out)
    if holder is None:
        return True
    request_stop(out)
    deadline = time.monotonic() + timeout
    while lock_holder(out) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    holder = lock_holder(out)
    if holder is not None and holder.verified:
        log.warning("the recorder (pid %s) in %s did not stop when asked; killing it", holder.pid, out)
        with contextlib.suppress(OSError):
            os.kill(holder.pid, getattr(signal, "SIGKILL", signal.SIGTERM))
        while lock_holder(out) is not None and time.monotonic() < deadline + 5:
            time.sleep(0.05)
    return lock_holder(out) is None


def stop_orphans(sessions: Path, keep: Path | None = None) -> list[Path]:
    """Stop every recorder still recording into ``sessions/*/recording`` but ``keep``: recorders a console
    that crashed left for sessions no console has open (one console records one session at a time). The
    folders stopped; their events are chained into their session when it is opened again."""
    stopped = []
    for out in sorted(sessions.glob("*/recording")) if sessions.is_dir() else []:
        if keep is not None and out.resolve() == keep.resolve():
            continue
        holder = lock_holder(out)
        if holder is None:
            continue
        log.warning("a recorder (pid %s) still records into %s, a session no console has open: stopping it",
                    holder.pid, out)
        stop_recorder(out)
        stopped.append(out)
    return stopped


class RoomRecorder:
    """The recorder of one session: start or re-attach, chain its events, report its health, stop it."""

    def __init__(self, out: Path, settings: RecordingSettings, *, room: str, session: str) -> None:
        self.out, self.settings, self.room, self.session_id = Path(out), settings, room, session
        self.cameras = [c.name for c in settings.camera_list]
        self.process: RecorderProcess | None = None
        self.attached_pid: int | None = None
        self.reader = PreviewReader(self.out)
        self.stopped = False
        self._started_at = 0.0
        self._last_restart = 0.0
        self._follower: Any = None  # FeedFollower once the recorder key exists
        self._key_id: str | None = None
        self._lock = threading.Lock()
        self._segments = 0
        self._last_segment: str | None = None
        self._alarms: dict[str, str] = {}  # key -> text, the alarms raised now
        self._last_raw: dict[str, Any] | None = None
        self.alarm_log: deque[tuple[float, bool, str]] = deque(maxlen=200)  # (time, raised, text)

    # -- life ------------------------------------------------------------------------------------
    def _new_process(self) -> RecorderProcess:
        s = self.settings
        return RecorderProcess(self.out, s.camera_list, room=self.room, session=self.session_id, segment_s=s.segment_s,
                               size=s.size, fps=s.fps, stall_s=s.stall_s, min_free_mb=s.min_free_mb,
                               microphone=s.microphone, ends_with_parent=s.ends_with_console)

    def start(self) -> None:
        """Start the recorder, or adopt the one a crashed console left recording into the folder (its lock
        names it, checked against the real process). A recorder that must end with this console is never
        adopted: one found running is stopped and a recorder of our own started."""
        self.stopped = False
        self.out.mkdir(parents=True, exist_ok=True)
        holder = lock_holder(self.out)
        self._started_at = time.time()
        if holder is not None and (self.settings.ends_with_console or holder.parent is not None):
            log.warning("a recorder (pid %s) already records into %s but cannot end with this console; "
                        "stopping it to start one that does", holder.pid, self.out)
            stop_recorder(self.out)
            holder = lock_holder(self.out)
        if holder is not None:
            self.attached_pid, self.process = holder.pid, None
            log.info("adopted the recorder (pid %s, started %s) recording into %s", holder.pid,
                     datetime.fromtimestamp(holder.time).astimezone().isoformat(timespec="seconds"), self.out)
            return
        self.attached_pid = None
        if self.process is not None:  # one that died (killed, crashed): its pipe closed before it is replaced
            self.process.release()
        self.process = self._new_process()
        self.process.start()
        log.info("recorder started (pid %s) into %s", self.process.pid, self.out)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else self.attached_pid

    def alive(self) -> bool:
        """The recorder process exists (it may still be hung: see :meth:`status`)."""
        if self.process is not None:
            return self.process.alive()
        return recorder_pid(self.out) is not None

    def stop(self, session: Any = None, timeout: float = 20.0) -> None:
        """Ask the recorder to close its segments and stop; then chain what it wrote last into ``session``."""
        self.stopped = True
        if self.process is not None:
            self.process.stop(timeout)
        elif self.attached_pid is not None:
            stop_recorder(self.out, timeout)
        if session is not None:
            self.sync(session)
        log.info("recorder stopped (%s)", self.out)

    # -- the ledger (database thread) ------------------------------------------------------------
    def _resume_after(self, session: Any, key_id: str) -> int:
        state = session.state
        held = [r.get("recorder_seq", 0) for r in (*state.recordings, *state.faults) if r.get("recorder_key") == key_id]
        return max(held, default=0)

    def _count(self, session: Any) -> None:
        segments = [r for r in session.state.recordings if r.get("recorder_key") == self._key_id]
        with self._lock:
            self._segments = len(segments)
            self._last_segment = segments[-1].get("end") if segments else None

    def sync(self, session: Any) -> int:
        """Chain the recorder's new events into ``session`` (each exactly once); restart a recorder that
        died; stop it when the session has ended. Returns how many events were chained."""
        from app.recording.feed import FeedFollower, feed_path

        state = session.state
        if state.stage == "archived":  # it takes no more events (Room.end_recording() chains the last ones before)
            if not self.stopped:
                self.stop()
            return 0
        if self._follower is None:
            try:
                key = VerifyingKey.from_pem((self.out / KEYS / PUBLIC_KEY).read_bytes())
            except (OSError, ValueError):
                key = None
            if key is not None:
                self._key_id = key.key_id
                self._follower = FeedFollower(feed_path(self.out / "ledger", key),
                                              self._resume_after(session, key.key_id))
        chained = 0
        if self._follower is not None:
            for ev in self._follower.poll():
                if ev.type in CHAINED_TYPES and chain_to_session(session, ev) is not None:
                    chained += 1
            self._count(session)
        if state.terminated and not self.stopped:
            self.stop(session)  # chains what the recorder wrote last
            return chained
        if not self.stopped and not self.alive() and time.time() - self._last_restart >= RESTART_EVERY_S:
            self._last_restart = time.time()
            log.warning("the recorder has exited; starting it again (%s)", self.out)
            self.start()
        return chained

    # -- health (any thread) ---------------------------------------------------------------------
    def status(self) -> RecordingStatus:
        raw = self.reader.status()
        if raw.get("time") is None and (self.out / PREVIEW / STATUS_FILE).exists() and self._last_raw is not None:
            raw = self._last_raw  # read while being replaced: the last good one (its age still tells staleness)
            if raw.get("running") and time.time() - float(raw.get("time") or 0) > process.STALE_S:
                raw = {**raw, "running": False, "stale": True}
        elif raw.get("time") is not None:
            self._last_raw = raw
        cameras = []
        alarms: dict[str, str] = {}
        waiting = float(raw.get("time") or 0) < self._started_at
        for name in self.cameras:
            p = self.reader.latest(name)
            path = self.out / PREVIEW / f"{name}.jpg"
            state, message, alarm = p.state, p.message, p.alarm
            if self.stopped:
                state, message, alarm = "stopped", "录像已停止 / recording stopped", False
            elif waiting and time.time() - self._started_at < START_GRACE_S and not raw.get("stale"):
                state, message, alarm = "starting", "录像启动中 / the recorder is starting", False
            elif waiting and self.alive():
                state, message, alarm = "gone", "录像进程无响应 / the recorder does not respond", True
            elif waiting:
                state, message, alarm = "gone", "录像进程未运行 / the recorder is not running", True
            if alarm:
                if state == "gone":
                    alarms["gone"] = message or "录像进程无响应 / the recorder does not respond"
                elif state == "disk_low" or raw.get("disk_low"):
                    alarms["disk"] = message or "磁盘空间不足 / low disk space"
                else:
                    alarms[f"fault:{name}"] = f"摄像头 {name} 故障 / camera {name} fault: {message}"
            sound = raw.get("cameras", {}).get(name, {}).get("sound") if not waiting else None
            sound_state = str(sound.get("state", "starting")) if isinstance(sound, dict) else None
            sound_message = str(sound.get("message", "")) if isinstance(sound, dict) else ""
            if self.stopped or state in ("gone", "stopped", "ended"):
                sound_state = None if sound_state is None else "stopped"
            elif sound_state == "fault":
                alarms[f"sound:{name}"] = sound_message or f"摄像头 {name} 的麦克风无声音 / no sound on camera {name}"
            cameras.append(CameraStatus(name, state, message, path if p.jpeg is not None else None, p.time, alarm,
                                        sound_state, sound_message))
        self._log_alarms(alarms)
        with self._lock:
            segments, last = self._segments, self._last_segment
        return RecordingStatus(bool(raw.get("running")) and not self.stopped, self.attached_pid is not None,
                               self.stopped, self.pid, tuple(cameras), segments, last, tuple(alarms.values()),
                               self.alive())

    def _log_alarms(self, alarms: dict[str, str]) -> None:
        with self._lock:
            before, self._alarms = self._alarms, dict(alarms)
        changes = [(True, text) for key, text in alarms.items() if before.get(key) != text]
        changes += [(False, text) for key, text in before.items() if key not in alarms]
        for raised, text in changes:
            now = time.time()
            self.alarm_log.append((now, raised, text))
            if raised:
                log.warning("recording alarm: %s", text)
            else:
                log.info("recording alarm cleared: %s", text)
            try:
                (self.out / RUN).mkdir(parents=True, exist_ok=True)
                with (self.out / RUN / ALARM_LOG).open("a", encoding="utf-8") as handle:
                    stamp = datetime.fromtimestamp(now).astimezone().isoformat(timespec="seconds")
                    handle.write(f"{stamp} {'ALARM' if raised else 'CLEARED'} {text}\n")
            except OSError:
                pass  # a full disk is itself an alarm already shown

    def latest_photo(self, camera: str | None = None) -> bytes | None:
        """The recorder's latest picture of a camera (the first by default), for the check-in photo."""
        try:
            return (self.out / PREVIEW / f"{camera or self.cameras[0]}.jpg").read_bytes()
        except OSError:
            return None


# -- the check-in photo's face check, out of process ---------------------------------------------

@dataclass
class FaceChecker:
    """The one-face check of a JPEG in a worker process started on first use (it ends with the console)."""

    process: subprocess.Popen[bytes] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _worker(self) -> subprocess.Popen[bytes]:
        if self.process is None or self.process.poll() is not None:
            if self.process is not None:  # ended by itself: its pipes closed here, not left to the collector
                _close_pipes(self.process)
            root = Path(__file__).resolve().parents[2]
            self.process = subprocess.Popen([sys.executable, "-c",
                                             "from app.services.recording import face_worker; face_worker()"],
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=root)
        return self.process

    def check(self, jpeg: bytes) -> tuple[int, str]:
        """(faces found, the message for the desk); ValueError when the data is no picture."""
        with self._lock:
            worker = self._worker()
            assert worker.stdin is not None and worker.stdout is not None
            try:
                worker.stdin.write(struct.pack(">Q", len(jpeg)) + jpeg)
                worker.stdin.flush()
                line = worker.stdout.readline()
            except OSError as exc:
                raise RuntimeError(f"the face check worker stopped: {exc}") from exc
            if not line:
                raise RuntimeError(f"the face check worker stopped (exit code {worker.poll()})")
        answer = json.loads(line)
        if "error" in answer:
            raise ValueError(answer["error"])
        return int(answer["faces"]), str(answer["message"])

    def close(self) -> None:
        """End the worker (its stdin closed: it stops reading) and close both its pipes."""
        with self._lock:
            if self.process is not None:
                if self.process.stdin is not None:
                    self.process.stdin.close()
                try:
                    self.process.wait(5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
                _close_pipes(self.process)  # its stdout too (a ResourceWarning at collection otherwise)
                self.process = None


def _close_pipes(process: subprocess.Popen[bytes]) -> None:
    for pipe in (process.stdin, process.stdout):
        if pipe is not None:
            with contextlib.suppress(OSError):  # a broken pipe's flush on close: the worker ended
                pipe.close()


def face_worker() -> None:
    """The worker's loop: a length-prefixed JPEG in on stdin, one JSON line out per picture."""
    import cv2
    import numpy as np

    from app.recording.faces import check_photo

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        head = stdin.read(8)
        if len(head) < 8:
            return  # the console closed the pipe (or died)
        (size,) = struct.unpack(">Q", head)
        data = stdin.read(size)
        frame = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR) if data else None
        if frame is None:
            answer: dict[str, Any] = {"error": "照片无法解码 / the photo cannot be decoded"}
        else:
            check = check_photo(frame)
            answer = {"faces": len(check.faces), "message": check.message}
        stdout.write(json.dumps(answer, ensure_ascii=False).encode() + b"\n")
        stdout.flush()


__all__ = ["CameraConfig", "CameraStatus", "FaceChecker", "RecordingSettings", "RecordingStatus", "RoomRecorder",
           "recorder_pid"]
