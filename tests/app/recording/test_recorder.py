"""The recorder: segments chained into its signed feed, faults and restoration, low disk, verification."""

from __future__ import annotations

import itertools
import json
import shutil
from datetime import UTC, timedelta
from pathlib import Path

import av
import numpy as np
import pytest

from app.crypto.keys import SigningKey
from app.ledger.events import from_line, new_event
from app.recording.feed import RecorderFeed, read_feed
from app.recording.overlay import Overlay
from app.recording.process import PreviewReader
from app.recording.verify import _holes, verify_recording
from app.recording.writer import decode_count
from recordkit import Outage, config, events, record


@pytest.fixture(scope="module")
def two_cameras(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("two") / "rec"
    record(out, 2.6, cameras=("cam1", "door"))
    return out


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def test_segments_are_chained_hashed_and_decode(two_cameras: Path) -> None:
    feed = read_feed(next((two_cameras / "ledger").glob("*.jsonl")))
    assert feed[0].type == "recorder.started" and feed[-1].type == "recorder.stopped"
    assert [ev.seq for ev in feed] == list(range(1, len(feed) + 1))
    assert all(ev.prev == before.id for before, ev in itertools.pairwise(feed))
    segments = [ev for ev in feed if ev.type == "recording.segment"]
    assert {ev.body["camera"] for ev in segments} == {"cam1", "door"}
    assert len(segments) >= 4
    for ev in segments:
        path = two_cameras / ev.body["file"]
        assert path.suffix == ".ts" and path.stat().st_size == ev.body["bytes"]
        assert decode_count(path)[0] == ev.body["frames"] > 0
        assert ev.body["start"] < ev.body["end"] and ev.body["codec"] == "mpeg4" and ev.body["recovered"] is False
    with av.open(str(two_cameras / segments[0].body["file"])) as container:
        assert container.format.name == "mpegts"
        assert container.streams.video[0].codec_context.name == "mpeg4"  # FFmpeg's own LGPL encoder
    report = verify_recording(two_cameras)
    assert report.ok, report.problems
    assert report.segments == len(segments) and report.frames == sum(ev.body["frames"] for ev in segments)
    assert (two_cameras / "keys" / "recorder.pub.pem").is_file()


def test_a_segment_is_a_real_time_recording(two_cameras: Path) -> None:
    feed = read_feed(next((two_cameras / "ledger").glob("*.jsonl")))
    segments = [ev for ev in feed if ev.type == "recording.segment"]
    full = [ev for ev in segments if ev.body["frames"] >= 9]
    # 1 s at 10 fps: throttled, not as fast as possible
    assert full and all(9 <= ev.body["frames"] <= 12 for ev in full)


def test_preview_and_health_can_be_polled(two_cameras: Path) -> None:
    reader = PreviewReader(two_cameras)
    assert reader.cameras() == ["cam1", "door"]
    preview = reader.latest("door")
    assert preview.jpeg is not None and preview.jpeg.startswith(b"\xff\xd8") and preview.time is not None
    assert preview.state == "stopped" and not preview.alarm


def test_overlay_draws_the_chinese_room_name() -> None:
    frame = np.zeros((120, 160, 3), np.uint8)
    Overlay("第一评标室", "cam1", 120).apply(frame)
    other = np.zeros((120, 160, 3), np.uint8)
    Overlay("第二评标室", "cam1", 120).apply(other)
    assert frame[:20].any() and not np.array_equal(frame[:20], other[:20])  # real glyphs, not one tofu box


def test_a_tampered_segment_is_detected(two_cameras: Path, tmp_path: Path) -> None:
    out = _copy(two_cameras, tmp_path / "rec")
    segments = sorted((out / "segments" / "cam1").glob("*.ts"))
    data = bytearray(segments[0].read_bytes())
    data[len(data) // 2] ^= 0xFF
    segments[0].write_bytes(bytes(data))
    segments[1].unlink()
    shutil.copy(segments[2], segments[2].with_name("cam1-20990101T000000000000Z-000099.ts"))
    problems = verify_recording(out).problems
    assert any("SHA-256" in p and segments[0].name in p for p in problems)
    assert any("missing" in p and segments[1].name in p for p in problems)
    assert any("not chained" in p and "000099" in p for p in problems)


def test_an_edited_feed_is_detected(two_cameras: Path, tmp_path: Path) -> None:
    out = _copy(two_cameras, tmp_path / "rec")
    feed = next((out / "ledger").glob("*.jsonl"))
    lines = feed.read_text().splitlines()
    record = json.loads(lines[1])
    record["event"]["body"]["frames"] += 1
    lines[1] = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    feed.write_text("\n".join(lines) + "\n")
    problems = verify_recording(out).problems
    assert any(p.startswith("feed:") and "altered" in p for p in problems)


def test_a_gap_without_a_fault_is_reported(two_cameras: Path, tmp_path: Path) -> None:
    """The feed re-signed by someone holding a key, with one cam1 segment (and its file) left out:
    a valid chain, but a hole in cam1's recording that no fault explains."""
    out = _copy(two_cameras, tmp_path / "rec")
    feed = next((out / "ledger").glob("*.jsonl"))
    old = read_feed(feed)
    feed.unlink()
    key = SigningKey.generate()
    (out / "keys" / "recorder.pub.pem").write_bytes(key.public.to_pem())
    dropped = [ev for ev in old if ev.type == "recording.segment" and ev.body["camera"] == "cam1"][1]
    (out / dropped.body["file"]).unlink()
    prev, seq, lines = None, 0, []
    for ev in old:
        if ev is dropped:
            continue
        seq += 1
        new = new_event(key, ev.session, seq, prev, ev.time, ev.type, ev.body)
        prev = new.id
        lines.append(new.to_line())
    (out / "ledger" / f"{key.key_id}.jsonl").write_text("\n".join(lines) + "\n")
    problems = verify_recording(out, tolerance_ms=500).problems
    assert [p for p in problems if not p.startswith("gap: camera cam1")] == []
    assert len(problems) == 1


def test_a_segment_chained_before_it_ended_is_reported(two_cameras: Path, tmp_path: Path) -> None:
    out = _copy(two_cameras, tmp_path / "rec")
    feed = next((out / "ledger").glob("*.jsonl"))
    old = read_feed(feed)
    feed.unlink()
    key = SigningKey.generate()
    (out / "keys" / "recorder.pub.pem").write_bytes(key.public.to_pem())
    prev, lines, claimed = None, [], False
    for ev in old:
        time = ev.time
        if ev.type == "recording.segment" and not claimed:
            time, claimed = ev.body["start"], True  # chained at its start: its end is a claim about the future
        new = new_event(key, ev.session, ev.seq, prev, max(time, lines and from_line(lines[-1]).time or ""), ev.type,
                        ev.body)
        prev = new.id
        lines.append(new.to_line())
    (out / "ledger" / f"{key.key_id}.jsonl").write_text("\n".join(lines) + "\n")
    problems = verify_recording(out).problems
    assert any("ends after the event that chained it" in p for p in problems), problems


def test_holes() -> None:
    from datetime import datetime

    t = datetime(2026, 1, 1, tzinfo=UTC)

    def s(a: float, b: float) -> tuple[datetime, datetime]:
        return t + timedelta(seconds=a), t + timedelta(seconds=b)

    tol = timedelta(seconds=1)
    assert _holes(s(0, 10), [s(0, 4), s(4.5, 10)], tol) == []
    assert _holes(s(0, 10), [s(0, 4), s(6, 9.5)], tol) == [s(4, 6)]
    assert _holes(s(0, 10), [s(3, 10)], tol) == [s(0, 3)]
    assert _holes(s(0, 10), [s(0, 2), s(1, 7)], tol) == [s(7, 10)]


@pytest.mark.parametrize("mode", ["error", "hang"])
def test_a_camera_that_disappears_and_returns(tmp_path: Path, mode: str) -> None:
    outage = Outage(1.0, 2.2, mode)
    try:
        recorder = record(tmp_path / "rec", 4.5, opener=outage)
    finally:
        outage.release()
    faults, restored = events(recorder, "recording.fault"), events(recorder, "recording.restored")
    assert len(faults) == 1 and faults[0].body["camera"] == "cam1"
    assert faults[0].body["kind"] == ("lost" if mode == "error" else "stalled")
    assert len(restored) == 1 and restored[0].body["fault"] == faults[0].id and restored[0].body["down_ms"] >= 800
    assert outage.opens >= 2  # reconnected
    segments = events(recorder, "recording.segment")
    before = [ev for ev in segments if ev.seq < faults[0].seq]
    after = [ev for ev in segments if ev.seq > restored[0].seq]
    assert before and after
    report = verify_recording(tmp_path / "rec")
    assert report.ok, report.problems
    assert report.faults == 1


def test_low_disk_is_an_alarm_not_a_crash(tmp_path: Path) -> None:
    import time

    t0 = time.monotonic()

    def free(path: Path) -> int:
        return 10 * 1024 * 1024 if 1.0 <= time.monotonic() - t0 < 2.0 else 10**12

    recorder = record(tmp_path / "rec", 3.2, disk_free=free)
    faults = events(recorder, "recording.fault")
    assert [(f.body["camera"], f.body["kind"]) for f in faults] == [("*", "disk_low")]
    assert "10 MiB free" in faults[0].body["message"]
    restored = events(recorder, "recording.restored")
    assert len(restored) == 1 and restored[0].body["fault"] == faults[0].id
    segments = events(recorder, "recording.segment")
    assert any(ev.seq > restored[0].seq for ev in segments)
    report = verify_recording(tmp_path / "rec")
    assert report.ok, report.problems


def test_a_camera_that_never_opens_is_a_fault_and_the_rest_records(tmp_path: Path) -> None:
    outage = Outage(0.0, 99.0, "error")
    from app.recording.recorder import Recorder

    def opener(camera):  # type: ignore[no-untyped-def]
        return outage(camera) if camera.name == "broken" else Outage(99, 99)(camera)

    recorder = Recorder(config(tmp_path / "rec", cameras=("cam1", "broken")), opener=opener)
    recorder.run(1.6)
    faults = events(recorder, "recording.fault")
    assert [(f.body["camera"], f.body["kind"]) for f in faults] == [("broken", "lost")]
    assert {ev.body["camera"] for ev in events(recorder, "recording.segment")} == {"cam1"}
    assert verify_recording(tmp_path / "rec").ok


def test_the_feed_survives_a_torn_last_line(tmp_path: Path) -> None:
    key = SigningKey.generate()
    feed = RecorderFeed(tmp_path, key, "s")
    feed.append("recorder.started", {"room": "r"})
    feed.close()
    with feed.path.open("a") as handle:
        handle.write('{"alg":"ed25519","event":{"auth')  # a crash in the middle of a line
    again = RecorderFeed(tmp_path, key, "s")
    ev = again.append("recorder.stopped", {})
    again.close()
    lines = feed.path.read_text().splitlines()
    assert len(lines) == 2 and from_line(lines[1]).prev == from_line(lines[0]).id and ev.seq == 2


def test_a_disk_that_refuses_writes_is_a_fault_and_recording_resumes(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from app.recording import writer

    t0 = time.monotonic()
    original = writer.SegmentWriter.write

    def write(self, frame, moment):  # type: ignore[no-untyped-def]
        if 1.0 <= time.monotonic() - t0 < 1.8:
            raise writer.WriteError(28, "No space left on device")
        return original(self, frame, moment)

    monkeypatch.setattr(writer.SegmentWriter, "write", write)
    recorder = record(tmp_path / "rec", 3.4)
    faults = events(recorder, "recording.fault")
    assert [(f.body["camera"], f.body["kind"]) for f in faults] == [("cam1", "write_error")]
    restored = events(recorder, "recording.restored")
    assert len(restored) == 1 and restored[0].body["fault"] == faults[0].id
    assert any(ev.seq > restored[0].seq for ev in events(recorder, "recording.segment"))
    report = verify_recording(tmp_path / "rec")
    assert report.ok, report.problems  # what reached the disk before the refusal is chained (recovered)
    assert any(ev.body["recovered"] for ev in events(recorder, "recording.segment"))


def test_a_fault_never_restored_covers_its_own_run_only(tmp_path: Path) -> None:
    """A camera lost until the recorder stopped: its fault ends with that run. It does not excuse a hole in
    a later run (here a run-2 segment left out of a feed re-signed with the recorder's own key)."""
    from app.recording.feed import load_or_create_key
    from app.recording.recorder import Recorder

    out = tmp_path / "rec"
    Recorder(config(out), opener=Outage(0.0, 99.0, "error")).run(1.0)  # run 1: cam1 never opens
    record(out, 2.6)  # run 2: cam1 records
    feed = next((out / "ledger").glob("*.jsonl"))
    old = read_feed(feed)
    assert [f.body["kind"] for f in old if f.type == "recording.fault"] == ["lost"]
    assert not [ev for ev in old if ev.type == "recording.restored"]
    assert verify_recording(out, tolerance_ms=500).ok
    dropped = [ev for ev in old if ev.type == "recording.segment"][1]
    (out / dropped.body["file"]).unlink()
    key = load_or_create_key(out / "keys")
    prev, seq, lines = None, 0, []
    for ev in old:
        if ev is not dropped:
            seq += 1
            new = new_event(key, ev.session, seq, prev, ev.time, ev.type, ev.body)
            prev = new.id
            lines.append(new.to_line())
    feed.write_text("\n".join(lines) + "\n")
    problems = verify_recording(out, tolerance_ms=500).problems
    assert len(problems) == 1 and problems[0].startswith("gap: camera cam1"), problems


def test_an_unfinished_segment_covers_the_end_of_a_run_that_never_stopped() -> None:
    """Two cameras with 60 s segments out of step: the recorder dies 20 s into door's segment, right after
    cam1 chained one. door's ``.part`` covers those 20 s: a crash, not a gap. After an orderly stop the
    same ``.part`` excuses nothing."""
    from datetime import datetime

    from app.recording.verify import RecordingReport, _check_gaps

    key = SigningKey.generate()
    t0 = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    stamp = "%Y-%m-%dT%H:%M:%S.%fZ"

    def feed(stopped: bool) -> list:  # type: ignore[type-arg]
        bodies = [("recorder.started", 0, {"cameras": [{"name": "cam1"}, {"name": "door"}], "stall_ms": 1000}),
                  ("recording.segment", 40, {"camera": "door"}), ("recording.segment", 60, {"camera": "cam1"})]
        if stopped:
            bodies.append(("recorder.stopped", 60.5, {}))
        out, prev = [], None
        for seq, (type_, at, body) in enumerate(bodies, 1):
            ev = new_event(key, "s", seq, prev, (t0 + timedelta(seconds=at)).strftime(stamp), type_, body)
            out.append(ev)
            prev = ev.id
        return out

    segments = {"cam1": [(t0, t0 + timedelta(seconds=60))], "door": [(t0, t0 + timedelta(seconds=40))]}
    unfinished = {"door": [t0 + timedelta(seconds=40)]}
    crashed = RecordingReport()
    _check_gaps(feed(stopped=False), segments, crashed, None, unfinished)
    assert crashed.problems == []
    stopped = RecordingReport()
    _check_gaps(feed(stopped=True), segments, stopped, None, unfinished)
    assert len(stopped.problems) == 1 and stopped.problems[0].startswith("gap: camera door: 20.5 s")
