"""The one camera type (the settings', the console's and the recorder's), in a module that imports nothing, so the
settings can name cameras without pulling in the recorder."""

from __future__ import annotations

from dataclasses import dataclass

#: Microphone sources (``app.recording.audio``): no sound, the test tone, the carrying camera's own sound track.
NONE, SYNTHETIC, CAMERA, AUTO = "none", "synthetic", "camera", "auto"
DEVICE_FORMATS = ("alsa", "pulse")  # ``alsa:DEVICE`` / ``pulse:DEVICE``: a capture device through FFmpeg


@dataclass(frozen=True)
class CameraConfig:
    """One camera of the room: the one camera type of the settings, the console and the recorder."""

    name: str
    source: str  # synthetic, a device index, a file path, an rtsp:// or http:// URL
    copy: bool = False  # stream copy of an encoded (H.264) stream, no re-encode
    loop: bool = False  # a file source starts again at its end
    #: decide at the start: stream copy when the stream is H.264 or H.265, else re-encode (``NAME=SRC auto``)
    auto_copy: bool = False

    def __str__(self) -> str:
        # as the settings file and `record --source` write it: "name=source", then " copy" or " auto" when set
        mode = f" {COPY}" if self.copy else f" {AUTO}" if self.auto_copy else ""
        return f"{self.name}={self.source}{mode}"


#: the words after a camera's source: stream copy, detect from the stream, re-encode (the default)
COPY, ENCODE = "copy", "encode"
COPY_CODECS = ("h264", "hevc")  # what stream copy records (an IP camera's H.264 or H.265)


def split_mode(source: str) -> tuple[str, str | None]:
    """``"rtsp://x copy"`` → (``rtsp://x``, ``copy``): a camera's source and the recording mode written after it
    (``copy``, ``auto`` or ``encode``; None when none is written)."""
    head, sep, word = source.rstrip().rpartition(" ")
    if sep and word in (COPY, AUTO, ENCODE) and head.strip():
        return head.strip(), word
    return source.strip(), None


def camera(name: str, source: str, copy: bool = False, loop: bool = False) -> CameraConfig:
    """A camera from ``name`` and ``source`` as written (``SRC [copy|auto|encode]``): a synthetic camera or a device
    index is always encoded; ``copy`` (the written word, else the ``copy`` argument) copies a file or URL."""
    source, mode = split_mode(source)
    encoded_only = source == SYNTHETIC or source.isdigit()
    copy = not encoded_only and (mode == COPY or (mode is None and copy))
    return CameraConfig(name, source, copy=copy, loop=loop, auto_copy=not encoded_only and mode == AUTO)


@dataclass(frozen=True)
class MicrophoneConfig:
    """The room's microphone: its source and the camera whose segments carry the sound (None: the first)."""

    source: str
    camera: str | None = None
    loop: bool = False

    def __str__(self) -> str:
        return f"{self.camera}={self.source}" if self.camera else self.source


def parse_microphone(value: str, loop: bool = False) -> MicrophoneConfig | None:
    """``[CAMERA=]SPEC`` as the settings and ``record --microphone`` write it; None for ``none`` or empty.
    Raises ValueError naming what is wrong."""
    text = value.strip()
    camera: str | None = None
    head, sep, tail = text.partition("=")
    if sep and ":" not in head and "/" not in head and head.strip():
        camera, text = head.strip(), tail.strip()
    if not text or text == NONE:
        return None
    kind, colon, device = text.partition(":")
    if colon and kind in DEVICE_FORMATS and not device:
        raise ValueError(f"microphone {text!r} names no device (e.g. {kind}:default)")
    return MicrophoneConfig(text, camera, loop)


def resolve_microphone(value: str, cameras: tuple[CameraConfig, ...] | list[CameraConfig],
                       loop: bool = False) -> MicrophoneConfig | None:
    """The microphone of a setting or ``--microphone`` value; ``auto`` (or empty): the test tone when the camera
    that carries the sound (the first) is the synthetic one, else no sound. Raises ValueError."""
    text = value.strip()
    if text in ("", AUTO):
        return MicrophoneConfig(SYNTHETIC) if cameras and cameras[0].source == SYNTHETIC else None
    return parse_microphone(text, loop)


#: The camera a room records with when none is configured (the name `record --source synthetic` gives it too).
DEFAULT_CAMERA = CameraConfig("cam1", "synthetic")


__all__ = ["AUTO", "CAMERA", "COPY", "COPY_CODECS", "DEFAULT_CAMERA", "DEVICE_FORMATS", "ENCODE", "NONE", "SYNTHETIC",
           "CameraConfig", "MicrophoneConfig", "camera", "parse_microphone", "resolve_microphone", "split_mode"]
