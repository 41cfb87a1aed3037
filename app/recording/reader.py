"""A camera's reader thread: opens the camera (with back-off) and reads frames into its worker's queue.

A reader of its own per camera means a camera that hangs inside ``open()``/``read()`` cannot hang the
recording: the worker (:class:`app.recording.recorder.CameraWorker`) abandons a reader that has been
busy too long and starts a new *generation*; frames of an abandoned reader are ignored.
"""

from __future__ import annotations

import contextlib
import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from app.recording.sources import CameraError, EndOfStream

if TYPE_CHECKING:
    from app.recording.recorder import CameraWorker


class CameraReader(threading.Thread):
    """Opens the camera (with back-off) and reads frames into the worker's queue."""

    def __init__(self, worker: CameraWorker, generation: int) -> None:
        super().__init__(name=f"camera-{worker.config.name}-{generation}", daemon=True)
        self.worker, self.generation = worker, generation
        self.busy_since: float | None = None  # monotonic time a blocking open/read began
        self.camera: Any = None  # the open camera
        self._preview_due = 0.0

    def _current(self) -> bool:
        return self.generation == self.worker.generation and not self.worker.stopping.is_set()

    def run(self) -> None:
        worker, attempt, camera = self.worker, 0, None
        try:
            while self._current():
                if camera is None:
                    self.busy_since = time.monotonic()
                    try:
                        camera = worker.opener(worker.config)
                        self.camera = camera
                        attempt = 0
                    except CameraError as exc:
                        worker.post(self.generation, ("error", str(exc)))
                        backoff = worker.recorder.config.backoff_s
                        delay = backoff[min(attempt, len(backoff) - 1)]
                        attempt += 1
                        self.busy_since = None
                        worker.stopping.wait(delay)
                        continue
                    finally:
                        self.busy_since = None
                self.busy_since = time.monotonic()
                try:
                    frame: Any = camera.read()
                except EndOfStream:
                    worker.post(self.generation, ("end", ""))
                    return
                except CameraError as exc:
                    worker.post(self.generation, ("error", str(exc)))
                    close_camera(camera)
                    camera = None
                    continue
                finally:
                    self.busy_since = None
                moment, mono = datetime.now(UTC), time.monotonic()
                if worker.config.copy and frame.stream.type == "audio":  # the camera's own sound track
                    worker.post(self.generation, ("audio", (frame, moment, mono)))
                    continue
                if worker.config.copy:  # a packet: decode a keyframe for the preview here, in the owning thread
                    picture = None
                    if mono >= self._preview_due and hasattr(camera, "preview"):
                        picture = camera.preview(frame)
                        if picture is not None:
                            self._preview_due = mono + 1.0 / max(0.1, worker.recorder.config.preview_fps)
                    frame = (frame, picture, getattr(camera, "template", None), getattr(camera, "audio_template", None))
                worker.post(self.generation, ("frame", (frame, moment, mono)))
        finally:
            if camera is not None:
                close_camera(camera)


def close_camera(camera: Any) -> None:
    with contextlib.suppress(Exception):  # a broken camera may fail to close too
        camera.close()


class SoundReader(threading.Thread):
    """Opens the microphone (with back-off) and reads its chunks into the carrying camera's worker
    (``worker.sound_queue``); like :class:`CameraReader`, a reader stuck in a read is abandoned for a new
    generation by the worker."""

    def __init__(self, worker: CameraWorker, generation: int) -> None:
        super().__init__(name=f"sound-{worker.config.name}-{generation}", daemon=True)
        self.worker, self.generation = worker, generation
        self.busy_since: float | None = None
        self.ended = False  # a sound file used as the microphone came to its end: not reopened

    def _current(self) -> bool:
        return self.generation == self.worker.sound_generation and not self.worker.stopping.is_set()

    def run(self) -> None:
        from app.recording.audio import MicrophoneError, SoundEnded

        worker, attempt, source = self.worker, 0, None
        try:
            while self._current():
                if source is None:
                    self.busy_since = time.monotonic()
                    try:
                        source = worker.sound_opener()
                        attempt = 0
                    except MicrophoneError as exc:
                        worker.sound_error = str(exc)
                        backoff = worker.recorder.config.backoff_s
                        worker.stopping.wait(backoff[min(attempt, len(backoff) - 1)])
                        attempt += 1
                        continue
                    finally:
                        self.busy_since = None
                self.busy_since = time.monotonic()
                try:
                    chunk = source.read()
                except MicrophoneError as exc:
                    worker.sound_error = str(exc)
                    close_camera(source)
                    source = None
                    if isinstance(exc, SoundEnded):  # a stand-in file ended: the sound stops for good
                        self.ended = True
                        return
                    continue
                finally:
                    self.busy_since = None
                if self._current():
                    worker.post_sound(self.generation, chunk)
        finally:
            if source is not None:
                close_camera(source)
