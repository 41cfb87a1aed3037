"""The one camera type (the settings', the console's and the recorder's), in a module that imports nothing, so the
settings can name cameras without pulling in the recorder."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CameraConfig:
    """One camera of the room: the one camera type of the settings, the console and the recorder."""

    name: str
    source: str  # synthetic, a device index, a file path, an rtsp:// or http:// URL
    copy: bool = False  # stream copy of an encoded (H.264) stream, no re-encode
    loop: bool = False  # a file source starts again at its end

    def __str__(self) -> str:
        return f"{self.name}={self.source}"  # as the settings file and `record --source` write it


#: The camera a room records with when none is configured (the name `record --source synthetic` gives it too).
DEFAULT_CAMERA = CameraConfig("cam1", "synthetic")


__all__ = ["DEFAULT_CAMERA", "CameraConfig"]
