"""Sources paced to real time, file and stream-copy sources, and the crash-safe segment writer."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import cv2
import pytest

from app.recording.sources import (
    EndOfStream,
    Paced,
    PacketCamera,
    SyntheticCamera,
    open_source,
)
from app.recording.verify import verify_recording
from app.recording.writer import (
    PART,
    SegmentWriter,
    decode_count,
    finalise_partial,
    parse_name,
)


def _mjpeg_file(path: Path, frames: int, fps: float = 25.0, size: tuple[int, int] = (160, 120)) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    camera = SyntheticCamera(*size)
    for _ in range(frames):
        writer.write(camera.read())
    writer.release()
    return path


def _h264_file(path: Path, frames: int, fps: int = 25) -> Path:
    """An H.264 file standing in for an IP camera (libx264 is used here only to make the fixture)."""
    camera = SyntheticCamera(160, 120)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        stream.options = {"g": str(fps), "preset": "ultrafast", "bf": "0"}
        for _ in range(frames):
            out.mux(stream.encode(av.VideoFrame.from_ndarray(camera.read(), format="bgr24")))
        out.mux(stream.encode(None))
    return path


def test_a_file_source_plays_at_its_real_frame_rate(tmp_path: Path) -> None:
    camera = open_source(str(_mjpeg_file(tmp_path / "room.avi", 12)))
    assert isinstance(camera, Paced) and camera.fps == 25
    started = time.monotonic()
    frames = [camera.read() for _ in range(12)]
    assert time.monotonic() - started >= 0.40  # 11 intervals of 40 ms at least, not 1,700 fps
    now, slept = [0.0], []  # the pace itself on the source's own clock (a loaded machine's waits would blur it)

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    paced = Paced(SyntheticCamera(160, 120), 25, clock=lambda: now[0], sleep=sleep)
    for _ in range(6):
        paced.read()
    assert slept == pytest.approx([0.04] * 5)  # each frame after the first waits for its 40 ms, no more
    now[0] += 0.5  # a late reader is not made up for with a burst: the next frame at once, the one after it in 40 ms
    paced.read()
    paced.read()
    assert slept == pytest.approx([0.04] * 6)
    assert frames[0].shape == (120, 160, 3)
    with pytest.raises(EndOfStream):
        camera.read()
    camera.close()


def test_a_looping_file_never_ends(tmp_path: Path) -> None:
    camera = open_source(str(_mjpeg_file(tmp_path / "room.avi", 3, fps=100)), loop=True)
    assert len([camera.read() for _ in range(8)]) == 8


def test_pacing_does_not_burst_after_a_slow_reader() -> None:
    now = [0.0]
    slept: list[float] = []
    paced = Paced(SyntheticCamera(32, 32), 10, clock=lambda: now[0],
                  sleep=lambda s: slept.append(s) or now.__setitem__(0, now[0] + s))
    paced.read()
    now[0] += 5.0  # the reader was busy for 5 s
    paced.read()
    paced.read()
    assert slept == [pytest.approx(0.1)]


def test_segment_names_round_trip() -> None:
    start = datetime(2026, 11, 26, 9, 30, 1, 250000, tzinfo=UTC)
    parsed = parse_name(Path(f"门口-{start:%Y%m%dT%H%M%S%f}Z-000007.ts.part"))
    assert parsed == ("门口", start, 7)


def test_a_truncated_partial_segment_is_recovered_with_its_real_frame_count(tmp_path: Path) -> None:
    start = datetime.now(UTC)
    writer = SegmentWriter(tmp_path, "cam1", "第一评标室", start, 1, 160, 120, 10)
    camera = SyntheticCamera(160, 120)
    for index in range(30):
        writer.write(camera.read(), start + timedelta(milliseconds=100 * index))
    writer._out.close()
    part = writer.part
    assert part.name.endswith(".ts" + PART)
    data = part.read_bytes()
    part.write_bytes(data[: len(data) * 2 // 3])  # the tail never reached the disk
    info, codec = finalise_partial(part)
    assert info.recovered and codec == "mpeg4" and not part.exists() and info.path.suffix == ".ts"
    assert 10 <= info.frames < 30 and decode_count(info.path)[0] == info.frames
    assert timedelta(seconds=0.9) <= info.end - info.start <= timedelta(seconds=3)


def test_an_h264_camera_is_recorded_by_stream_copy(tmp_path: Path) -> None:
    source = _h264_file(tmp_path / "ipcam.mp4", 60)
    camera = PacketCamera(str(source))
    assert camera.codec == "h264"
    camera.close()
    from app.recording.recorder import CameraConfig, Recorder
    from recordkit import config

    cfg = config(tmp_path / "rec")
    cfg.cameras = [CameraConfig("ipcam", str(source), copy=True)]
    recorder = Recorder(cfg)
    recorder.run(4.0)
    segments = [ev for ev in recorder.feed.events if ev.type == "recording.segment"]
    assert {ev.body["codec"] for ev in segments} == {"h264"}
    assert sum(ev.body["frames"] for ev in segments) == 60  # every packet, none re-encoded
    assert [ev.type for ev in recorder.feed.events][-2:] == ["recording.source_ended", "recorder.stopped"]
    with av.open(str(tmp_path / "rec" / segments[0].body["file"])) as container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert container.metadata.get("service_name", "ipcam").endswith("ipcam")
    assert (tmp_path / "rec" / "preview" / "ipcam.jpg").read_bytes().startswith(b"\xff\xd8")
    report = verify_recording(tmp_path / "rec")
    assert report.ok, report.problems


def test_a_file_source_is_recorded_with_burnt_in_text(tmp_path: Path) -> None:
    source = _mjpeg_file(tmp_path / "room.avi", 15)
    from app.recording.recorder import CameraConfig, Recorder
    from recordkit import config

    cfg = config(tmp_path / "rec")
    cfg.cameras = [CameraConfig("file", str(source))]
    recorder = Recorder(cfg)
    recorder.run(3.0)
    segments = [ev for ev in recorder.feed.events if ev.type == "recording.segment"]
    assert sum(ev.body["frames"] for ev in segments) == 15
    with av.open(str(tmp_path / "rec" / segments[0].body["file"])) as container:
        first = next(container.decode(video=0)).to_ndarray(format="bgr24")
    # the burnt-in strip (white text on black) sits in the top-left corner
    strip = first[: 2 * max(12, 120 // 30), :60]
    assert (strip < 40).mean() > 0.3 and (strip > 200).any()
    assert verify_recording(tmp_path / "rec").ok


def test_an_http_camera_url_is_recorded_by_stream_copy(tmp_path: Path) -> None:
    """An IP camera over HTTP (an MPEG-TS H.264 stream served on 127.0.0.1) through the URL path."""
    import functools
    import http.server
    import threading

    source = _h264_file(tmp_path / "www" / "live.ts", 30) if (tmp_path / "www").mkdir() is None else None
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path / "www"))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        from app.recording.recorder import CameraConfig, Recorder
        from recordkit import config

        cfg = config(tmp_path / "rec")
        url = f"http://127.0.0.1:{server.server_address[1]}/{source.name}"  # type: ignore[union-attr]
        cfg.cameras = [CameraConfig("ipcam", url, copy=True)]
        recorder = Recorder(cfg)
        recorder.run(3.0)
    finally:
        server.shutdown()
    segments = [ev for ev in recorder.feed.events if ev.type == "recording.segment"]
    assert segments and {ev.body["codec"] for ev in segments} == {"h264"}
    assert sum(ev.body["frames"] for ev in segments) == 30
    assert verify_recording(tmp_path / "rec").ok
