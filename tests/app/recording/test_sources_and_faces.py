"""Camera sources and the check-in face check (exactly one face, Haar cascade)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from app.recording.faces import check_photo, encode_jpeg
from app.recording.sources import CameraError, OpenCVCamera, SyntheticCamera, open_camera, open_camera_or_synthetic


@pytest.mark.parametrize("faces", [1, 2])
def test_synthetic_camera_faces_are_counted(faces: int) -> None:
    check = check_photo(SyntheticCamera(faces=faces).read())
    assert len(check.faces) == faces
    assert check.ok is (faces == 1)


def test_an_empty_room_has_no_face() -> None:
    check = check_photo(np.full((480, 640, 3), 90, np.uint8))
    assert not check.ok and "未检测到人脸" in check.message


def test_synthetic_frames_move_and_encode() -> None:
    camera = SyntheticCamera()
    first, second = camera.read(), camera.read()
    assert first.shape == (480, 640, 3) and not np.array_equal(first, second)
    assert encode_jpeg(first).startswith(b"\xff\xd8")


def test_file_source_reads_real_video(tmp_path) -> None:
    path = tmp_path / "room.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25, (640, 480))
    source = SyntheticCamera()
    for _ in range(10):
        writer.write(source.read())
    writer.release()
    camera = open_camera(str(path))
    frames = [camera.read() for _ in range(10)]
    assert all(f.shape == (480, 640, 3) for f in frames)
    with pytest.raises(CameraError, match="no frame"):
        camera.read()
    camera.close()


def test_missing_camera_is_a_clear_error_and_falls_back_to_synthetic(tmp_path) -> None:
    with pytest.raises(CameraError, match="cannot open camera"):
        OpenCVCamera(str(tmp_path / "absent.mp4"), timeout_s=0.2)
    camera, problem = open_camera_or_synthetic(str(tmp_path / "absent.mp4"))
    assert isinstance(camera, SyntheticCamera) and problem and "absent.mp4" in problem
