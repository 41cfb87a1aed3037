"""Small recordings for the tests: tiny frames, short segments, fast fault detection."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from app.recording.recorder import CameraConfig, Recorder, RecorderConfig
from app.recording.sources import CameraError, Paced, SyntheticCamera


def config(out: Path, cameras: tuple[str, ...] = ("cam1",), **overrides: Any) -> RecorderConfig:
    values: dict[str, Any] = dict(out=out, cameras=[CameraConfig(name, "synthetic") for name in cameras],
                                  room="第一评标室", segment_s=1.0, width=160, height=120, fps=10.0, stall_s=0.6,
                                  backoff_s=(0.1, 0.2, 0.4), disk_check_s=0.1, preview_fps=4.0, preview_width=80)
    values.update(overrides)
    return RecorderConfig(**values)


def record(out: Path, seconds: float, **kwargs: Any) -> Recorder:
    opener = kwargs.pop("opener", None)
    disk_free = kwargs.pop("disk_free", None)
    recorder = Recorder(config(out, **kwargs), opener=opener, disk_free=disk_free)
    recorder.run(seconds)
    return recorder


class Outage:
    """A camera that is gone between ``start`` and ``end`` seconds after it was first opened.

    ``mode="error"``: open and read fail (unplugged); ``mode="hang"``: a read made during the outage
    blocks for good (a stuck RTSP connection never recovers by itself: only a reconnection helps, so the
    test does not depend on which comes first), and opening fails until the outage ends. ``release()``
    ends the stuck reads when the test is over.
    """

    def __init__(self, start: float, end: float, mode: str = "error", fps: float = 10.0) -> None:
        self.t0: float | None = None  # the clock starts at the first open (a slow recorder start shifts nothing)
        self.start, self.end, self.mode, self.fps = start, end, mode, fps
        self.opens = 0
        self.released = threading.Event()

    def release(self) -> None:
        self.released.set()

    def down(self) -> bool:
        return self.t0 is not None and self.start <= time.monotonic() - self.t0 < self.end

    def __call__(self, camera_config: CameraConfig) -> Paced:
        if self.t0 is None:
            self.t0 = time.monotonic()
        if self.down():
            raise CameraError("摄像头无法打开 / cannot open camera: unplugged")
        self.opens += 1
        outage = self

        class Camera(SyntheticCamera):
            def read(self) -> np.ndarray:
                if outage.down():
                    if outage.mode == "hang":
                        outage.released.wait()
                        raise CameraError("连接已关闭 / connection closed")
                    raise CameraError("摄像头无画面 / no frame: unplugged")
                return super().read()

        return Paced(Camera(160, 120, name=camera_config.name), self.fps)


def events(recorder: Recorder, type_: str) -> list[Any]:
    return [ev for ev in recorder.feed.events if ev.type == type_]
