"""Sound (issue 17 §2): the room's microphone, recorded into the segments of one camera.

A microphone is given as ``[CAMERA=]SPEC``: SPEC is ``none``, ``synthetic`` (a test tone: a 1 kHz beep of 0.2 s
every second, for the demo and the tests), ``alsa:DEVICE`` or ``pulse:DEVICE`` (a capture device through FFmpeg),
``camera`` (the audio track of the camera's own stream: an IP camera), or a sound file (a stand-in microphone,
played at its real rate). CAMERA names the camera whose segments carry the sound (default: the first).

Sources deliver :class:`Chunk` objects: mono float32 samples at :data:`RATE` with the wall time of their first
sample. The segment writer (:class:`app.recording.writer.SegmentWriter`) encodes them with FFmpeg's native AAC
encoder (LGPL) into the same MPEG-TS segment as the picture, timestamped from the same segment start.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from app.errors import EvalRoomError
from app.settings.cameras import CAMERA, DEVICE_FORMATS, NONE, SYNTHETIC, MicrophoneConfig, parse_microphone

RATE = 48_000  # samples per second of the recorded sound (mono)
#: samples per chunk handed to the recorder (0.1 s): fewer, larger hand-overs between threads cost less CPU (47
#: chunks of 1024 a second cost the recorder twice what 10 of 4800 do; the encoder still gets 1024-sample frames)
CHUNK = 4800
AUDIO_CODEC = "aac"  # FFmpeg's native AAC encoder (LGPL)
AUDIO_BITRATE = 64_000


class MicrophoneError(EvalRoomError, RuntimeError):
    """The microphone cannot be opened or stopped delivering sound (a fault; the picture goes on)."""

    key = "recorder.microphone"

    def __init__(self, microphone: str, detail: str) -> None:
        super().__init__(key="recorder.microphone", microphone=microphone, detail=detail)


class SoundEnded(MicrophoneError):
    """A sound file used as a microphone reached its end (the sound stopped: a fault, unless it loops)."""


@dataclass(frozen=True)
class Chunk:
    samples: np.ndarray  # float32, shape (n,), mono, -1..1
    moment: datetime  # UTC wall time of the first sample

    @property
    def duration(self) -> timedelta:
        return timedelta(seconds=len(self.samples) / RATE)


class SoundSource(Protocol):
    name: str

    def read(self) -> Chunk:
        """The next chunk; raises :class:`MicrophoneError` when none comes."""

    def close(self) -> None: ...


def describe(spec: str) -> str:
    """How the microphone is named in faults and on screen."""
    return "测试音 / test tone" if spec == SYNTHETIC else spec


class Tone:
    """The synthetic microphone: a 1 kHz beep for the first 0.2 s of every second, paced to real time."""

    def __init__(self, name: str = SYNTHETIC, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.name = name
        self._clock, self._sleep = clock, sleep
        self._sent = 0
        self._origin: tuple[float, datetime] | None = None

    def read(self) -> Chunk:
        now = self._clock()
        if self._origin is None:
            self._origin = (now, datetime.now(UTC))
        due = self._origin[0] + self._sent / RATE
        if due > now:
            self._sleep(due - now)
        elif now - due > 0.25:  # the reader was held up: the sound of that time is gone (as a device's), no burst
            self._origin = (now, datetime.now(UTC))
            self._sent = 0
        index = self._sent + np.arange(CHUNK)
        wave = 0.25 * np.sin(2 * math.pi * 1000.0 * index / RATE)
        wave[(index % RATE) >= RATE // 5] = 0.0
        moment = self._origin[1] + timedelta(seconds=self._sent / RATE)
        self._sent += CHUNK
        return Chunk(wave.astype(np.float32), moment)

    def close(self) -> None:
        pass


class AVSound:
    """A capture device (``alsa:hw:0``, ``pulse:default``), a sound file, or the audio track of a camera's stream
    (a URL or a video file), decoded by FFmpeg and resampled to mono float at :data:`RATE`. Files are paced to
    their real rate and may loop; a device or a live stream paces itself."""

    def __init__(self, spec: str, timeout_s: float = 5.0, loop: bool = False) -> None:
        import av

        self._av = av
        self.name = spec
        kind, colon, device = spec.partition(":")
        options: dict[str, str] = {}
        fmt: str | None = None
        if colon and kind in DEVICE_FORMATS:
            fmt, target = kind, device
            self.is_file = False
        else:
            target = spec
            self.is_file = "://" not in spec
            if self.is_file and not Path(spec).is_file():
                raise MicrophoneError(spec, "no such file")
            if spec.startswith("rtsp"):
                options["rtsp_transport"] = "tcp"
        self.loop = loop and self.is_file
        try:
            self._input = av.open(target, format=fmt, options=options, timeout=(timeout_s, timeout_s))
            self._stream = self._input.streams.audio[0]
        except IndexError as exc:
            raise MicrophoneError(spec, "the source has no sound track") from exc
        except (av.FFmpegError, OSError, ValueError) as exc:
            raise MicrophoneError(spec, str(exc)) from exc
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
        self._frames = self._decode()
        self._origin: tuple[float, datetime] | None = None
        self._sent = 0

    def _decode(self) -> Iterator[Any]:
        av = self._av
        while True:
            try:
                for packet in self._input.demux(self._stream):
                    for frame in packet.decode():
                        yield from self._resampler.resample(frame)
            except av.FFmpegError as exc:
                raise MicrophoneError(self.name, str(exc)) from exc
            if not self.loop:
                return
            self._input.seek(0)

    def read(self) -> Chunk:
        parts: list[np.ndarray] = []
        size = 0
        while size < CHUNK:  # a device's periods or a decoder's frames, gathered into a chunk of about 0.1 s
            try:
                frame = next(self._frames)
            except StopIteration:
                if parts:
                    break
                raise SoundEnded(self.name, "end of the sound file") from None
            part = np.asarray(frame.to_ndarray(), dtype=np.float32).reshape(-1)
            parts.append(part)
            size += len(part)
        samples = np.concatenate(parts) if len(parts) > 1 else parts[0]
        now = time.monotonic()
        if self.is_file:  # paced: the chunk is due when the samples before it have played
            if self._origin is None:
                self._origin = (now, datetime.now(UTC))
            due = self._origin[0] + self._sent / RATE
            if due > now:
                time.sleep(min(due - now, 1.0))
            moment = self._origin[1] + timedelta(seconds=self._sent / RATE)
        else:  # captured: its last sample is now
            moment = datetime.now(UTC) - timedelta(seconds=len(samples) / RATE)
        self._sent += len(samples)
        return Chunk(samples, moment)

    def close(self) -> None:
        self._frames = iter(())
        import contextlib

        with contextlib.suppress(Exception):  # a broken device may fail to close too
            self._input.close()


def open_sound(spec: str, camera_source: str | None = None, timeout_s: float = 5.0, loop: bool = False) -> SoundSource:
    """The microphone of ``spec``; ``camera`` reads the carrying camera's own sound track (``camera_source``;
    the synthetic camera's is the test tone). Raises MicrophoneError."""
    if spec == CAMERA:
        if camera_source is None or camera_source == SYNTHETIC:
            return Tone(CAMERA)
        if camera_source.isdigit():
            raise MicrophoneError(spec, f"camera {camera_source} is a device: it has no sound track")
        return AVSound(camera_source, timeout_s=timeout_s, loop=loop)
    if spec == SYNTHETIC:
        return Tone()
    return AVSound(spec, timeout_s=timeout_s, loop=loop)


__all__ = ["CAMERA", "NONE", "SYNTHETIC", "AVSound", "Chunk", "MicrophoneConfig", "MicrophoneError", "SoundEnded",
           "SoundSource", "Tone", "open_sound", "parse_microphone"]
