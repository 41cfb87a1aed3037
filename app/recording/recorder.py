"""The recording loop: cameras → burnt-in overlay → crash-safe segments → the recorder's signed feed.

One :class:`Recorder` records the cameras of one room, one :class:`CameraWorker` thread each (plus a
reader thread per camera, so a camera that hangs inside ``read()`` cannot hang the recording). It never
raises out of its threads: every problem becomes an event.

Health (issue #5 §4): no frame for ``stall_s`` → the open segment is closed and chained, a
``recording.fault`` is written, the camera is reopened with back-off, and the first frame after that
writes ``recording.restored``. Free disk space below ``min_free_bytes`` → a ``recording.fault`` of kind
``disk_low`` for every camera (``camera: "*"``); frames are dropped (the preview goes on) until space is
back. A ``.part`` segment left by a crash is finalised at the next start and chained as recovered (one in
which nothing decodes is deleted and recorded as a ``segment_lost`` fault), followed by a ``recorder_crashed``
fault that covers the time the recorder was down; ``evalroom record --recover DIR`` does the same without
recording (:func:`recover_folder`).

Times in events are ledger stamps (UTC, µs); durations are integer milliseconds (events have no floats).
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from app.crypto.keys import SigningKey
from app.durable import write_atomically
from app.ledger.events import SignedEvent, parse_stamp, utc_stamp
from app.recording.audio import CAMERA as CAMERA_SOUND
from app.recording.audio import Chunk, SoundSource, describe, open_sound
from app.recording.config import (  # settings and health, re-exported here
    ALL,
    DISK_LOW,
    ENDED,
    FAULT,
    KEYS,
    LEDGER,
    PREVIEW,
    RECORDING,
    RUN,
    SEGMENTS,
    STARTING,
    STOP_FILE,
    STOPPED,
    CameraConfig,
    CameraHealth,
    MicrophoneConfig,
    RecorderConfig,
)
from app.recording.feed import KEY_FILE, RecorderFeed, feed_path, load_or_create_key, read_feed
from app.recording.overlay import Overlay, fit_frame
from app.recording.reader import CameraReader, SoundReader
from app.recording.sources import (
    Camera,
    PacketCamera,
    open_source,
    redact_source,
)
from app.recording.writer import (
    PART,
    SUFFIX,
    CopyWriter,
    SegmentInfo,
    SegmentWriter,
    WriteError,
    finalise_partial,
    parse_name,
)


def segment_body(info: SegmentInfo, codec: str, out: Path) -> dict[str, Any]:
    """A ``recording.segment`` event's body; ``file`` is relative to the recording folder ``out``."""
    body: dict[str, Any] = {
        "camera": info.camera, "file": info.path.relative_to(out).as_posix(), "start": utc_stamp(info.start),
        "end": utc_stamp(info.end), "frames": info.frames, "bytes": info.size, "sha256": info.sha256, "codec": codec,
        "recovered": info.recovered}
    if info.audio is not None:  # the sound it holds: codec, rate and samples (a segment without sound has no key)
        body["audio"] = dict(info.audio)
    return body


def fault_body(camera: str, kind: str, message: str, since: datetime, until: datetime | None = None,
               stream: str | None = None) -> dict[str, Any]:
    """A ``recording.fault`` event's body; ``until`` when the fault's end is known already (a lost segment);
    ``stream: "audio"`` for a fault of the sound only (the picture goes on: it covers no gap in the picture)."""
    body: dict[str, Any] = {"camera": camera, "kind": kind, "message": message, "since": utc_stamp(since)}
    if until is not None:
        body["until"] = utc_stamp(until)
    if stream is not None:
        body["stream"] = stream
    return body


class CameraWorker(threading.Thread):
    """Records one camera into segments until the recorder stops or the source ends."""

    def __init__(self, recorder: Recorder, config: CameraConfig, opener: Callable[[CameraConfig], Camera]) -> None:
        super().__init__(name=f"record-{config.name}", daemon=True)
        self.recorder, self.config, self.opener = recorder, config, opener
        self.stopping = recorder.stopping
        self.generation = 0
        rc = recorder.config
        # Two seconds of frames: enough to ride out a segment close (fsync + SHA-256) on a busy disk or a
        # starved CPU without dropping (a queue of 8 dropped 10 frames in 10 minutes at a load of 6-8 on two cores).
        self.queue: queue.Queue[tuple[int, tuple[str, Any]]] = queue.Queue(maxsize=max(8, round(2 * rc.fps)))
        self.health = CameraHealth(config.name)
        self.folder = rc.out / SEGMENTS / config.name
        self.overlay = Overlay(rc.room, config.name, rc.height)
        self.segment: Any = None  # SegmentWriter, or CopyWriter in copy mode
        self._copy_template: Any = None
        self._copy_codec = ""
        self.index = recorder.next_index(config.name)
        self.fault: SignedEvent | None = None
        self.fault_since: datetime | None = None
        self.last_error = ""
        self.write_fault: tuple[SignedEvent | None, datetime] | None = None
        self.last_written: datetime | None = None
        self._retry_at = 0.0
        self._preview_due = 0.0
        self._reader = CameraReader(self, 0)
        # -- sound: this camera's segments carry the room's microphone (RecorderConfig.sound_camera)
        self.microphone: MicrophoneConfig | None = rc.microphone if rc.sound_camera == config.name else None
        mic = self.microphone
        self.sound_copy = mic is not None and config.copy and mic.source == CAMERA_SOUND
        self.sound_queue: queue.Queue[tuple[int, Chunk]] = queue.Queue(maxsize=1024)  # ~20 s of sound
        self.sound_generation = 0
        self.sound_error = ""
        self.sound_fault: SignedEvent | None = None
        self.sound_fault_since: datetime | None = None
        self.sound_last = time.monotonic()
        self.sound_last_moment = datetime.now(UTC)
        self.sound_name = describe(mic.source) if mic is not None else ""
        self._sound_reader: SoundReader | None = None
        self._copy_audio_template: Any = None
        if mic is not None:
            self.health.sound = {"state": STARTING, "message": "", "since": time.time(), "microphone": self.sound_name}
            if not self.sound_copy:
                self._sound_reader = SoundReader(self, 0)

    def sound_opener(self) -> SoundSource:
        assert self.microphone is not None
        return self.recorder.sound_opener(self.microphone, self.config)

    def post_sound(self, generation: int, chunk: Chunk) -> None:
        while True:
            try:
                self.sound_queue.put_nowait((generation, chunk))
                return
            except queue.Full:
                try:
                    self.sound_queue.get_nowait()  # drop the oldest: a stuck worker loses sound, never memory
                    self.recorder.dropped_sound += 1
                except queue.Empty:
                    pass

    def post(self, generation: int, item: tuple[str, Any]) -> None:
        if self.config.copy:
            # An encoded stream loses no packet (a gap would break every frame up to the next keyframe):
            # the reader waits instead, and a live camera's own buffer absorbs the wait.
            while generation == self.generation and not self.stopping.is_set():
                try:
                    self.queue.put((generation, item), timeout=0.2)
                    return
                except queue.Full:
                    continue
            return
        while True:
            try:
                self.queue.put_nowait((generation, item))
                return
            except queue.Full:
                try:
                    self.queue.get_nowait()  # drop the oldest: a slow encoder loses frames, never memory
                    self.recorder.dropped += 1
                except queue.Empty:
                    pass

    def _set(self, state: str, message: str = "") -> None:
        if self.health.state != state or self.health.message != message:
            self.health.state, self.health.message, self.health.since = state, message, time.time()

    # -- segments --------------------------------------------------------------------------------
    def _close_segment(self) -> None:
        segment, self.segment = self.segment, None
        if segment is None:
            return
        if segment.frames == 0:
            segment.abort()
            segment.part.unlink(missing_ok=True)
            return
        try:
            info = segment.close()
        except WriteError as exc:
            self.recorder.fault(self.config.name, "write_error", str(exc), segment.last)
            return
        self.health.segments += 1
        codec = self._copy_codec if self.config.copy else self.recorder.config.codec
        self.recorder.chain_segment(info, codec)

    def _write(self, frame: np.ndarray, moment: datetime) -> None:
        rc = self.recorder.config
        if self.segment is not None and (moment - self.segment.start).total_seconds() >= rc.segment_s:
            self._drain_sound()  # the sound up to the boundary stays in the segment it belongs to
            self._close_segment()
        if self.segment is None:
            self.index += 1
            self.segment = SegmentWriter(self.folder, self.config.name, rc.room, moment, self.index, rc.width,
                                         rc.height, rc.fps, rc.codec, rc.bitrate, sound=self.microphone is not None)
        self.segment.write(frame, moment)

    # -- sound -----------------------------------------------------------------------------------
    def _heard(self) -> None:
        """Sound came: it ends a sound fault."""
        self.sound_last = time.monotonic()
        self.sound_last_moment = datetime.now(UTC)
        if self.sound_fault is not None or (self.health.sound or {}).get("state") != RECORDING:
            if self.sound_fault is not None:
                self.recorder.restored(self.config.name, self.sound_fault, self.sound_fault_since, stream="audio")
            self.sound_fault = self.sound_fault_since = None
            self._set_sound(RECORDING)

    def _set_sound(self, state: str, message: str = "") -> None:
        if self.health.sound is not None:
            self.health.sound.update({"state": state, "message": message, "since": time.time()})

    def _drain_sound(self) -> None:
        """The microphone's chunks waiting so far, into the open segment (none open: the picture is down, and
        so is the recording of its sound)."""
        while True:
            try:
                generation, chunk = self.sound_queue.get_nowait()
            except queue.Empty:
                return
            if generation != self.sound_generation:
                continue
            self._heard()
            if self.segment is not None:
                try:
                    self.segment.write_sound(chunk)
                except WriteError as exc:
                    self._write_failed(exc, chunk.moment)

    def _watch_sound(self, now: float) -> None:
        if self.microphone is None:
            return
        if not self.sound_copy:
            self._drain_sound()
        rc = self.recorder.config
        if self.sound_fault is None and now - self.sound_last >= rc.stall_s:
            name = self.sound_name
            detail = self.sound_error or f"{rc.stall_s:g} 秒无声音 / no sound for {rc.stall_s:g} s"
            message = f"麦克风 {name} 无声音 / no sound from the microphone {name}: {detail}"
            kind = "sound_lost" if self.sound_error else "sound_stalled"
            since = self.sound_last_moment
            self.sound_fault = self.recorder.fault(self.config.name, kind, message, since, stream="audio")
            self.sound_fault_since = since
            self._set_sound(FAULT, message)
        reader = self._sound_reader
        if self.sound_fault is not None and reader is not None:
            busy = reader.busy_since
            hung = busy is not None and now - busy >= 2 * rc.stall_s
            if hung or (not reader.is_alive() and not reader.ended):
                self.sound_generation += 1  # abandon a reader stuck in open()/read()
                self._sound_reader = SoundReader(self, self.sound_generation)
                self._sound_reader.start()

    # -- the loop --------------------------------------------------------------------------------
    def run(self) -> None:
        try:
            self._reader.start()
            if self._sound_reader is not None:
                self._sound_reader.start()
            self.sound_last = time.monotonic()
            while not self.stopping.is_set():
                try:
                    self._loop()
                    return
                except Exception as exc:  # noqa: BLE001 - a recorder thread never dies: it records why
                    self._abort_segment()
                    message = f"{type(exc).__name__}: {exc}"
                    since = datetime.now(UTC)
                    if self.fault is None:
                        self.fault = self.recorder.fault(self.config.name, "internal", message, since)
                        self.fault_since = since
                    self._set(FAULT, message)
                    self.stopping.wait(1.0)
        finally:
            with contextlib.suppress(Exception):
                self._close_segment()
            if self.health.state != ENDED:
                self._set(STOPPED)

    def _loop(self) -> None:
        rc = self.recorder.config
        last_frame = time.monotonic()
        last_moment = datetime.now(UTC)
        while not self.stopping.is_set():
            try:
                generation, (kind, payload) = self.queue.get(timeout=0.05)
            except queue.Empty:
                generation, kind, payload = -1, "", None
            if generation == self.generation and kind == "frame":
                frame, moment, mono = payload
                last_frame, last_moment = mono, moment
                self.health.frames += 1
                self.health.last_frame = moment.timestamp()
                if self.fault is not None:
                    self.recorder.restored(self.config.name, self.fault, self.fault_since)
                    self.fault = self.fault_since = None
                if self.config.copy:
                    self._copy(frame, moment, mono)
                    continue
                frame = fit_frame(frame, rc.width, rc.height)
                self.overlay.apply(frame, moment)
                self._preview(frame, mono)
                if self.recorder.disk_low.is_set():
                    self._close_segment()
                    self._set(DISK_LOW, "磁盘空间不足，暂停录像 / low disk space, recording paused")
                    continue
                if time.monotonic() < self._retry_at:
                    continue  # the disk refused the last write: drop frames for a second, then retry
                try:
                    self._write(frame, moment)
                except WriteError as exc:
                    self._write_failed(exc, moment)
                    continue
                self._written()
            elif generation == self.generation and kind == "audio":
                self._copy_sound(payload)
            elif generation == self.generation and kind == "error":
                self.last_error = payload
            elif generation == self.generation and kind == "end":
                self._close_segment()
                self.recorder.emit("recording.source_ended", {"camera": self.config.name, "time": utc_stamp()})
                self._set(ENDED, "视频文件结束 / end of the source")
                return
            now = time.monotonic()
            self._watch_sound(now)
            if self.fault is None and now - last_frame >= rc.stall_s:
                self._close_segment()
                kind = "lost" if self.last_error else "stalled"
                message = self.last_error or f"{rc.stall_s:g} 秒无画面 / no frame for {rc.stall_s:g} s"
                since = last_moment + timedelta(seconds=1 / rc.fps)
                self.fault, self.fault_since = self.recorder.fault(self.config.name, kind, message, since), since
                self._set(FAULT, message)
            if self.fault is not None:
                busy = self._reader.busy_since
                hung = busy is not None and now - busy >= 2 * rc.stall_s
                if hung or not self._reader.is_alive():
                    self.generation += 1  # abandon a reader stuck in open()/read(); its frames are ignored
                    self._reader = CameraReader(self, self.generation)
                    self._reader.start()

    def _copy(self, item: Any, moment: datetime, mono: float) -> None:
        """Stream copy: the packet goes into the segment as it came; only keyframes are decoded (preview,
        by the reader thread, which owns the input)."""
        rc = self.recorder.config
        packet, picture, template, audio_template = item
        if self.sound_copy and audio_template is None:
            self.sound_error = "摄像头的视频流没有声音轨道 / the camera's stream has no sound track"
        if picture is not None:
            self._preview(fit_frame(picture, rc.width, rc.height), mono)
        if self.recorder.disk_low.is_set():
            self._close_segment()
            self._set(DISK_LOW, "磁盘空间不足，暂停录像 / low disk space, recording paused")
            return
        if time.monotonic() < self._retry_at:
            return
        try:
            segment = self.segment
            if segment is not None and packet.is_keyframe and (moment - segment.start).total_seconds() >= rc.segment_s:
                self._close_segment()
                segment = None
            if segment is not None and self._copy_template is not template:  # reconnected: new stream parameters
                self._close_segment()
                segment = None
            if segment is None:
                if not packet.is_keyframe:
                    return  # a segment starts at a keyframe
                self.index += 1
                self.segment = segment = CopyWriter(
                    self.folder, self.config.name, rc.room, moment, self.index, template,
                    audio_template=audio_template if self.sound_copy else None,
                    sound=self.microphone is not None and not self.sound_copy)
                self._copy_template, self._copy_codec = template, template.codec_context.name
            if segment.write_packet(packet, moment):
                self._written()
        except WriteError as exc:
            self._write_failed(exc, moment)

    def _copy_sound(self, payload: Any) -> None:
        """A packet of the camera's own sound track (stream copy): into the open segment, as it came."""
        packet, _moment, _mono = payload
        if not self.sound_copy:
            return
        self._heard()
        segment = self.segment
        if isinstance(segment, CopyWriter):
            try:
                segment.write_audio_packet(packet)
            except WriteError as exc:
                self._write_failed(exc, _moment)

    def _write_failed(self, exc: WriteError, moment: datetime) -> None:
        """The disk refused the segment (full, removed): keep the ``.part`` for recovery, record the fault
        once, and try again a second later; the next frame written records ``recording.restored``."""
        segment, self.segment = self.segment, None
        if self.write_fault is None:
            since = self.last_written or moment
            self.write_fault = (self.recorder.fault(self.config.name, "write_error", str(exc), since), since)
        if segment is not None:
            segment.abort()
            try:  # what reached the disk is evidence: publish and chain it now if the disk lets us
                info, codec = finalise_partial(segment.part, segment.interval)
                if info.frames:
                    self.health.segments += 1
                    self.recorder.chain_segment(info, codec)
                else:
                    info.path.unlink(missing_ok=True)
            except (OSError, WriteError):
                pass  # the .part stays; the next start recovers it
        self._set(FAULT, str(exc))
        self._retry_at = time.monotonic() + 1.0

    def _written(self) -> None:
        self.last_written = datetime.now(UTC)
        if self.write_fault is not None:
            self.recorder.restored(self.config.name, *self.write_fault)
            self.write_fault = None
        self._set(RECORDING)

    def _abort_segment(self) -> None:
        segment, self.segment = self.segment, None
        if segment is not None:
            segment.abort()

    def _preview(self, frame: np.ndarray, mono: float) -> None:
        rc = self.recorder.config
        if rc.preview_fps <= 0 or mono < self._preview_due:
            return
        self._preview_due = mono + 1.0 / rc.preview_fps
        h = max(2, round(rc.preview_width * frame.shape[0] / frame.shape[1]))
        small = cv2.resize(frame, (rc.preview_width, h), interpolation=cv2.INTER_AREA)
        ok, data = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 70])
        if ok:
            self.recorder.publish_preview(self.config.name, data.tobytes())


class Recorder:
    """Records a room's cameras into ``config.out`` (segments/, ledger/, keys/, preview/, run/)."""

    def __init__(self, config: RecorderConfig, key: SigningKey | None = None,
                 opener: Callable[[CameraConfig], Camera] | None = None,
                 disk_free: Callable[[Path], int] | None = None,
                 on_event: Callable[[SignedEvent], None] | None = None,
                 sound_opener: Callable[[MicrophoneConfig, CameraConfig], SoundSource] | None = None) -> None:
        self.config = config
        out = config.out
        for sub in (SEGMENTS, LEDGER, KEYS, PREVIEW, RUN):
            (out / sub).mkdir(parents=True, exist_ok=True)
        self.key = key or load_or_create_key(out / KEYS)
        self.feed = RecorderFeed(out / LEDGER, self.key, config.session)
        self.opener = opener or self._open
        self.sound_opener = sound_opener or self._open_sound
        self.dropped_sound = 0
        self.disk_free = disk_free or (lambda p: shutil.disk_usage(p).free)
        self.on_event = on_event
        self.stopping = threading.Event()
        self.disk_low = threading.Event()
        self.dropped = 0
        self.stop_reason: str | None = None  # why whoever set ``stopping`` stopped it (recorder.stopped's reason)
        self._pending: list[tuple[str, dict[str, Any]]] = []
        self._emit_lock = threading.Lock()
        self.workers: list[CameraWorker] = []
        self._disk_fault: SignedEvent | None = None
        self._disk_since: datetime | None = None
        self._watch: threading.Thread | None = None
        self._started = False
        self._crash_since: datetime | None = None
        self.preview_lock = threading.Lock()
        self.previews: dict[str, tuple[bytes, float]] = {}

    # -- events ----------------------------------------------------------------------------------
    def emit(self, type_: str, body: dict[str, Any]) -> SignedEvent | None:
        """Append to the feed (events the disk refused wait, in order, for the next attempt)."""
        with self._emit_lock:
            self._pending.append((type_, body))
            written = None
            while self._pending:
                t, b = self._pending[0]
                try:
                    written = self.feed.append(t, b)
                except OSError as exc:
                    print(f"evalroom record: cannot write the feed yet ({exc.strerror}); will retry", file=sys.stderr)
                    return None
                self._pending.pop(0)
                if self.on_event is not None:
                    with contextlib.suppress(Exception):  # a listener never stops the recording
                        self.on_event(written)
            return written

    def chain_segment(self, info: SegmentInfo, codec: str) -> SignedEvent | None:
        return self.emit("recording.segment", segment_body(info, codec, self.config.out))

    def fault(self, camera: str, kind: str, message: str, since: datetime,
              until: datetime | None = None, stream: str | None = None) -> SignedEvent | None:
        return self.emit("recording.fault", fault_body(camera, kind, message, since, until, stream))

    def restored(self, camera: str, fault: SignedEvent | None, since: datetime | None,
                 stream: str | None = None) -> SignedEvent | None:
        now = datetime.now(UTC)
        body: dict[str, Any] = {"camera": camera, "fault": fault.id if fault else None, "time": utc_stamp(now)}
        if stream is not None:
            body["stream"] = stream
        if since is not None:
            body["down_ms"] = max(0, int((now - since).total_seconds() * 1000))
        return self.emit("recording.restored", body)

    # -- files -----------------------------------------------------------------------------------
    def next_index(self, camera: str) -> int:
        folder = self.config.out / SEGMENTS / camera
        indexes = [parsed[2] for p in folder.glob(f"*{SUFFIX}*") if (parsed := parse_name(p))]
        return max(indexes, default=0)

    def publish_preview(self, camera: str, jpeg: bytes) -> None:
        now = time.time()
        with self.preview_lock:
            self.previews[camera] = (jpeg, now)
        with contextlib.suppress(OSError):  # a full disk: the in-process preview still works
            write_atomically(self.config.out / PREVIEW / f"{camera}.jpg", jpeg)

    def health(self) -> dict[str, dict[str, Any]]:
        return {w.config.name: w.health.as_dict() for w in self.workers}

    def _write_status(self) -> None:
        status = {"time": time.time(), "pid": os.getpid(), "running": not self.stopping.is_set(),
                  "disk_low": self.disk_low.is_set(), "dropped": self.dropped, "cameras": self.health()}
        try:
            import json

            write_atomically(self.config.out / PREVIEW / "status.json", json.dumps(status, ensure_ascii=False).encode())
        except OSError:
            pass

    def _open_sound(self, microphone: MicrophoneConfig, camera: CameraConfig) -> SoundSource:
        return open_sound(microphone.source, camera.source, timeout_s=self.config.open_timeout_s,
                          loop=microphone.loop or camera.loop)

    def _open(self, camera: CameraConfig) -> Camera:
        rc = self.config
        if camera.copy:
            mic = rc.microphone
            sound = mic is not None and rc.sound_camera == camera.name and mic.source == CAMERA_SOUND
            return PacketCamera(camera.source, timeout_s=rc.open_timeout_s, loop=camera.loop, sound=sound)
        return open_source(camera.source, width=rc.width, height=rc.height, fps=rc.fps, loop=camera.loop,
                           timeout_s=rc.open_timeout_s)

    # -- life ------------------------------------------------------------------------------------
    def recover(self, previous: list[SignedEvent]) -> list[SegmentInfo]:
        """Finalise the ``.part`` segments a crash left, chain them (recovered) and, when the last run
        (``previous``: the feed before this run) never stopped, write the fault that covers the time the
        recorder was down."""
        crashed = _crashed(previous)
        infos = close_out_parts(self.config.out, timedelta(seconds=1 / self.config.fps), self.chain_segment, self.fault)
        if crashed:
            last_seen = max([parse_stamp(previous[-1].time)] + [i.end for i in infos])
            self.fault(ALL, "recorder_crashed", "录像程序意外终止 / the recorder stopped without closing", last_seen)
            self._crash_since = last_seen
        else:
            self._crash_since = None
        return infos

    def start(self) -> None:
        rc = self.config
        self.stopping.clear()
        previous = list(self.feed.events)
        self.emit("recorder.started", {
            "room": rc.room,
            "cameras": [{"name": c.name, "source": redact_source(c.source), "copy": c.copy} for c in rc.cameras],
            "segment_ms": int(rc.segment_s * 1000), "stall_ms": int(rc.stall_s * 1000), "fps": str(rc.fps),
            "size": f"{rc.width}x{rc.height}", "codec": rc.codec, "pid": os.getpid(),
            **({"microphone": {"source": redact_source(rc.microphone.source), "camera": rc.sound_camera}}
               if rc.microphone is not None else {}),
        })
        self.recover(previous)
        if self._crash_since is not None:
            crash = self.feed.last if self.feed.last and self.feed.last.type == "recording.fault" else None
            self.restored(ALL, crash, self._crash_since)
        self.workers = [CameraWorker(self, c, self.opener) for c in rc.cameras]
        self._check_disk()
        for worker in self.workers:
            worker.start()
        self._watch = threading.Thread(target=self._watch_loop, name="recorder-watch", daemon=True)
        self._watch.start()
        self._started = True

    def _check_disk(self) -> None:
        rc = self.config
        try:
            free = self.disk_free(rc.out)
        except OSError:
            return
        if free < rc.min_free_bytes and not self.disk_low.is_set():
            self.disk_low.set()
            self._disk_since = datetime.now(UTC)
            message = (f"磁盘空间不足 / low disk space: {free // (1024 * 1024)} MiB free, "
                       f"{rc.min_free_bytes // (1024 * 1024)} MiB needed")
            self._disk_fault = self.fault(ALL, "disk_low", message, self._disk_since)
        elif free >= rc.min_free_bytes * 1.1 and self.disk_low.is_set():
            self.disk_low.clear()
            self.restored(ALL, self._disk_fault, self._disk_since)
            self._disk_fault = self._disk_since = None

    def _watch_loop(self) -> None:
        rc = self.config
        next_disk = 0.0
        while not self.stopping.wait(0.25):
            if time.monotonic() >= next_disk:
                self._check_disk()
                next_disk = time.monotonic() + rc.disk_check_s
            self._write_status()
            if (rc.out / RUN / STOP_FILE).exists():
                self.stopping.set()

    def running(self) -> bool:
        return self._started and not self.stopping.is_set() and any(w.is_alive() for w in self.workers)

    def stop(self, reason: str = "stopped") -> None:
        if not self._started:
            return
        self.stopping.set()
        for worker in self.workers:
            worker.join(timeout=15)
        if self._watch is not None:
            self._watch.join(timeout=5)
        if self.disk_low.is_set():
            self.disk_low.clear()
            self.restored(ALL, self._disk_fault, self._disk_since)
        self.emit("recorder.stopped", {"reason": reason, "dropped": self.dropped,
                                       **({"dropped_sound": self.dropped_sound} if self.dropped_sound else {}),
                                       "segments": sum(w.health.segments for w in self.workers)})
        self._write_status()
        (self.config.out / RUN / STOP_FILE).unlink(missing_ok=True)
        self.feed.close()
        self._started = False

    def run(self, seconds: float | None = None) -> None:
        """Record for ``seconds`` (None: until :meth:`stop`, a stop file, or every source ended). A stop asked
        for before the recording started (the console closing at once) is kept: the recorder starts (recovering
        what a crash left), then stops. A stale stop file is removed by whoever starts the recorder, never here."""
        asked_to_stop = self.stopping.is_set()
        self.start()
        if asked_to_stop:
            self.stopping.set()
        deadline = None if seconds is None else time.monotonic() + seconds
        reason = "stopped"
        try:
            while not self.stopping.is_set():
                if deadline is not None and time.monotonic() >= deadline:
                    reason = "duration reached"
                    break
                if not any(w.is_alive() for w in self.workers):
                    reason = "every source ended"
                    break
                self.stopping.wait(0.05)
        finally:
            self.stop(self.stop_reason if reason == "stopped" and self.stop_reason else reason)


def _last_start(events: list[SignedEvent]) -> int:
    for index in range(len(events) - 1, -1, -1):
        if events[index].type == "recorder.started":
            return index
    return 0


def _crashed(previous: list[SignedEvent]) -> bool:
    """The last run of a feed never wrote ``recorder.stopped`` (killed, or the machine lost power)."""
    return bool(previous) and not any(ev.type == "recorder.stopped" for ev in previous[_last_start(previous):])


def close_out_parts(out: Path, interval: timedelta, chain: Callable[[SegmentInfo, str], Any],
                    fault: Callable[[str, str, str, datetime, datetime | None], Any]) -> list[SegmentInfo]:
    """Every ``.part`` under ``out/segments``: what decodes of it becomes a closed segment (published,
    hashed, chained as recovered); a part in which not one frame decodes holds no picture, so it is not
    passed off as a segment: it is deleted and a ``segment_lost`` fault records its name, size and the
    time it spanned (from its name to its last write). Parts that cannot be read stay for a later attempt."""
    infos = []
    for part in sorted((out / SEGMENTS).glob(f"*/*{SUFFIX}{PART}")):
        try:
            size, written = part.stat().st_size, datetime.fromtimestamp(part.stat().st_mtime, UTC)
            info, codec = finalise_partial(part, interval)
        except (OSError, WriteError) as exc:
            print(f"evalroom record: cannot recover {part.name}: {exc}", file=sys.stderr)
            continue
        if info.frames:
            infos.append(info)
            chain(info, codec)
            continue
        with contextlib.suppress(OSError):
            info.path.unlink()
        message = (f"未完成的分段 {part.name} 无可解码的画面，已删除 / the unfinished segment {part.name} "
                   f"({size} bytes) holds no frame that decodes: discarded")
        fault(info.camera, "segment_lost", message, info.start, max(info.start, written))
    return infos


@dataclass
class Recovery:
    """What ``evalroom record --recover`` did."""

    crashed: bool  # the last run never stopped
    segments: list[SegmentInfo]  # the unfinished segments closed out
    discarded: int  # unfinished segments in which nothing decodes
    events: list[SignedEvent]  # what was written to the feed (nothing when there was nothing to do)


def recover_folder(out: Path, key: SigningKey | None = None) -> Recovery:
    """Close out what a recorder that crashed left in ``out``, without recording anything (hold the folder
    lock, :func:`app.recording.process.exclusive`, around it). It is written as a run of its own, so the
    recorder started later finds a closed run: ``recorder.started`` (``"mode": "recover"``, no camera), the
    recovered segments and ``segment_lost`` faults of :func:`close_out_parts`, the ``recorder_crashed``
    fault from the crashed run's last event on (its message says it was closed out by ``--recover``; a
    fault that no ``recording.restored`` ends covers the time up to the end of its run), then
    ``recorder.stopped``. Raises ValueError when ``out`` holds no recorder key."""
    if not (out / KEYS / KEY_FILE).is_file():
        raise ValueError(f"{out}: no {KEYS}/{KEY_FILE} (not a folder written by evalroom record)")
    key = key or load_or_create_key(out / KEYS)
    previous = read_feed(feed_path(out / LEDGER, key.public), repair=True)
    crashed = _crashed(previous)
    parts = sorted((out / SEGMENTS).glob(f"*/*{SUFFIX}{PART}"))
    if not crashed and not parts:
        return Recovery(False, [], 0, [])
    started = next((ev.body for ev in reversed(previous) if ev.type == "recorder.started"), {})
    try:
        fps = float(started.get("fps", "25"))
    except (TypeError, ValueError):
        fps = 25.0
    feed = RecorderFeed(out / LEDGER, key, previous[0].session if previous else "recording")
    written: list[SignedEvent] = []

    def emit(type_: str, body: dict[str, Any]) -> SignedEvent:
        ev = feed.append(type_, body)
        written.append(ev)
        return ev

    def chain(info: SegmentInfo, codec: str) -> None:
        emit("recording.segment", segment_body(info, codec, out))

    def fault(camera: str, kind: str, message: str, since: datetime, until: datetime | None = None) -> None:
        emit("recording.fault", fault_body(camera, kind, message, since, until))

    try:
        emit("recorder.started", {**{k: v for k, v in started.items() if k not in ("cameras", "pid")},
                                  "cameras": [], "mode": "recover", "pid": os.getpid()})
        infos = close_out_parts(out, timedelta(seconds=1 / max(0.5, fps)), chain, fault)
        discarded = sum(1 for ev in written if ev.type == "recording.fault")
        if crashed:
            last_seen = max([parse_stamp(previous[-1].time)] + [i.end for i in infos])
            message = ("录像程序意外终止，已由 evalroom record --recover 收尾 / "
                       "the recorder stopped without closing; closed out by evalroom record --recover")
            fault(ALL, "recorder_crashed", message, last_seen, None)
        emit("recorder.stopped", {"reason": "recovered after a crash" if crashed else "unfinished segments recovered",
                                  "dropped": 0, "segments": len(infos)})
    finally:
        feed.close()
    return Recovery(crashed, infos, discarded, written)
