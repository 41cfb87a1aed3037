"""Camera sources behind one interface: a device index, a file or URL (OpenCV), or ``synthetic``.

The synthetic camera is used whenever no camera exists: a moving test pattern with a clock and a
stand-in person, so every flow that needs a picture (check-in photo, preview, recording) still runs.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from app.errors import EvalRoomError
from app.paths import RESOURCES
from app.settings.cameras import COPY_CODECS, CameraConfig

SYNTHETIC = "synthetic"
FACE_IMAGE = RESOURCES / "camera" / "synthetic-face.jpg"


class CameraError(EvalRoomError, RuntimeError):
    """The camera cannot be opened or stopped delivering frames."""


class EndOfStream(CameraError):
    """A file source reached its end (not a fault: the recording of that camera is complete)."""


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
        side = max(4, min(side, height, width // max(faces, 1)))  # tiny test frames still get a face
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
        stamp = datetime.now(UTC).astimezone().strftime("%Y-%m-%d %H:%M:%S")
        cv2.putText(frame, f"SYNTHETIC {stamp} #{self._frame_no}", (10, self.height - 12),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.5, (230, 230, 230), 1, cv2.LINE_AA)
        self._frame_no += 1
        return frame

    def close(self) -> None:
        pass


class OpenCVCamera:
    """A device index, a video file or an rtsp:// / http:// URL through OpenCV's FFmpeg backend."""

    def __init__(self, source: str | int, timeout_s: float = 5.0, loop: bool = False) -> None:
        self.name = str(source)
        self.is_file = isinstance(source, str) and "://" not in source
        self.loop = loop and self.is_file
        if isinstance(source, str) and "://" not in source and not Path(source).exists():
            raise CameraError(f"摄像头无法打开：文件不存在 / cannot open camera {source!r}: no such file")
        self._capture = cv2.VideoCapture(source)
        deadline = time.monotonic() + timeout_s
        while not self._capture.isOpened() and time.monotonic() < deadline:
            time.sleep(0.1)
        if not self._capture.isOpened():
            raise CameraError(f"摄像头无法打开 / cannot open camera {source!r}")

    @property
    def fps(self) -> float:
        """The rate the source reports (25 when it reports nothing usable)."""
        value = float(self._capture.get(cv2.CAP_PROP_FPS) or 0.0)
        return value if 1.0 <= value <= 240.0 else 25.0

    def read(self) -> np.ndarray:
        ok, frame = self._capture.read()
        if (not ok or frame is None) and self.loop:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._capture.read()
        if not ok or frame is None:
            if self.is_file:
                raise EndOfStream(f"视频文件已播放完 / no frame: end of file {self.name!r}")
            raise CameraError(f"摄像头无画面 / no frame from camera {self.name!r}")
        return frame

    def close(self) -> None:
        self._capture.release()


class Paced:
    """Delivers a camera's frames no faster than ``fps`` (files and the synthetic camera read as fast as
    the CPU allows; a real camera paces itself). A late reader is not made up for with a burst."""

    def __init__(self, camera: Camera, fps: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.camera, self.fps = camera, fps
        self.name = camera.name
        self._clock, self._sleep = clock, sleep
        self._due: float | None = None

    def read(self) -> np.ndarray:
        now = self._clock()
        if self._due is None or now - self._due > 1.0 / self.fps:
            self._due = now
        elif self._due > now:
            self._sleep(self._due - now)
        self._due += 1.0 / self.fps
        return self.camera.read()

    def close(self) -> None:
        self.camera.close()


def open_camera(source: str) -> Camera:
    """``synthetic``, a device index (``"0"``), a file path or a URL."""
    if source == SYNTHETIC:
        return SyntheticCamera()
    return OpenCVCamera(int(source) if source.isdigit() else source)


def open_source(source: str, *, width: int = 640, height: int = 480, fps: float = 25.0,
                loop: bool = False, timeout_s: float = 5.0) -> Camera:
    """A camera for recording: ``synthetic`` and files are paced to their real frame rate (a file at the
    rate it declares); a device index or an rtsp:// / http:// URL paces itself. Raises CameraError."""
    if source == SYNTHETIC:
        return Paced(SyntheticCamera(width, height), fps)
    camera = OpenCVCamera(int(source) if source.isdigit() else source, timeout_s=timeout_s, loop=loop)
    if camera.is_file:
        return Paced(camera, camera.fps)
    return camera


def open_camera_or_synthetic(source: str | None) -> tuple[Camera, str | None]:
    """The configured camera, or the synthetic one with the reason when it cannot be opened."""
    if not source or source == SYNTHETIC:
        return SyntheticCamera(), None
    try:
        return open_camera(source), None
    except CameraError as exc:
        return SyntheticCamera(), str(exc)


class PacketCamera:
    """An encoded stream (an H.264 IP camera, or a file) read as packets for stream copy, no decoding.

    ``read()`` returns the next video packet (an ``av.Packet``); ``template`` is the input stream the
    segment writer copies. Files are paced to their timestamps and can loop (timestamps keep rising).
    ``preview(packet)`` decodes a keyframe, the only frames decoded in copy mode.
    """

    def __init__(self, source: str, timeout_s: float = 5.0, loop: bool = False, sound: bool = False) -> None:
        """``sound``: copy the stream's own sound track too (``audio_template``; None when it has none)."""
        import av

        self._av = av
        self.name = source
        self.is_file = "://" not in source
        self.loop = loop and self.is_file
        options = {"rtsp_transport": "tcp"} if source.startswith("rtsp") else {}
        try:
            self._input = av.open(source, options=options, timeout=(timeout_s, timeout_s))
            self.template = self._input.streams.video[0]
        except (av.FFmpegError, IndexError, OSError) as exc:
            raise CameraError(f"摄像头无法打开 / cannot open camera {source!r}: {exc}") from exc
        self.codec = self.template.codec_context.name
        self.audio_template = self._input.streams.audio[0] if sound and self._input.streams.audio else None
        self._streams = [s for s in (self.template, self.audio_template) if s is not None]
        self._packets = self._input.demux(*self._streams)
        self._offset: dict[int, int] = {}  # per stream: what a loop adds to its timestamps
        self._last: dict[int, int] = {}
        self._origin: tuple[float, float] | None = None  # (wall monotonic, pts seconds) of the first packet

    def read(self):  # type: ignore[no-untyped-def]
        av = self._av
        while True:
            try:
                packet = next(self._packets)
            except StopIteration:
                packet = None
            except av.FFmpegError as exc:
                raise CameraError(f"摄像头无画面 / no frame from camera {self.name!r}: {exc}") from exc
            if packet is None:
                if not self.loop:
                    raise EndOfStream(f"视频文件已播放完 / no frame: end of file {self.name!r}")
                self._input.seek(0)
                self._offset = {index: last + 1 for index, last in self._last.items()}
                self._packets = self._input.demux(*self._streams)
                continue
            if packet.size == 0 or packet.dts is None:
                continue
            offset = self._offset.get(packet.stream.index, 0)
            packet.dts += offset
            packet.pts = (packet.pts if packet.pts is not None else packet.dts - offset) + offset
            self._last[packet.stream.index] = packet.dts
            if self.is_file:
                self._pace(float(packet.dts * packet.time_base))
            return packet

    def _pace(self, at: float) -> None:
        now = time.monotonic()
        if self._origin is None or at < self._origin[1]:
            self._origin = (now, at)
        due = self._origin[0] + (at - self._origin[1])
        if due > now:
            time.sleep(min(due - now, 1.0))

    def preview(self, packet) -> np.ndarray | None:  # type: ignore[no-untyped-def]
        """A keyframe decoded for the preview (call from the thread that reads, before handing the packet on)."""
        if not packet.is_keyframe:
            return None
        try:
            for frame in self.template.codec_context.decode(packet):
                return frame.to_ndarray(format="bgr24")
        except self._av.FFmpegError:
            return None
        return None

    def close(self) -> None:
        # Not ``self._input.close()``: packets already handed to the writer thread keep the input
        # stream alive through their references, and closing the container under them crashes FFmpeg.
        # Dropping our references lets the container be freed once the last packet is gone.
        self._packets = None  # type: ignore[assignment]
        self._input = None  # type: ignore[assignment]


def detect_copy(camera: CameraConfig, timeout_s: float = 5.0) -> CameraConfig:
    """A camera set to ``auto``: recorded by stream copy when its stream is H.264 or H.265 (probed now), else
    re-encoded; a stream that cannot be probed now is re-encoded (OpenCV reconnects it when it comes)."""
    import dataclasses
    import sys

    import av

    if not camera.auto_copy:
        return camera
    try:
        options = {"rtsp_transport": "tcp"} if camera.source.startswith("rtsp") else {}
        with av.open(camera.source, options=options, timeout=(timeout_s, timeout_s)) as probe:
            codec = probe.streams.video[0].codec_context.name
    except (av.FFmpegError, IndexError, OSError) as exc:
        print(f"evalroom record: camera {camera.name}: cannot probe its stream ({exc}); it is re-encoded",
              file=sys.stderr)
        return dataclasses.replace(camera, auto_copy=False)
    return dataclasses.replace(camera, copy=codec in COPY_CODECS, auto_copy=False)


def redact_source(source: str) -> str:
    """A URL without its password (rtsp://user:secret@host → rtsp://user:***@host)."""
    return re.sub(r"(://[^:/@]+:)[^@/]+@", r"\1***@", source)
