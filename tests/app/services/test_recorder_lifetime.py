"""No orphan recorders (issue 13, defect 6), with real processes: a demo's recorder ends with its console
however the console ends (SIGTERM, SIGKILL); a room console's recorder outlives a killed console, is found
through its lock (pid and process start time, checked against the real process) and adopted by the next
console of the same session, or stopped by a console that opens another session."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.paths import DEMO_CASE
from app.recording.feed import read_feed
from app.recording.process import lock_holder, process_start, recorder_feed
from app.recording.verify import verify_recording
from app.services.recording import RecordingSettings, stop_recorder
from app.services.room import Room

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="POSIX signals and Linux /proc")

ROOT = Path(__file__).resolve().parents[3]
SMALL = RecordingSettings(size=(160, 120), fps=5, segment_s=1, stall_s=1)


def _wait(predicate, what: str, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _console(script: str, *args: str) -> subprocess.Popen[str]:
    """A console-like process: it starts a recorder the way the console does, prints its pid, then waits."""
    return subprocess.Popen([sys.executable, "-c", script, *args], cwd=ROOT, stdout=subprocess.PIPE, text=True)


def _recording(out: Path) -> bool:
    try:
        status = json.loads((out / "preview" / "status.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(status.get("running")) and any(c.get("state") == "recording" for c in status["cameras"].values())


def _kill_left(out: Path) -> None:
    holder = lock_holder(out)
    if holder is not None and holder.verified:
        os.kill(holder.pid, signal.SIGKILL)


TIED = """
import sys, time
from pathlib import Path
from app.services.recording import RecordingSettings, RoomRecorder
settings = RecordingSettings(size=(160, 120), fps=5, segment_s=1, stall_s=1, ends_with_console=True)
recorder = RoomRecorder(Path(sys.argv[1]), settings, room="demo-room", session="demo")
recorder.start()
print(recorder.pid, flush=True)
time.sleep(600)
"""


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_a_demo_recorder_ends_with_its_console(how: signal.Signals, tmp_path: Path) -> None:
    out = tmp_path / "rec"
    console = _console(TIED, str(out))
    try:
        assert console.stdout is not None
        recorder = int(console.stdout.readline())
        _wait(lambda: _recording(out), "the recorder to record")
        holder = lock_holder(out)
        assert holder is not None and (holder.pid, holder.parent, holder.verified) == (recorder, console.pid, True)
        console.send_signal(how)
        console.wait(30)
        _wait(lambda: lock_holder(out) is None, "the recorder to end with its console")
    finally:
        if console.poll() is None:
            console.kill()
        _kill_left(out)
    feed = read_feed(recorder_feed(out))  # type: ignore[arg-type]
    assert feed[-1].type == "recorder.stopped" and "console that started it" in feed[-1].body["reason"]
    assert verify_recording(out).ok  # closed in order: its last segment too


ROOM = """
import sys, time
from pathlib import Path
from app.services.recording import RecordingSettings
from app.services.room import Room
room = Room(Path(sys.argv[1]), passphrase=b"pw", recording=RecordingSettings(size=(160, 120), fps=5, segment_s=1))
room.start(Path(sys.argv[2]))
print(room.recording.pid, flush=True)
time.sleep(600)
"""


def _package(tmp_path: Path, lot: str) -> Path:
    case = json.loads(DEMO_CASE.read_text(encoding="utf-8"))
    case["lot"]["code"] = lot  # another lot: another session
    path = tmp_path / f"{lot}.json"
    path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.slow
def test_a_room_recorder_outlives_its_console_then_is_adopted_or_stopped(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first, other = _package(tmp_path, "01"), _package(tmp_path, "02")
    console = _console(ROOM, str(home), str(first))
    try:
        assert console.stdout is not None
        recorder = int(console.stdout.readline())
        (out,) = (home / "sessions").glob("*/recording")
        _wait(lambda: _recording(out), "the recorder to record")
        console.kill()  # the console crashes: by design its room's recording goes on
        console.wait(30)
        time.sleep(1.0)
        holder = lock_holder(out)
        assert holder is not None and (holder.pid, holder.parent, holder.verified) == (recorder, None, True)
        assert holder.started == process_start(recorder)  # the lock names that very process
        # the next console of the same session adopts it
        again = Room(home, passphrase=b"pw", recording=SMALL)
        again.start(first)
        assert again.recording is not None and again.recording.status().attached and again.recording.pid == recorder
        _wait(lambda: again.recording_tick() is not None and len(again.state.recordings) >= 2, "segments chained")
        again.session.close()  # type: ignore[union-attr]  # and crashes too: nothing is stopped
        again.faces.close()
        # a console that opens another session stops the recorder nobody has open, and records its own
        third = Room(home, passphrase=b"pw", recording=SMALL)
        third.start(other)
        assert lock_holder(out) is None
        feed = read_feed(recorder_feed(out))  # type: ignore[arg-type]
        assert feed[-1].type == "recorder.stopped"
        assert third.recording is not None
        assert third.recording.out != out and not third.recording.status().attached
        third.close()
        assert lock_holder(third.recording.out) is None
    finally:
        if console.poll() is None:
            console.kill()
        for folder in (home / "sessions").glob("*/recording"):  # whatever happened, no recorder is left
            _kill_left(folder)
    assert verify_recording(out).ok


HOLD = """
import fcntl, json, sys, time
from pathlib import Path
run = Path(sys.argv[1]) / "run"
run.mkdir(parents=True)
handle = (run / "recorder.lock").open("a+")
fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
handle.write(json.dumps({"pid": int(sys.argv[2]), "started": "1", "time": time.time(), "parent": None}) + "\\n")
handle.flush()
print("held", flush=True)
time.sleep(600)
"""


def test_a_lock_that_names_another_process_is_not_trusted(tmp_path: Path) -> None:
    """The lock names a live pid whose process started at another time (a reused pid): that process is
    never signalled."""
    out = tmp_path / "rec"
    bystander = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    holder_process = _console(HOLD, str(out), str(bystander.pid))
    try:
        assert holder_process.stdout is not None and holder_process.stdout.readline().strip() == "held"
        holder = lock_holder(out)
        assert holder is not None and holder.pid == bystander.pid and not holder.verified
        assert stop_recorder(out, timeout=1.0) is False  # asked through the stop file; nobody is killed
        assert bystander.poll() is None
    finally:
        holder_process.kill()
        bystander.kill()
        holder_process.wait(10)
        bystander.wait(10)
    assert lock_holder(out) is None  # the lock goes with the process that held it
