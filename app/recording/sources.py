"""Camera sources behind one interface: a device index, a file or URL (OpenCV), or ``synthetic``.

The synthetic camera is used whenever no camera exists: a moving test pattern with a clock and a
stand-in person, so every flow that needs a picture (check-in photo, preview, recording) still runs.
"""

from __future__ import annotations

import math
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from app.paths import RESOURCES

SYNTHETIC = "synthetic"
FACE_IMAGE = RESOURCES / "camera" / "synthetic-face.jpg"


class CameraError(RuntimeError):
    """The camera cannot be opened or stopped delivering frames."""


class Camera(Protocol):
    name: str

    def read(self) -> np.ndarray:
        """The next frame (BGR, uint8); raises :class:`CameraError` when none comes."""

    def close(self) -> None: ...


class SyntheticCamera:
    """A test pattern with a moving bar, the time, and a face photo (for the check-in desk)."""

    def __init__(self, width: int = 640, height: int = 480, faces: int = 1, name: str = "synthetic") -> None:
        self.name = name
        self.width, self.height, self.faces = width, height, faces
        face = cv2.imread(str(FACE_IMAGE))
        if face is None:
            raise CameraError(f"the synthetic camera's image is missing: {FACE_IMAGE}")
        side = min(height - 40, width // max(faces, 1) - 20)
        self._face = cv2.resize(face, (side, side))
        self._frame_no = 0

    def read(self) -> np.ndarray:
        frame = np.zeros((self.height, self.width, 3), np.uint8)
        frame[:] = (64, 56, 48)
        stripe = int((self._frame_no * 7) % self.width)
        cv2.rectangle(frame, (stripe, 0), (min(stripe + 12, self.width - 1), self.height - 1), (90, 120, 150), -1)
        side = self._face.shape[0]
        gap = (self.width - self.faces * side) // (self.faces + 1)
        for index in range(self.faces):
            x = gap + index * (side + gap)
            y = (self.height - side) // 2 + int(4 * math.sin(self._frame_no / 10))
            frame[y : y + side, x : x + side] = self._face
        stamp = datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S")
        cv2.putText(frame, f"SYNTHETIC {stamp} #{self._frame_no}", (10, self.height - 12),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.5, (230, 230, 230), 1, cv2.LINE_AA)
        self._frame_no += 1
        return frame

    def close(self) -> None:
        pass


class OpenCVCamera:
    """A device index, a video file or an rtsp:// / http:// URL through OpenCV's FFmpeg backend."""

    def __init__(self, source: str | int, timeout_s: float = 5.0) -> None:
        self.name = str(source)
        if isinstance(source, str) and "://" not in source and not Path(source).exists():
            raise CameraError(f"摄像头无法打开：文件不存在 / cannot open camera {source!r}: no such file")
        self._capture = cv2.VideoCapture(source)
        deadline = time.monotonic() + timeout_s
        while not self._capture.isOpened() and time.monotonic() < deadline:
            time.sleep(0.1)
        if not self._capture.isOpened():
            raise CameraError(f"摄像头无法打开 / cannot open camera {source!r}")

    def read(self) -> np.ndarray:
        ok, frame = self._capture.read()
        if not ok or frame is None:
            raise CameraError(f"摄像头无画面 / no frame from camera {self.name!r}")
        return frame

    def close(self) -> None:
        self._capture.release()


def open_camera(source: str) -> Camera:
    """``synthetic``, a device index (``"0"``), a file path or a URL."""
    if source == SYNTHETIC:
        return SyntheticCamera()
    return OpenCVCamera(int(source) if source.isdigit() else source)


def open_camera_or_synthetic(source: str | None) -> tuple[Camera, str | None]:
    """The configured camera, or the synthetic one with the reason when it cannot be opened."""
    if not source or source == SYNTHETIC:
        return SyntheticCamera(), None
    try:
        return open_camera(source), None
    except CameraError as exc:
        return SyntheticCamera(), str(exc)
