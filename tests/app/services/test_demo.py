"""The demo's folder: the last demo is found again (which session, when), and a new demo clears it, stopping
a recorder a crashed demo left recording into it, so none runs on for a deleted folder."""

from __future__ import annotations

import time
from pathlib import Path

from app.paths import DEMO_CASE
from app.services.demo import clear_demo, demo_folder, last_demo
from app.services.recording import RecordingSettings, recorder_pid
from app.services.room import Room

SMALL = RecordingSettings(size=(160, 120), fps=5, segment_s=1)


def _running(pid: int | None) -> bool:
    """The process runs (a child that exited and was not reaped yet is a zombie: not running)."""
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" not in status.read_text()
    except OSError:
        return False


def test_the_demo_folder_is_its_own_under_the_per_user_data_folder() -> None:
    from platformdirs import user_data_dir

    assert demo_folder() == Path(user_data_dir("EvalRoom", "EvalRoom")) / "demo"


def test_the_last_demo_is_found_and_a_new_demo_clears_it_and_its_recorder(tmp_path: Path) -> None:
    home = tmp_path / "demo"
    assert last_demo(home) is None  # nothing yet: no question to ask
    before = time.time()
    room = Room(home, passphrase=b"pw", recording=SMALL)
    try:
        room.start(DEMO_CASE)
        room.advance("opening")
        recording = room.recording
        assert recording is not None
        deadline = time.monotonic() + 30
        while recorder_pid(recording.out) is None:  # the recorder process takes its folder's lock
            assert time.monotonic() < deadline, "the recorder did not start"
            time.sleep(0.1)
        last = last_demo(home)
        assert last is not None and last.folder == home and last.session == room.state.session
        assert last.modified.timestamp() >= before - 1
        (home / "locks").mkdir(exist_ok=True)
        (home / "locks" / "evalroom-demo.lock").write_text("1")
        # the console "crashed": its recorder still records into the folder
        pid = recorder_pid(recording.out)
        clear_demo(home)
        assert sorted(p.name for p in home.iterdir()) == ["locks"]  # the starting demo's lock is kept
        assert last_demo(home) is None
        deadline = time.monotonic() + 20  # it released its folder: its process ends right after
        while _running(pid):
            assert time.monotonic() < deadline, "the last demo's recorder was left running"
            time.sleep(0.05)
    finally:
        if room.recording is not None and room.recording.alive():
            room.recording.stop()
        room.faces.close()
        if room.session is not None:
            room.session.close()
