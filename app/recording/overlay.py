"""Burn-in of the room name, camera name and time into raw frames (Pillow + the shipped CJK font).

OpenCV 4.x ``putText`` has only Hershey fonts and cannot draw Chinese, so the text is drawn with Pillow
in the bundled TrueType font (``app.paths.CJK_FONT``) onto a small strip that is pasted into the frame's
top-left corner. The constant part (room, camera) and the clock are rendered separately; the clock
strip is cached per second of wall time, the frame counter is not drawn (it is in the segment's pts).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from app.paths import CJK_FONT

BACKGROUND = (0, 0, 0)
FOREGROUND = (255, 255, 255)


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(CJK_FONT), size)


def _render(text: str, size: int) -> np.ndarray:
    """``text`` as a BGR uint8 strip: white on black, a pixel of padding."""
    font = _font(size)
    left, _top, right, _bottom = font.getbbox(text)
    pad = max(2, size // 6)
    image = Image.new("RGB", (int(right - left) + 2 * pad, size + 2 * pad), BACKGROUND)
    ImageDraw.Draw(image).text((pad - left, pad), text, font=font, fill=FOREGROUND)
    return np.asarray(image)[:, :, ::-1]


class Overlay:
    """Draws ``<room> · <camera>`` and the local time into a BGR frame, in place."""

    def __init__(self, room: str, camera: str, height: int) -> None:
        self.size = max(12, height // 30)
        self.label = _render(f"{room} · {camera}", self.size)
        self._clock_key = ""
        self._clock = self.label[:0]

    def clock(self, moment: datetime) -> np.ndarray:
        key = moment.strftime("%Y-%m-%d %H:%M:%S")
        if key != self._clock_key:
            self._clock_key, self._clock = key, _render(key, self.size)
        return self._clock

    def apply(self, frame: np.ndarray, moment: datetime | None = None) -> np.ndarray:
        moment = (moment or datetime.now()).astimezone()
        y = 0
        for strip in (self.label, self.clock(moment)):
            h = min(strip.shape[0], frame.shape[0] - y)
            w = min(strip.shape[1], frame.shape[1])
            if h <= 0 or w <= 0:
                break
            frame[y : y + h, :w] = strip[:h, :w]
            y += h
        return frame


def fit_frame(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """A frame as the writer wants it: BGR, the output size, contiguous."""
    if frame.ndim == 2:
        frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    if frame.shape[1] != width or frame.shape[0] != height:
        frame = cv2.resize(frame, (width, height), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(frame)
