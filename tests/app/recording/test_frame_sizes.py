"""Sources of every size and pixel format are recorded (issue 13, defect 1): real video files made by ffmpeg
(16:9 smaller and larger than the output, a 4:3 camera, grayscale at 8 and 16 bits, BGRA) and an HTTP
stream served on 127.0.0.1, all into one recording of another size; the picture is scaled keeping its
aspect ratio and letterboxed, never stretched, and every segment verifies."""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import threading
from pathlib import Path

import av
import numpy as np
import pytest

from app.recording.overlay import fit_frame
from app.recording.recorder import CameraConfig, Recorder
from app.recording.sources import Camera, EndOfStream, Paced, open_source
from app.recording.verify import verify_recording
from recordkit import config

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg makes the source files")

W, H = 320, 180  # the recorded size (16:9)
GREY = 128  # every source shows a flat mid-grey picture, so the picture area and the black bars can be told apart
FRAMES = 10  # one second at 10 fps per file


def _ffmpeg(out: Path, size: str, *codec: str) -> Path:
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", f"color=c=0x808080:size={size}:rate=10",
                    "-frames:v", str(FRAMES), *codec, str(out)], check=True, timeout=60)
    return out


class RawCamera:
    """A file decoded by FFmpeg (PyAV) and handed over in the pixel format it stores, without a conversion
    to BGR: H×W grey, H×W 16-bit grey, H×W×4 BGRA, as a grey, 16-bit or RGBA camera delivers them."""

    FORMATS = {"gray": "gray", "gray16le": "gray16le", "rgba": "bgra"}

    def __init__(self, path: str) -> None:
        self.name = path
        self._container = av.open(path)
        self._frames = self._container.decode(video=0)

    def read(self) -> np.ndarray:
        try:
            frame = next(self._frames)
        except StopIteration:
            raise EndOfStream(f"end of {self.name}") from None
        return frame.to_ndarray(format=self.FORMATS[frame.format.name])

    def close(self) -> None:
        self._container.close()


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sources")
    www = folder / "www"
    www.mkdir()
    return {
        "wide640": _ffmpeg(folder / "640x360.mp4", "640x360", "-c:v", "mpeg4"),
        "full1080": _ffmpeg(folder / "1920x1080.mp4", "1920x1080", "-c:v", "mpeg4"),
        "cam4x3": _ffmpeg(folder / "640x480.avi", "640x480", "-c:v", "mjpeg"),
        "grey8": _ffmpeg(folder / "grey8.mkv", "320x240", "-c:v", "ffv1", "-pix_fmt", "gray"),
        "grey16": _ffmpeg(folder / "grey16.mkv", "400x400", "-c:v", "ffv1", "-pix_fmt", "gray16le"),
        "bgra": _ffmpeg(folder / "rgba.mkv", "480x360", "-c:v", "png", "-pix_fmt", "rgba"),
        "http": _ffmpeg(www / "live.ts", "640x360", "-c:v", "mpeg4", "-f", "mpegts"),
    }


RAW = ("grey8", "grey16", "bgra")


def test_raw_frames_come_in_the_formats_under_test(sources: dict[str, Path]) -> None:
    """The fixture itself: OpenCV hands these files over in their own pixel formats (so the test below
    records grey, 16-bit and 4-channel frames, not frames OpenCV already converted)."""
    shapes = {}
    for name in RAW:
        camera = RawCamera(str(sources[name]))
        frame = camera.read()
        camera.close()
        shapes[name] = (frame.shape, frame.dtype)
    assert shapes == {"grey8": ((240, 320), np.uint8), "grey16": ((400, 400), np.uint16),
                      "bgra": ((360, 480, 4), np.uint8)}


def _first_frame(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return next(container.decode(video=0)).to_ndarray(format="bgr24")


@pytest.fixture(scope="module")
def recorded(sources: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Recorder]:
    out = tmp_path_factory.mktemp("sizes") / "rec"
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(sources["http"].parent))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/live.ts"
    cameras = [CameraConfig(name, str(path)) for name, path in sources.items() if name != "http"]
    cameras.append(CameraConfig("http", url))
    cfg = config(out, width=W, height=H, stall_s=1.0)
    cfg.cameras = cameras

    def opener(camera: CameraConfig) -> Camera:
        if camera.name in RAW:
            return Paced(RawCamera(camera.source), 10)
        return open_source(camera.source, width=W, height=H, fps=10, timeout_s=5)

    recorder = Recorder(cfg, opener=opener)
    try:
        recorder.run(2.5)
    finally:
        server.shutdown()
    return out, recorder


def test_every_size_and_pixel_format_is_recorded_and_verifies(recorded: tuple[Path, Recorder]) -> None:
    out, recorder = recorded
    segments = [ev for ev in recorder.feed.events if ev.type == "recording.segment"]
    faults = [ev.body for ev in recorder.feed.events if ev.type == "recording.fault"]
    internal = [body for body in faults if body["kind"] == "internal"]
    assert internal == []  # was: NameError: name 'cv2' is not defined, and nothing recorded
    frames: dict[str, int] = {}
    for ev in segments:
        frames[ev.body["camera"]] = frames.get(ev.body["camera"], 0) + ev.body["frames"]
    files = {name: FRAMES for name in ("wide640", "full1080", "cam4x3", *RAW)}
    assert {name: frames.get(name) for name in files} == files  # every frame of every file
    assert frames.get("http", 0) >= FRAMES  # the HTTP stream, at least once through
    for ev in segments:
        with av.open(str(out / ev.body["file"])) as container:
            stream = container.streams.video[0]
            assert (stream.width, stream.height) == (W, H)
    report = verify_recording(out)
    assert report.ok, report.problems


def _bars(frame: np.ndarray) -> tuple[float, float, float]:
    """Mean brightness of the left bar, the middle and the right bar, below the burnt-in text."""
    rows = frame[60:170]
    return float(rows[:, :30].mean()), float(rows[:, 60:260].mean()), float(rows[:, 290:].mean())


def test_the_picture_keeps_its_aspect_ratio_and_is_letterboxed(recorded: tuple[Path, Recorder]) -> None:
    out, recorder = recorded
    first = {}
    for ev in recorder.feed.events:
        if ev.type == "recording.segment":
            first.setdefault(ev.body["camera"], _first_frame(out / ev.body["file"]))
    for name in ("wide640", "full1080", "http"):  # 16:9 into 16:9: the whole frame, no bar
        left, middle, right = _bars(first[name])
        assert abs(middle - GREY) < 16 and abs(left - GREY) < 16 and abs(right - GREY) < 16, name
    # 4:3 (640x480 → 240x180, 40 px bars), 4:3 grey (320x240 → 240x180), 1:1 (400x400 → 180x180, 70 px bars),
    # 4:3 BGRA (480x360 → 240x180): black bars left and right, the picture undistorted in the middle
    for name in ("cam4x3", "grey8", "grey16", "bgra"):
        left, middle, right = _bars(first[name])
        assert left < 24 and right < 24 and abs(middle - GREY) < 16, (name, left, middle, right)
    square = first["grey16"][100:170]
    columns = np.flatnonzero(square.mean(axis=(0, 2)) > GREY / 2)
    assert abs(columns[0] - 70) <= 2 and abs(columns[-1] - 249) <= 2  # 180 px wide: a square stays square


@pytest.mark.parametrize("shape, dtype, value", [
    ((120, 160), np.uint8, 200),  # grey
    ((120, 160, 1), np.uint8, 200),  # grey with a channel axis
    ((120, 160, 4), np.uint8, 200),  # BGRA
    ((120, 160), np.uint16, 200 << 8),  # 16-bit grey
    ((90, 160, 3), np.uint8, 200),  # 16:9 into 4:3: bars above and below
])
def test_fit_frame_converts_and_letterboxes(shape: tuple[int, ...], dtype: type, value: int) -> None:
    frame = fit_frame(np.full(shape, value, dtype), 160, 120)
    assert frame.shape == (120, 160, 3) and frame.dtype == np.uint8 and frame.flags.c_contiguous
    assert frame[60, 80].tolist() == [200, 200, 200]
    if shape[0] == 90:
        assert frame[:15].max() == 0 and frame[105:].max() == 0 and frame[15:105].min() == 200


def test_fit_frame_refuses_what_is_no_picture() -> None:
    with pytest.raises(ValueError, match="not a picture"):
        fit_frame(np.zeros((10, 10, 2), np.uint8), 160, 120)


def test_evalroom_record_takes_a_4_3_file_and_an_http_stream(sources: dict[str, Path], tmp_path: Path) -> None:
    """The real command: `evalroom record` on a 640x480 file and an HTTP URL, then `evalroom verify-recording`."""
    import os
    import sys

    root = Path(__file__).resolve().parents[3]
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(sources["http"].parent))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out = tmp_path / "rec"
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/live.ts"
        run = subprocess.run([sys.executable, "-m", "app", "record", "--source", f"door={sources['cam4x3']}",
                              "--source", f"ipcam={url}", "--seconds", "2", "--out", str(out), "--size", f"{W}x{H}",
                              "--fps", "10", "--segment", "1"],
                             cwd=root, env=dict(os.environ), capture_output=True, text=True, timeout=120)
    finally:
        server.shutdown()
    assert run.returncode == 0, run.stderr
    assert "internal" not in run.stderr  # no fault of the recorder itself
    segments = list((out / "segments" / "door").glob("*.ts")) + list((out / "segments" / "ipcam").glob("*.ts"))
    assert {p.parent.name for p in segments} == {"door", "ipcam"}
    check = subprocess.run([sys.executable, "-m", "app", "verify-recording", str(out)], cwd=root, capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
