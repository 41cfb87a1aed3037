"""Segment files that survive a crash: MPEG-TS written with ``flush_packets=1`` (DESIGN.md §5).

A segment is written as ``<name>.ts.part``; on close the encoder is drained, the file fsynced, renamed to
``<name>.ts`` and the folder fsynced, and its SHA-256 computed. A ``.part`` file left by a crash is
still a playable MPEG-TS up to the last packet that reached the disk; :func:`finalise_partial` turns it
into a closed segment with its real (decoded) frame count.

Encoders (the licence decision, README "Video licence"): raw frames are encoded with FFmpeg's native
MPEG-4 Part 2 encoder (``mpeg4``, LGPL, no B-frames so nothing waits in a lookahead when the process
dies); an H.264/H.265 IP-camera stream is copied packet by packet without re-encoding
(:class:`CopyWriter`). ``libx264`` can be chosen explicitly (``codec="libx264"``) where the GPL is
acceptable.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import cv2
import numpy as np

from app.durable import fsync_dir
from app.errors import EvalRoomError
from app.recording.audio import AUDIO_BITRATE, AUDIO_CODEC, RATE, Chunk
from app.recording.config import DEFAULT_CODEC

PART = ".part"
SUFFIX = ".ts"
MS = Fraction(1, 1000)
_STAMP = "%Y%m%dT%H%M%S%fZ"
_NAME = re.compile(r"(?P<camera>.+)-(?P<start>\d{8}T\d{12}Z)-(?P<index>\d{6})\.ts(\.part)?$")


class WriteError(EvalRoomError, OSError):
    """A segment cannot be written (disk full, folder gone)."""


@dataclass(frozen=True)
class SegmentInfo:
    camera: str
    path: Path
    start: datetime  # UTC, the first frame's wall time
    end: datetime  # UTC, the last frame's wall time plus one frame interval
    frames: int
    size: int
    sha256: str
    recovered: bool = False
    audio: dict[str, Any] | None = None  # the sound the segment holds: codec, rate, samples (None: no sound track)


def segment_name(camera: str, start: datetime, index: int) -> str:
    return f"{camera}-{start.astimezone(UTC).strftime(_STAMP)}-{index:06d}{SUFFIX}"


def parse_name(path: Path) -> tuple[str, datetime, int] | None:
    match = _NAME.match(path.name)
    if not match:
        return None
    start = datetime.strptime(match["start"], _STAMP).replace(tzinfo=UTC)
    return match["camera"], start, int(match["index"])


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _publish(part: Path) -> Path:
    """fsync ``x.ts.part``, rename it to ``x.ts``, fsync the folder."""
    with part.open("rb+") as handle:
        os.fsync(handle.fileno())
    final = part.with_name(part.name[: -len(PART)])
    os.replace(part, final)
    fsync_dir(final.parent)
    return final


def _metadata(room: str, camera: str, start: datetime) -> dict[str, str]:
    # The MPEG-TS muxer keeps service_provider/service_name (in the SDT); the wall time rides there.
    return {"service_provider": f"EvalRoom {start.astimezone(UTC).isoformat(timespec='milliseconds')}",
            "service_name": f"{room}/{camera}"}


#: the muxer holds a stream's packets back at most this long waiting for the other stream's (µs): a microphone that
#: stopped must not keep seconds of picture in memory, where a crash would lose them
MAX_INTERLEAVE_US = "500000"


class AudioTrack:
    """The sound of one segment: mono chunks encoded with FFmpeg's native AAC encoder in frames of 1024 samples,
    timestamped in samples from the segment start (the picture's origin too). Consecutive chunks are laid end to
    end; a chunk that comes more than a quarter second after the sound so far (the microphone stalled) starts
    at its own time, after the last frame is padded out with silence."""

    FRAME = 1024

    def __init__(self, out: Any, start: datetime) -> None:
        self.start = start
        stream = out.add_stream(AUDIO_CODEC, rate=RATE, layout="mono")
        stream.bit_rate = AUDIO_BITRATE
        self._stream = stream
        self._buffer = np.zeros(0, np.float32)
        self._buffer_pts: int | None = None  # the pts (samples) of the buffer's first sample
        self.samples = 0  # samples encoded (silence padding included): what a decoder gives back, priming aside
        self.last: datetime | None = None  # wall time of the end of the last chunk

    def write(self, chunk: Chunk) -> list[Any]:
        at = round((chunk.moment - self.start).total_seconds() * RATE)
        packets: list[Any] = []
        if self._buffer_pts is None:
            self._buffer_pts = max(0, at)
        elif at - (self._buffer_pts + len(self._buffer)) > RATE // 4:
            packets += self._flush(pad=True)
            self._buffer_pts = at
        self._buffer = np.concatenate([self._buffer, chunk.samples.astype(np.float32, copy=False)])
        self.last = chunk.moment + chunk.duration
        while len(self._buffer) >= self.FRAME:
            packets += self._encode(self._buffer[: self.FRAME])
            self._buffer = self._buffer[self.FRAME :]
        return packets

    def _encode(self, samples: np.ndarray | None) -> list[Any]:
        if samples is None:
            return list(self._stream.encode(None))
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="fltp", layout="mono")
        frame.sample_rate = RATE
        assert self._buffer_pts is not None
        frame.pts, frame.time_base = self._buffer_pts, Fraction(1, RATE)
        self._buffer_pts += len(samples)
        self.samples += len(samples)
        return list(self._stream.encode(frame))

    def _flush(self, pad: bool) -> list[Any]:
        packets: list[Any] = []
        if len(self._buffer):
            padded = np.zeros(self.FRAME, np.float32)
            padded[: len(self._buffer)] = self._buffer
            packets += self._encode(padded)
            self._buffer = np.zeros(0, np.float32)
        if not pad:
            packets += self._encode(None)
        return packets

    def drain(self) -> list[Any]:
        return self._flush(pad=False)

    def info(self) -> dict[str, Any]:
        return {"codec": AUDIO_CODEC, "rate": RATE, "samples": self.samples}


class _Base:
    def __init__(self, folder: Path, camera: str, room: str, start: datetime, index: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.camera, self.start = camera, start.astimezone(UTC)
        self.part = folder / (segment_name(camera, self.start, index) + PART)
        self.frames = 0
        self.last: datetime = self.start
        self.interval = timedelta(0)
        self.audio: AudioTrack | None = None
        try:
            self._out = av.open(str(self.part), "w", format="mpegts",
                                options={"flush_packets": "1", "max_interleave_delta": MAX_INTERLEAVE_US})
            self._out.metadata.update(_metadata(room, camera, self.start))
        except (OSError, av.FFmpegError) as exc:
            raise WriteError(f"cannot create the segment {self.part}: {exc}") from exc

    def _mux(self, packets: Any) -> None:
        try:
            self._out.mux(packets)
        except (OSError, av.FFmpegError) as exc:
            raise WriteError(f"cannot write the segment {self.part.name}: {exc}") from exc

    def _drain(self) -> None:
        pass

    def add_sound(self) -> None:
        """Give the segment a sound track (before the first packet). Raises WriteError."""
        try:
            self.audio = AudioTrack(self._out, self.start)
        except (ValueError, av.FFmpegError) as exc:
            self.abort()
            raise WriteError(f"cannot set up the {AUDIO_CODEC} encoder: {exc}") from exc

    def write_sound(self, chunk: Chunk) -> None:
        """Encode a chunk of the microphone's sound into the segment (no-op without a sound track)."""
        if self.audio is not None:
            try:
                packets = self.audio.write(chunk)
            except (ValueError, av.FFmpegError) as exc:
                raise WriteError(f"cannot encode the sound of {self.part.name}: {exc}") from exc
            self._mux(packets)

    def close(self) -> SegmentInfo:
        """Drain, close, fsync and publish; the segment's facts. Raises WriteError."""
        try:
            self._drain()
            if self.audio is not None:
                self._mux(self.audio.drain())
            self._out.close()
            final = _publish(self.part)
        except (OSError, av.FFmpegError, WriteError) as exc:
            self.abort()
            raise WriteError(f"cannot close the segment {self.part.name}: {exc}") from exc
        return SegmentInfo(self.camera, final, self.start, self.last + self.interval, self.frames,
                           final.stat().st_size, sha256_file(final),
                           audio=self.audio.info() if self.audio is not None else None)

    def abort(self) -> None:
        """Close without publishing (the ``.part`` stays for recovery)."""
        with contextlib.suppress(Exception):  # best effort after a write error
            self._out.close()


class SegmentWriter(_Base):
    """Encodes BGR frames into one segment; pts are wall-clock milliseconds from the segment start."""

    def __init__(self, folder: Path, camera: str, room: str, start: datetime, index: int, width: int, height: int,
                 fps: float, codec: str = DEFAULT_CODEC, bitrate: int | None = None, threads: int = 0,
                 sound: bool = False) -> None:
        """``sound``: the segment also has a sound track (the microphone, :meth:`write_sound`)."""
        super().__init__(folder, camera, room, start, index)
        self.interval = timedelta(seconds=1 / fps)
        try:
            rate = Fraction(fps).limit_denominator(1001)
            stream = self._out.add_stream(codec, rate=rate)
            if not isinstance(stream, av.VideoStream):
                raise ValueError(f"{codec} is not a video encoder")
            stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
            # The encoder counts in frame intervals: its rate control spends bit_rate / (1 / time_base) bits per
            # frame, so a 1 ms time base starved every frame down to the coarsest quantiser (2.5x the bytes asked
            # for, at the worst quality). The packets get their wall-clock millisecond pts back in write().
            stream.codec_context.time_base = 1 / rate
            stream.codec_context.gop_size = max(1, round(fps * 2))
            stream.bit_rate = bitrate or max(400_000, width * height * 2)
            if threads:
                stream.codec_context.thread_count = threads
            if codec == "libx264":
                stream.options = {"preset": "veryfast", "tune": "zerolatency", "crf": "23"}
        except (ValueError, av.FFmpegError) as exc:
            self.abort()
            raise WriteError(f"cannot set up the {codec} encoder: {exc}") from exc
        self._stream = stream
        if sound:
            self.add_sound()
        self._last_pts = -1
        self._wall_pts: dict[int, int] = {}  # encoder pts (frame number) -> wall-clock ms from the segment start

    def write(self, frame: np.ndarray, moment: datetime) -> None:
        """Encode one frame taken at ``moment``. Two frames read within one millisecond (a reader catching up
        after a late frame) both stay: the second is stamped 1 ms after the first instead of being lost."""
        pts = max(int((moment - self.start).total_seconds() * 1000), self._last_pts + 1)
        if frame.shape[0] == self._stream.height and frame.shape[1] == self._stream.width:
            # OpenCV's SIMD BT.601 conversion (the same limited-range YUV as FFmpeg's swscale, within 1 level):
            # a third of swscale's CPU, which the encoder would otherwise spend on every frame.
            yuv = np.asarray(cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420), dtype=np.uint8)  # uint8 in, uint8 out
            video = av.VideoFrame.from_ndarray(yuv, format="yuv420p")
        else:
            video = av.VideoFrame.from_ndarray(frame, format="bgr24")  # the encoder scales it
        video.pts, video.time_base = self.frames, self._stream.codec_context.time_base
        self._wall_pts[self.frames] = pts
        self._mux(self._restamp(self._stream.encode(video)))
        self._last_pts = pts
        self.frames += 1
        self.last = moment

    def _restamp(self, packets: list[Any]) -> list[Any]:
        """The encoder's frame-number pts back to wall-clock milliseconds (no B-frames: dts == pts)."""
        for packet in packets:
            ms = self._wall_pts.pop(packet.pts, None) if packet.pts is not None else None
            if ms is None:
                continue
            packet.pts = packet.dts = ms
            packet.time_base = MS
        return packets

    def _drain(self) -> None:
        self._mux(self._restamp(self._stream.encode(None)))


class CopyWriter(_Base):
    """Stream copy of an encoded stream (an H.264 IP camera): packets are remuxed, never re-encoded."""

    def __init__(self, folder: Path, camera: str, room: str, start: datetime, index: int, template: Any,
                 audio_template: Any = None, sound: bool = False) -> None:
        """``audio_template``: the camera's own sound track, copied too (:meth:`write_audio_packet`); ``sound``: a
        sound track for a microphone instead (:meth:`write_sound`)."""
        super().__init__(folder, camera, room, start, index)
        self._audio_stream: Any = None
        try:
            self._stream = self._out.add_stream_from_template(template)
            if audio_template is not None:
                self._audio_stream = self._out.add_stream_from_template(audio_template)
        except (ValueError, av.FFmpegError) as exc:
            self.abort()
            raise WriteError(f"cannot copy the {template.codec_context.name} stream: {exc}") from exc
        if sound and audio_template is None:
            self.add_sound()
        rate = template.average_rate or template.guessed_rate or 25
        self.interval = timedelta(seconds=1 / float(rate))
        self._origin: int | None = None
        self._origin_time: Fraction | None = None  # the origin in seconds (the sound's packets count from it too)
        self._audio_codec = audio_template.codec_context.name if audio_template is not None else ""
        self._audio_rate = int(audio_template.codec_context.sample_rate or 0) if audio_template is not None else 0
        self._audio_samples = 0
        self._audio_end: int | None = None

    def write_audio_packet(self, packet: Any) -> bool:
        """Copy one packet of the camera's own sound track (after the segment's first keyframe; False when dropped)."""
        if self._audio_stream is None or self._origin_time is None or packet.pts is None or packet.dts is None:
            return False
        base = packet.time_base
        shift = int(self._origin_time / base)
        if packet.dts - shift < 0:
            return False  # before the segment's first picture: it belongs to the segment before
        packet.pts -= shift
        packet.dts -= shift
        packet.stream = self._audio_stream
        self._mux(packet)
        if packet.duration:
            self._audio_samples += round(packet.duration * base * self._audio_rate)
        return True

    def write_packet(self, packet: Any, moment: datetime) -> bool:
        """Copy one packet; a segment starts at a keyframe (False for the packets dropped before it)."""
        if packet.pts is None or packet.dts is None:
            return False
        if self._origin is None:
            if not packet.is_keyframe:
                return False
            self._origin = packet.dts
            self._origin_time = Fraction(packet.dts) * packet.time_base
        packet.pts -= self._origin
        packet.dts -= self._origin
        packet.stream = self._stream
        self._mux(packet)
        self.frames += 1
        self.last = moment
        return True

    def close(self) -> SegmentInfo:
        info = super().close()
        if self._audio_stream is None:
            return info
        from dataclasses import replace

        return replace(info, audio={"codec": self._audio_codec, "rate": self._audio_rate,
                                    "samples": self._audio_samples, "copy": True})


def decode_count(path: Path) -> tuple[int, float | None]:
    """Frames that decode, and the last frame's pts in seconds; raises av.FFmpegError on an unreadable file."""
    frames, last = 0, None
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for packet in container.demux(stream):
            try:
                for frame in packet.decode():
                    frames += 1
                    if frame.pts is not None and frame.time_base is not None:
                        last = float(frame.pts * frame.time_base)
            except av.FFmpegError:
                continue  # a torn last packet after a crash
    return frames, last


def decode_sound(path: Path) -> int | None:
    """Samples of the sound track that decode (None: the file has no sound track); raises av.FFmpegError on an
    unreadable file."""
    samples = 0
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        for packet in container.demux(stream):
            try:
                for frame in packet.decode():
                    samples += frame.samples
            except av.FFmpegError:
                continue  # a torn last packet after a crash
    return samples


def finalise_partial(part: Path, interval: timedelta = timedelta(milliseconds=40)) -> tuple[SegmentInfo, str]:
    """A ``.part`` left by a crash: count what decodes, publish it, and return its facts (recovered)."""
    parsed = parse_name(part)
    if parsed is None:
        raise WriteError(f"{part.name} is not a segment file name")
    camera, start, _index = parsed
    try:
        frames, last = decode_count(part)
        origin, codec = _first_pts(part)
    except (av.FFmpegError, IndexError, OSError):
        frames, last, origin, codec = 0, None, 0.0, "unknown"
    end = start + timedelta(seconds=max(0.0, (last or origin) - origin))
    if frames:
        end += interval
    try:
        samples = decode_sound(part)
        audio = None if samples is None else {**_audio_facts(part), "samples": samples}
    except (av.FFmpegError, IndexError, OSError):
        audio = None
    final = _publish(part)
    info = SegmentInfo(camera, final, start, end, frames, final.stat().st_size, sha256_file(final), recovered=True,
                       audio=audio)
    return info, codec


def _audio_facts(path: Path) -> dict[str, Any]:
    with av.open(str(path)) as container:
        context = container.streams.audio[0].codec_context
        return {"codec": str(context.name), "rate": int(context.sample_rate or RATE)}


def _first_pts(path: Path) -> tuple[float, str]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        start = stream.start_time
        base = stream.time_base
        return (float(start * base) if start is not None and base is not None else 0.0), stream.codec_context.name
