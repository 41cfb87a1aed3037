"""The recorder as its own process: SIGKILL mid-segment, a console that dies, preview, chaining into the session."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.recording.feed import read_feed
from app.recording.process import (
    PreviewReader,
    RecorderProcess,
    chain_to_session,
    recorder_feed,
    request_stop,
)
from app.recording.recorder import CameraConfig
from app.recording.verify import verify_recording
from app.recording.writer import decode_count

ROOT = Path(__file__).resolve().parents[3]
RECORD = [sys.executable, "-m", "app", "record", "--size", "160x120", "--fps", "10", "--segment", "1", "--stall", "1"]


def _wait(predicate, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _segments(out: Path) -> list:  # type: ignore[type-arg]
    path = recorder_feed(out)
    if path is None:
        return []
    return [ev for ev in read_feed(path) if ev.type == "recording.segment"]


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_sigkill_mid_segment_loses_at_most_the_last_moment(tmp_path: Path) -> None:
    out = tmp_path / "rec"
    child = subprocess.Popen(RECORD + ["--source", "synthetic", "--seconds", "60", "--out", str(out)], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(lambda: len(_segments(out)) >= 2)
        time.sleep(0.6)  # in the middle of the third segment
        killed_at = datetime.now(UTC)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    closed = _segments(out)
    parts = list((out / "segments").glob("*/*.ts.part"))
    assert len(parts) == 1
    # every closed segment is valid and chained; only the open one is unfinished
    report = verify_recording(out)
    assert [p for p in report.problems if ".part" not in p] == []
    assert report.segments == len(closed)
    # the next start finalises the partial segment as recovered, with its real frame count
    run = subprocess.run(RECORD + ["--source", "synthetic", "--seconds", "1.2", "--out", str(out)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    feed = read_feed(recorder_feed(out))  # type: ignore[arg-type]
    recovered = [ev for ev in feed if ev.type == "recording.segment" and ev.body["recovered"]]
    assert len(recovered) == 1
    frames = recovered[0].body["frames"]
    assert frames == decode_count(out / recovered[0].body["file"])[0] >= 3
    end = datetime.strptime(recovered[0].body["end"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    assert (killed_at - end).total_seconds() < 0.5  # at most the last moment lost
    crash = [ev for ev in feed if ev.type == "recording.fault"]
    assert [(ev.body["camera"], ev.body["kind"]) for ev in crash] == [("*", "recorder_crashed")]
    report = verify_recording(out)
    assert report.ok, report.problems


def test_a_stop_asked_for_while_the_recorder_starts_is_kept(tmp_path: Path) -> None:
    """The console closes right after it started its recorder (the stop arrives before the recording has
    started): the recorder still stops on its own, cleanly, instead of being killed after the time-out."""
    out = tmp_path / "rec"
    process = RecorderProcess(out, [CameraConfig("cam1", "synthetic")], room="第一评标室", segment_s=1, size=(160, 120), fps=10)
    process.start()
    code = process.stop(timeout=120)  # at once: the child has not even loaded its key yet
    assert code == 0, f"the recorder had to be killed (exit {code}): the early stop was lost"
    assert not (out / "run" / "stop").exists()  # the request is consumed
    feed = read_feed(recorder_feed(out))  # type: ignore[arg-type]
    assert [ev.type for ev in feed][0] == "recorder.started" and feed[-1].type == "recorder.stopped"
    assert verify_recording(out).ok


def test_a_stale_stop_file_does_not_stop_a_recording_started_by_hand(tmp_path: Path) -> None:
    out = tmp_path / "rec"
    request_stop(out)  # left by an earlier run that was killed before it could remove it
    run = subprocess.run([sys.executable, "-m", "app", "record", "--source", "synthetic", "--seconds", "2", "--out", str(out),
                          "--segment", "1", "--size", "160x120", "--fps", "10"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    feed = read_feed(recorder_feed(out))  # type: ignore[arg-type]
    assert feed[-1].type == "recorder.stopped" and feed[-1].body["reason"] == "duration reached"


def test_the_recorder_process_outlives_its_console_and_stops_on_request(tmp_path: Path) -> None:
    out = tmp_path / "rec"
    process = RecorderProcess(out, [CameraConfig("cam1", "synthetic"), CameraConfig("门口", "synthetic")], room="第一评标室",
                              segment_s=1, size=(160, 120), fps=10, stall_s=1)
    process.start()
    try:
        reader = PreviewReader(out)
        _wait(lambda: reader.latest("门口").jpeg is not None and reader.latest("门口").state == "recording")
        preview = process.preview("门口")
        assert preview.jpeg.startswith(b"\xff\xd8") and not preview.alarm and preview.age < 5  # type: ignore[union-attr,operator]
        assert process.status()["running"] is True
        # the console dies: its end of the control pipe closes; the recording goes on
        assert process.process is not None and process.process.stdin is not None
        process.process.stdin.close()
        before = len(_segments(out))
        _wait(lambda: len(_segments(out)) >= before + 2)
        assert process.alive()
        events = process.poll_events()
        assert events[0].type == "recorder.started" and process.poll_events() == []  # each event once
        # a restarted console has no pipe: it stops the recorder through the stop file
        request_stop(out)
        assert process.process.wait(20) == 0
    finally:
        if process.alive():
            process.process.kill()  # type: ignore[union-attr]
    assert reader.latest("cam1").state == "stopped"
    assert verify_recording(out).ok


def test_recorder_events_chain_into_the_session_ledger(tmp_path: Path) -> None:
    import ledgerkit
    from app.ledger.verify import verify_events
    from recordkit import Outage, record

    kit = ledgerkit.start(tmp_path, upto="opening")
    recorder = record(tmp_path / "rec", 3.2, opener=Outage(1.0, 1.8))
    copied = [chain_to_session(kit.session, ev) for ev in recorder.feed.events]
    assert kit.state.recordings and all(r["recorder_key"] == recorder.key.key_id for r in kit.state.recordings)
    assert sum(1 for ev in copied if ev is not None) == sum(
        1 for ev in recorder.feed.events if ev.type in ("recording.segment", "recording.fault", "recording.restored"))
    located = [(ev, "db") for ev in kit.events()]
    report = verify_events(located, kit.room.public)
    assert report.ok, report.problems
    assert {f["kind"] for f in kit.state.faults} >= {"lost"}


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_dead_recorder_is_an_alarm_on_the_console(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.recording import process as proc

    monkeypatch.setattr(proc, "STALE_S", 1.0)
    out = tmp_path / "rec"
    recorder = RecorderProcess(out, [CameraConfig("cam1", "synthetic")], segment_s=1, size=(160, 120), fps=10, stall_s=1)
    recorder.start()
    try:
        _wait(lambda: recorder.preview("cam1").state == "recording")
        os.kill(recorder.pid, signal.SIGKILL)  # type: ignore[arg-type]
        recorder.process.wait(10)  # type: ignore[union-attr]
    finally:
        if recorder.alive():
            recorder.process.kill()  # type: ignore[union-attr]
    _wait(lambda: recorder.preview("cam1").state == "gone", timeout=5)
    preview = recorder.preview("cam1")
    assert preview.alarm and "无响应" in preview.message and preview.jpeg is not None
