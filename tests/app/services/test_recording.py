"""The console's recorder service with a real recorder process on the synthetic source: chaining into the
session exactly once across a console crash and restart, alarms (low disk, recorder gone, recorder killed),
and the check-in photo's face check out of the console's process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.paths import DEMO_CASE
from app.recording.feed import read_feed
from app.recording.process import recorder_feed
from app.services.recording import CHAINED_TYPES, FaceChecker, RecordingSettings, recorder_pid
from app.services.room import Room

ROOT = Path(__file__).resolve().parents[3]
SMALL = RecordingSettings(size=(160, 120), fps=10, segment_s=1, stall_s=1)


def _wait(predicate, what: str, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _chained(room: Room) -> list[int]:
    state = room.state
    return sorted(r["recorder_seq"] for r in (*state.recordings, *state.faults))


@pytest.fixture
def rooms(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Rooms made by a test; every recorder they started is stopped afterwards, whatever happened."""
    made: list[Room] = []
    yield made
    for room in made:
        if room.recording is not None and room.recording.alive():
            room.recording.stop()
        room.faces.close()


def _room(rooms: list[Room], home: Path, settings: RecordingSettings = SMALL) -> Room:
    room = Room(home, passphrase=b"pw", recording=settings)
    rooms.append(room)
    room.start(DEMO_CASE)
    return room


def test_segments_chain_once_and_a_restarted_console_reattaches(tmp_path: Path, rooms) -> None:  # type: ignore[no-untyped-def]
    room = _room(rooms, tmp_path / "home")
    recording = room.recording
    assert recording is not None and recording.pid
    _wait(lambda: room.recording_tick().segments >= 2, "two segments chained")  # type: ignore[union-attr]
    status = recording.status()
    assert status.running and not status.alarm and not status.attached
    camera = status.cameras[0]
    assert camera.state == "recording" and camera.preview is not None and camera.preview.read_bytes()[:2] == b"\xff\xd8"
    assert status.last_segment == room.state.recordings[-1]["end"]
    pid = recording.pid
    # the console crashes: nothing is stopped, the session file is simply dropped
    room.session.close()  # type: ignore[union-attr]
    room.faces.close()
    rooms.remove(room)
    before = len(room.state.recordings)
    time.sleep(1.5)
    assert recorder_pid(recording.out) == pid  # still recording
    again = _room(rooms, tmp_path / "home")
    assert again.recording is not None and again.recording.status().attached and again.recording.pid == pid
    _wait(lambda: again.recording_tick() is not None and len(again.state.recordings) >= before + 2,
          "segments after the restart")
    again.recording_tick()
    seqs = _chained(again)
    assert len(seqs) == len(set(seqs))  # nothing doubled
    again.close()  # an orderly close stops the recorder and chains its last segment
    assert recorder_pid(recording.out) is None
    feed = read_feed(recorder_feed(recording.out))  # type: ignore[arg-type]
    wanted = [ev.seq for ev in feed if ev.type in CHAINED_TYPES]
    reopened = Room(tmp_path / "home", passphrase=b"pw")
    reopened.start(DEMO_CASE)
    assert _chained(reopened) == wanted  # every recorder event once, nothing lost across the restart
    reopened.close()


def test_low_disk_is_an_alarm_chained_into_the_session(tmp_path: Path, rooms) -> None:  # type: ignore[no-untyped-def]
    room = _room(rooms, tmp_path / "home", RecordingSettings(size=(160, 120), fps=10, segment_s=1, min_free_mb=10**9))
    _wait(lambda: room.recording_tick() is not None and any(f.get("kind") == "disk_low" for f in room.state.faults),
          "the low-disk fault in the session")
    _wait(lambda: room.recording.status().alarm, "the alarm")  # type: ignore[union-attr]
    assert any("磁盘空间不足" in text for text in room.recording.status().alarms)  # type: ignore[union-attr]
    log = (room.recording.out / "run" / "alarms.log").read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert "ALARM" in log and "磁盘空间不足" in log


@pytest.mark.skipif(os.name != "posix", reason="SIGSTOP/SIGKILL")
def test_a_hung_recorder_raises_the_alarm_and_clears_it(tmp_path: Path, rooms, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from app.recording import process

    monkeypatch.setattr(process, "STALE_S", 1.0)
    room = _room(rooms, tmp_path / "home")
    recording = room.recording
    assert recording is not None
    _wait(lambda: recording.status().cameras[0].state == "recording", "recording")
    os.kill(recording.pid, signal.SIGSTOP)  # type: ignore[arg-type]
    try:
        _wait(lambda: recording.status().alarm, "the alarm")
        assert "无响应" in recording.status().alarms[0]
    finally:
        os.kill(recording.pid, signal.SIGCONT)  # type: ignore[arg-type]
    _wait(lambda: not recording.status().alarm, "the alarm to clear")
    log = (recording.out / "run" / "alarms.log").read_text(encoding="utf-8")
    assert "ALARM 录像进程无响应" in log and "CLEARED 录像进程无响应" in log


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_a_killed_recorder_is_started_again_and_its_crash_is_in_the_ledger(tmp_path: Path, rooms) -> None:  # type: ignore[no-untyped-def]
    room = _room(rooms, tmp_path / "home")
    recording = room.recording
    assert recording is not None
    _wait(lambda: room.recording_tick().segments >= 1, "a segment")  # type: ignore[union-attr]
    first = recording.pid
    os.kill(first, signal.SIGKILL)  # type: ignore[arg-type]
    killed = recording.process.process  # type: ignore[union-attr]
    killed.wait(10)  # type: ignore[union-attr]
    _wait(lambda: room.recording_tick() is not None and recording.pid != first, "a new recorder")
    assert killed.stdin.closed  # type: ignore[union-attr]  # the dead one's pipe closed when it was replaced
    _wait(lambda: room.recording_tick() is not None
          and any(f.get("kind") == "recorder_crashed" for f in room.state.faults), "the crash in the session")
    kinds = [f.get("kind") for f in room.state.faults]
    assert kinds.index("recorder_crashed") < kinds.index("restored")


def test_the_face_check_runs_outside_the_console_process(tmp_path: Path) -> None:
    from app.recording.faces import encode_jpeg
    from app.recording.sources import SyntheticCamera

    for faces in (1, 2):
        (tmp_path / f"{faces}.jpg").write_bytes(encode_jpeg(SyntheticCamera(faces=faces).read()))
    (tmp_path / "bad.jpg").write_bytes(b"not a picture")
    script = (
        "import sys; from pathlib import Path; from app.services.recording import FaceChecker\n"
        "checker = FaceChecker()\n"
        "for name in ('1', '2'): print(checker.check(Path(sys.argv[1], name + '.jpg').read_bytes())[0])\n"
        "try:\n    checker.check(Path(sys.argv[1], 'bad.jpg').read_bytes())\nexcept ValueError as exc: print(exc)\n"
        "print('cv2' in sys.modules, 'numpy' in sys.modules)\n"
        "checker.close()\n"
    )
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, cwd=ROOT,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["1", "2", "照片无法解码 / the photo cannot be decoded", "False False"]


def test_the_checkin_photo_comes_from_the_recorder(tmp_path: Path, rooms) -> None:  # type: ignore[no-untyped-def]
    # the stand-in face needs 240 lines
    room = _room(rooms, tmp_path / "home", RecordingSettings(size=(320, 240), fps=5))
    _wait(lambda: room.recording.latest_photo() is not None, "a preview")  # type: ignore[union-attr]
    room.open_bids()
    room.advance("checkin")
    photo = room.take_photo()
    assert photo.ok and photo.jpeg[:2] == b"\xff\xd8"
    assert len(room.check_identity("E1", photo.jpeg)) == 6
    checker = FaceChecker()
    assert checker.check(photo.jpeg)[0] == 1
    worker = checker.process
    assert worker is not None and worker.stdout is not None and worker.stdin is not None
    checker.close()  # both pipes closed now, not at the collector's whim (a ResourceWarning before)
    assert worker.stdout.closed and worker.stdin.closed and worker.returncode is not None


def test_the_recording_ends_with_the_session(tmp_path: Path, rooms) -> None:  # type: ignore[no-untyped-def]
    room = _room(rooms, tmp_path / "home")
    recording = room.recording
    assert recording is not None
    _wait(lambda: room.recording_tick().segments >= 1, "a segment")  # type: ignore[union-attr]
    desk = room.supervisor("监督员")
    room.session.terminate(desk._key, "现场秩序失控，终止评标")  # type: ignore[union-attr]
    room.recording_tick()
    assert recording.stopped and not recording.alive()
    feed = read_feed(recorder_feed(recording.out))  # type: ignore[arg-type]
    assert feed[-1].type == "recorder.stopped"
    assert _chained(room) == [ev.seq for ev in feed if ev.type in CHAINED_TYPES]  # the last segment too
    assert recording.status().cameras[0].state == "stopped" and not recording.status().alarm
