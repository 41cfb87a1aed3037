"""Recorder settings and per-camera health, shared by the recorder and the commands that start it."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.archive.names import component_problem
from app.settings.cameras import DEFAULT_CAMERA as DEFAULT_CAMERA
from app.settings.cameras import CameraConfig as CameraConfig
from app.settings.cameras import MicrophoneConfig as MicrophoneConfig

#: FFmpeg's own MPEG-4 Part 2 encoder (LGPL); kept here so the folder layout loads without PyAV or OpenCV.
DEFAULT_CODEC = "mpeg4"

# The recording folder: DIR/segments, ledger, keys, preview, run (and DIR/run/stop asks the recorder to stop).
SEGMENTS, LEDGER, KEYS, PREVIEW, RUN = "segments", "ledger", "keys", "preview", "run"
STOP_FILE = "stop"

CAMERA_NAME = re.compile(r"[\w.-]+")
MAX_CAMERA_NAME = 40  # data/recording/segments/<name>/<name>-<stamp>-<n>.ts stays within a portable path
ALL = "*"

# Health states, as shown on the console and supervisor screens.
STARTING, RECORDING, FAULT, DISK_LOW, ENDED, STOPPED = "starting", "recording", "fault", "disk_low", "ended", "stopped"


@dataclass
class RecorderConfig:
    out: Path
    cameras: list[CameraConfig]
    room: str = "评标室"
    session: str = "recording"
    segment_s: float = 60.0
    width: int = 1280
    height: int = 720
    fps: float = 25.0
    codec: str = DEFAULT_CODEC
    bitrate: int | None = None
    stall_s: float = 3.0
    backoff_s: tuple[float, ...] = (0.5, 1.0, 2.0, 5.0, 10.0)
    min_free_bytes: int = 500 * 1024 * 1024
    disk_check_s: float = 2.0
    preview_fps: float = 2.0
    preview_width: int = 480
    open_timeout_s: float = 5.0
    microphone: MicrophoneConfig | None = None  # the room's sound, recorded into one camera's segments

    @property
    def sound_camera(self) -> str | None:
        """The camera whose segments carry the microphone's sound (None: no microphone)."""
        if self.microphone is None:
            return None
        return self.microphone.camera or self.cameras[0].name

    def __post_init__(self) -> None:
        names = [c.name for c in self.cameras]
        if not names:
            raise ValueError("no camera to record")
        if self.microphone is not None and self.microphone.camera is not None and self.microphone.camera not in names:
            raise ValueError(f"the microphone is given to camera {self.microphone.camera!r}, which is not recorded")
        for name in names:
            if not CAMERA_NAME.fullmatch(name) or name == ALL:
                raise ValueError(f"camera name {name!r} may hold only letters, digits, '.', '_' and '-'")
            # the name is a folder and a file name prefix of the archive: portable, and short enough for it
            problem = component_problem(name)
            if problem or len(name) > MAX_CAMERA_NAME:
                raise ValueError(f"camera name {name!r}: {problem or f'more than {MAX_CAMERA_NAME} characters'}")
        if len({n.casefold() for n in names}) != len(names):
            raise ValueError("two cameras have the same name (letter case aside)")
        if self.segment_s <= 0 or self.fps <= 0 or self.stall_s <= 0:
            raise ValueError("segment length, frame rate and stall time must be positive")
        if self.width < 16 or self.height < 16 or self.width % 2 or self.height % 2:
            raise ValueError(f"frame size {self.width}x{self.height} must be even and at least 16x16")


@dataclass
class CameraHealth:
    camera: str
    state: str = STARTING
    since: float = field(default_factory=time.time)  # epoch seconds
    message: str = ""
    frames: int = 0
    segments: int = 0
    last_frame: float | None = None
    #: the microphone's health when this camera carries the sound: state, message, since, microphone (else None)
    sound: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        out = dict(self.__dict__)
        if self.sound is not None:
            out["sound"] = dict(self.sound)
        return out
