"""Burn-in of the room name, camera name and time into raw frames (Pillow + the shipped CJK font).

OpenCV 4.x ``putText`` has only Hershey fonts and cannot draw Chinese, so the text is drawn with Pillow
in the bundled TrueType font (``app.paths.CJK_FONT``) onto a small strip that is pasted into the frame's
top-left corner. The constant part (room, camera) and the clock are rendered separately; the clock
strip is cached per second of wall time, the frame counter is not drawn (it is in the segment's pts).
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

import cv2
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


def _as_bgr8(frame: np.ndarray) -> np.ndarray:
    """Any camera frame as 3-channel BGR uint8: grayscale (H×W or H×W×1), BGR, BGRA (H×W×4), at 8 or 16 bits
    (or float in 0..1). Raises ValueError for anything else."""
    if frame.dtype != np.uint8:
        if frame.dtype == np.uint16:
            frame = (frame >> 8).astype(np.uint8)
        elif frame.dtype == np.bool_:
            frame = frame.astype(np.uint8) * 255
        elif np.issubdtype(frame.dtype, np.floating):
            frame = (np.clip(np.nan_to_num(frame), 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
        else:
            raise ValueError(f"frames of type {frame.dtype} cannot be recorded")
    if frame.ndim == 3 and frame.shape[2] == 1:
        frame = frame[:, :, 0]
    if frame.ndim == 2:
        return cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
    if frame.ndim == 3 and frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2BGR)
    if frame.ndim == 3 and frame.shape[2] == 3:
        return frame
    raise ValueError(f"a frame of shape {frame.shape} is not a picture")


def fit_frame(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """A frame as the writer wants it: BGR uint8, exactly ``width`` × ``height``, contiguous.

    A source of another size is scaled to fit inside the output keeping its aspect ratio, and the rest is
    black (letterbox above and below, pillarbox left and right): a picture is never stretched.
    """
    frame = _as_bgr8(frame)
    h, w = frame.shape[:2]
    if h == 0 or w == 0:
        raise ValueError("an empty frame")
    if (w, h) == (width, height):
        return np.ascontiguousarray(frame)
    scale = min(width / w, height / h)
    fit_w, fit_h = min(width, max(1, round(w * scale))), min(height, max(1, round(h * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    scaled = cv2.resize(frame, (fit_w, fit_h), interpolation=interpolation)
    if (fit_w, fit_h) == (width, height):
        return np.ascontiguousarray(scaled)
    out = np.zeros((height, width, 3), np.uint8)
    x, y = (width - fit_w) // 2, (height - fit_h) // 2
    out[y : y + fit_h, x : x + fit_w] = scaled
    return out
