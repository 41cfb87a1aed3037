"""Face check of the check-in photo with OpenCV's bundled Haar cascade: exactly one face."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import cv2.data  # the bundled Haar cascades' folder (not re-exported by cv2's type information)
import numpy as np

CASCADE = "haarcascade_frontalface_default.xml"


@dataclass(frozen=True)
class PhotoCheck:
    faces: tuple[tuple[int, int, int, int], ...]  # x, y, w, h

    @property
    def ok(self) -> bool:
        return len(self.faces) == 1

    @property
    def message(self) -> str:
        if self.ok:
            return "已检测到一张人脸，照片可用 / one face detected"
        if not self.faces:
            return "未检测到人脸，请正对摄像头重新拍照 / no face detected, please face the camera"
        return (f"检测到{len(self.faces)}张人脸，请确保画面中只有签到专家本人 / {len(self.faces)} faces: only the "
                "expert may be in the picture")


@lru_cache(maxsize=1)
def _classifier() -> cv2.CascadeClassifier:
    classifier = cv2.CascadeClassifier(cv2.data.haarcascades + CASCADE)
    if classifier.empty():
        raise RuntimeError(f"OpenCV's Haar cascade {CASCADE} is missing from this installation")
    return classifier


def check_photo(frame: np.ndarray) -> PhotoCheck:
    """Detect frontal faces in a BGR frame."""
    grey = cv2.equalizeHist(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))
    side = max(40, min(grey.shape[:2]) // 8)
    found = _classifier().detectMultiScale(grey, scaleFactor=1.1, minNeighbors=6, minSize=(side, side))
    return PhotoCheck(tuple((int(x), int(y), int(w), int(h)) for x, y, w, h in found))


def encode_jpeg(frame: np.ndarray, quality: int = 88) -> bytes:
    ok, data = cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("cannot encode the photo as JPEG")
    return data.tobytes()
