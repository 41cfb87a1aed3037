"""The recorder as its own process: SIGKILL mid-segment, a console that dies, preview, chaining into the session."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.cli import main
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
from app.recording.writer import decode_count, segment_name

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
def test_sigkill_mid_segment_loses_at_most_the_last_moment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A crash is not damage (issue 13, defect 2): after SIGKILL the closed segments verify (exit 0) and the
    unfinished one is a note saying how to recover it; `evalroom record --recover DIR` closes it out without
    recording, or the next start does; a tampered segment is still exit 1."""
    out = tmp_path / "rec"
    args = RECORD + ["--source", "synthetic", "--source", "door=synthetic", "--seconds", "60", "--out", str(out)]
    child = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(lambda: len(_segments(out)) >= 4)
        time.sleep(0.6)  # in the middle of the third segment of each camera
        killed_at = datetime.now(UTC)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    closed = _segments(out)
    parts = list((out / "segments").glob("*/*.ts.part"))
    assert len(parts) == 2  # one per camera
    # every closed segment is valid and chained; only the open ones are unfinished: a note, exit 0
    assert main(["verify-recording", str(out), "--no-ffprobe"]) == 0
    printed = capsys.readouterr()
    assert printed.out == ""  # no problem
    notes = [line for line in printed.err.splitlines() if "unfinished" in line]
    assert len(notes) == 2 and all("recoverable" in n and f"evalroom record --recover {out}" in n for n in notes)
    report = verify_recording(out)
    assert report.ok and report.segments == len(closed)
    # damage is still damage
    tampered = tmp_path / "tampered"
    shutil.copytree(out, tampered)
    victim = tampered / closed[0].body["file"]
    victim.write_bytes(victim.read_bytes()[:-188])
    assert main(["verify-recording", str(tampered), "--no-ffprobe"]) == 1
    assert Path(closed[0].body["file"]).name in capsys.readouterr().out
    # `record --recover` on a copy: the unfinished segments become recovered segments, the crash a fault
    recovered_dir = tmp_path / "recovered"
    shutil.copytree(out, recovered_dir)
    assert main(["record", "--recover", str(recovered_dir)]) == 0
    assert "2 unfinished segments recovered" in capsys.readouterr().out
    assert list(recovered_dir.glob("segments/*/*.ts.part")) == []
    feed = read_feed(recorder_feed(recovered_dir))  # type: ignore[arg-type]
    tail = feed[len(read_feed(recorder_feed(out))):]  # type: ignore[arg-type]
    assert [ev.type for ev in tail] == ["recorder.started", "recording.segment", "recording.segment",
                                        "recording.fault", "recorder.stopped"]
    assert tail[0].body["mode"] == "recover" and tail[0].body["cameras"] == []
    assert all(ev.body["recovered"] and ev.body["frames"] == decode_count(recovered_dir / ev.body["file"])[0] >= 3
               for ev in tail[1:3])
    assert tail[3].body["kind"] == "recorder_crashed" and "--recover" in tail[3].body["message"]
    assert main(["verify-recording", str(recovered_dir), "--no-ffprobe"]) == 0
    assert "unfinished" not in capsys.readouterr().err
    assert main(["record", "--recover", str(recovered_dir)]) == 0  # twice: nothing more to do, nothing written
    assert "nothing to recover" in capsys.readouterr().err
    assert len(read_feed(recorder_feed(recovered_dir))) == len(feed)  # type: ignore[arg-type]
    recovered_segment = recovered_dir / tail[1].body["file"]
    recovered_segment.write_bytes(recovered_segment.read_bytes()[:-188])
    assert main(["verify-recording", str(recovered_dir), "--no-ffprobe"]) == 1
    capsys.readouterr()
    # or the next start finalises the partial segments as recovered, with their real frame counts
    run = subprocess.run(RECORD + ["--source", "synthetic", "--source", "door=synthetic", "--seconds", "1.2",
                                   "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    feed = read_feed(recorder_feed(out))  # type: ignore[arg-type]
    recovered = [ev for ev in feed if ev.type == "recording.segment" and ev.body["recovered"]]
    assert len(recovered) == 2
    for ev in recovered:
        assert ev.body["frames"] == decode_count(out / ev.body["file"])[0] >= 3
        end = datetime.strptime(ev.body["end"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        assert (killed_at - end).total_seconds() < 0.5  # at most the last moment lost
    crash = [ev for ev in feed if ev.type == "recording.fault"]
    assert [(ev.body["camera"], ev.body["kind"]) for ev in crash] == [("*", "recorder_crashed")]
    report = verify_recording(out)
    assert report.ok, report.problems


def test_an_unfinished_segment_in_which_nothing_decodes_is_discarded_with_a_fault(tmp_path: Path) -> None:
    """`--recover` does not pass bytes that hold no picture off as a segment: they are deleted and the loss
    is a signed fault naming the file, its size and the time it spanned."""
    from recordkit import record

    out = tmp_path / "rec"
    record(out, 1.2)
    last = _segments(out)[-1]
    end = datetime.strptime(last.body["end"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    part = out / "segments" / "cam1" / (segment_name("cam1", end, 99) + ".part")
    torn = b"\x47" + os.urandom(563)  # not one frame reached the disk
    part.write_bytes(torn)
    assert main(["record", "--recover", str(out)]) == 0
    assert not part.exists() and not part.with_suffix("").exists()
    feed = read_feed(recorder_feed(out))  # type: ignore[arg-type]
    lost = [ev for ev in feed if ev.type == "recording.fault"]
    assert len(lost) == 1 and lost[0].body["kind"] == "segment_lost" and lost[0].body["camera"] == "cam1"
    assert part.name in lost[0].body["message"] and f"{len(torn)} bytes" in lost[0].body["message"]
    assert lost[0].body["since"] <= lost[0].body["until"]
    assert feed[-1].type == "recorder.stopped"  # the last run had stopped in order: no crash fault
    assert verify_recording(out).ok


def test_a_stop_asked_for_while_the_recorder_starts_is_kept(tmp_path: Path) -> None:
    """The console closes right after it started its recorder (the stop arrives before the recording has
    started): the recorder still stops on its own, cleanly, instead of being killed after the time-out."""
    out = tmp_path / "rec"
    process = RecorderProcess(out, [CameraConfig("cam1", "synthetic")], room="第一评标室", segment_s=1, size=(160, 120),
                              fps=10)
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
    run = subprocess.run([sys.executable, "-m", "app", "record", "--source", "synthetic", "--seconds", "2", "--out",
                          str(out), "--segment", "1", "--size", "160x120", "--fps", "10"], capture_output=True,
                          text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    feed = read_feed(recorder_feed(out))  # type: ignore[arg-type]
    assert feed[-1].type == "recorder.stopped" and feed[-1].body["reason"] == "duration reached"


def test_the_recorder_process_outlives_its_console_and_stops_on_request(tmp_path: Path) -> None:
    out = tmp_path / "rec"
    process = RecorderProcess(out, [CameraConfig("cam1", "synthetic"), CameraConfig("门口", "synthetic")],
                              room="第一评标室", segment_s=1, size=(160, 120), fps=10, stall_s=1)
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
    recorder = RecorderProcess(out, [CameraConfig("cam1", "synthetic")], segment_s=1, size=(160, 120), fps=10,
                               stall_s=1)
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
