"""The one camera type (the settings', the console's and the recorder's), in a module that imports nothing, so the
settings can name cameras without pulling in the recorder."""

from __future__ import annotations

from dataclasses import dataclass

#: Microphone sources (``app.recording.audio``): no sound, the test tone, the carrying camera's own sound track.
NONE, SYNTHETIC, CAMERA = "none", "synthetic", "camera"
DEVICE_FORMATS = ("alsa", "pulse")  # ``alsa:DEVICE`` / ``pulse:DEVICE``: a capture device through FFmpeg


@dataclass(frozen=True)
class CameraConfig:
    """One camera of the room: the one camera type of the settings, the console and the recorder."""

    name: str
    source: str  # synthetic, a device index, a file path, an rtsp:// or http:// URL
    copy: bool = False  # stream copy of an encoded (H.264) stream, no re-encode
    loop: bool = False  # a file source starts again at its end

    def __str__(self) -> str:
        return f"{self.name}={self.source}"  # as the settings file and `record --source` write it


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


AUTO = "auto"


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


__all__ = ["AUTO", "CAMERA", "DEFAULT_CAMERA", "DEVICE_FORMATS", "NONE", "SYNTHETIC", "CameraConfig",
           "MicrophoneConfig", "parse_microphone", "resolve_microphone"]
