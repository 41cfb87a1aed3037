"""Small recordings for the tests: tiny frames, short segments, fast fault detection."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from app.recording.recorder import CameraConfig, Recorder, RecorderConfig
from app.recording.sources import CameraError, Paced, SyntheticCamera


def config(out: Path, cameras: tuple[str, ...] = ("cam1",), **overrides: Any) -> RecorderConfig:
    values: dict[str, Any] = dict(out=out, cameras=[CameraConfig(name, "synthetic") for name in cameras], room="第一评标室",
                                  segment_s=1.0, width=160, height=120, fps=10.0, stall_s=0.6, backoff_s=(0.1, 0.2, 0.4),
                                  disk_check_s=0.1, preview_fps=4.0, preview_width=80)
    values.update(overrides)
    return RecorderConfig(**values)


def record(out: Path, seconds: float, **kwargs: Any) -> Recorder:
    opener = kwargs.pop("opener", None)
    disk_free = kwargs.pop("disk_free", None)
    recorder = Recorder(config(out, **kwargs), opener=opener, disk_free=disk_free)
    recorder.run(seconds)
    return recorder


class Outage:
    """A camera that is gone between ``start`` and ``end`` seconds after creation.

    ``mode="error"``: open and read fail (unplugged); ``mode="hang"``: a read blocks until the outage
    ends (a stuck RTSP connection), and opening fails meanwhile.
    """

    def __init__(self, start: float, end: float, mode: str = "error", fps: float = 10.0) -> None:
        self.t0 = time.monotonic()
        self.start, self.end, self.mode, self.fps = start, end, mode, fps
        self.opens = 0

    def down(self) -> bool:
        return self.start <= time.monotonic() - self.t0 < self.end

    def __call__(self, camera_config: CameraConfig) -> Paced:
        if self.down():
            raise CameraError("摄像头无法打开 / cannot open camera: unplugged")
        self.opens += 1
        outage = self

        class Camera(SyntheticCamera):
            def read(self) -> np.ndarray:
                if outage.down():
                    if outage.mode == "hang":
                        while outage.down():
                            time.sleep(0.05)
                    else:
                        raise CameraError("摄像头无画面 / no frame: unplugged")
                return super().read()

        return Paced(Camera(160, 120, name=camera_config.name), self.fps)


def events(recorder: Recorder, type_: str) -> list[Any]:
    return [ev for ev in recorder.feed.events if ev.type == type_]
