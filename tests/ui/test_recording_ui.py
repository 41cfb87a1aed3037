"""The recorder in the GUI: the live preview on the console's recording panel and the supervisor page,
the red alarm bar on both when the recorder stops answering (cleared when it answers again), no OpenCV in
the GUI process, and no recorder process left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.recording.config import RUN
from app.services.recording import RecordingSettings, recorder_pid
from dbops import ask
from ui.launch import application, demo_window
from ui.walkthrough import wait_idle, wait_until

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def recorded(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    application()
    win = demo_window(tmp_path / "room", idle_minutes=60,
                      recording=RecordingSettings(size=(320, 240), fps=5, segment_s=1))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.client.show_error = lambda _parent, text: None
    wait_until(lambda: win.client.view is not None, "the demo session did not open")
    yield win
    wait_idle(win.client)
    win.client.close()
    recording = win.client.room.recording
    assert recording is not None and not recording.alive()


def test_the_console_panel_shows_the_live_preview_and_the_chained_segments(qtbot, recorded) -> None:  # type: ignore[no-untyped-def]
    recorded.console.show_page(5)
    panel = recorded.console.recording
    wait_until(lambda: not panel.preview.picture.pixmap().isNull(), "the preview")
    wait_until(lambda: int(panel.segments.text()) >= 1, "a segment chained")
    assert "录像中" in panel.preview.caption.text() and "录像中" in panel.state.text()
    wait_until(lambda: "有声音" in panel.preview.caption.text(), "the test tone's health")  # the synthetic microphone
    assert "有声音" in panel.state.text()
    assert "UTC" in panel.last_segment.text() and "运行中 (pid" in panel.process.text()
    assert not recorded.console.alarm.isVisible()
    events = ask(qtbot, recorded.client, lambda room: [r["recorder_seq"] for r in room.state.recordings])
    assert events == sorted(set(events)) and len(events) >= 1


@pytest.mark.skipif(os.name != "posix", reason="SIGSTOP")
def test_a_recorder_that_stops_answering_raises_the_red_bar_until_it_answers(qtbot, recorded, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from app.recording import process

    monkeypatch.setattr(process, "STALE_S", 1.0)
    recorded.select_role(2)
    supervisor = recorded.supervisor
    wait_until(lambda: not supervisor.camera.pixmap().isNull(), "the supervisor's preview")
    pid = ask(qtbot, recorded.client, lambda room: room.recording.pid)
    os.kill(pid, signal.SIGSTOP)
    try:
        wait_until(lambda: supervisor.alarm.isVisible() and "无响应" in supervisor.alarm.text(),
                   "the alarm on the supervisor page")
        assert "录像告警" in supervisor.alarm.text()
        wait_until(lambda: "录像进程无响应" in supervisor.preview.caption.text(), "the preview's state")
        recorded.select_role(0)
        recorded.console.show_page(5)
        wait_until(lambda: "录像进程无响应" in recorded.console.recording.process.text(), "the panel's process state")
        assert recorded.console.alarm.isVisible() and "无响应" in recorded.console.alarm.text()
    finally:
        os.kill(pid, signal.SIGCONT)
    wait_until(lambda: not recorded.console.alarm.isVisible(), "the alarm cleared")
    recorded.console.show_page(5)
    history = [recorded.console.recording.history.item(i).text()
               for i in range(recorded.console.recording.history.count())]
    assert any("告警" in line and "无响应" in line for line in history)
    assert any("已恢复" in line for line in history)


def test_closing_the_window_stops_the_recorder(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    application()
    win = demo_window(tmp_path / "room", recording=RecordingSettings(size=(320, 240), fps=5))
    qtbot.addWidget(win)
    wait_until(lambda: win.client.view is not None, "the demo session did not open")
    recording = ask(qtbot, win.client, lambda room: room.recording)
    wait_until(lambda: recording.status().running, "the recorder")
    pid = recording.pid
    win.client.close()
    assert recorder_pid(recording.out) is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_no_opencv_in_the_gui_process_through_a_check_in(tmp_path: Path) -> None:
    script = r"""
import sys
from pathlib import Path
from ui.launch import application, demo_window
from ui.walkthrough import ask, wait_until
from app.services.recording import RecordingSettings
application()
win = demo_window(Path(sys.argv[1]), recording=RecordingSettings(size=(320, 240), fps=5))
win.show()
wait_until(lambda: win.client.view is not None, "session")
def desk(room):
    room.open_bids(); room.advance("checkin")
    return room.check_identity("E1", room.take_photo().jpeg)
code = ask(win.client, desk)
ask(win.client, lambda room: room.recording_tick())
print(len(code), [m for m in ("cv2", "numpy", "av") if m in sys.modules])
win.client.close()
"""
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path / "room")], capture_output=True, text=True,
                         cwd=ROOT, timeout=180, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split("\n")[-2] == "6 []"


def test_the_leftover_check_sees_a_running_recorder(tmp_path: Path) -> None:
    """The session check of conftest (no recorder left behind) does find one while it runs."""
    from app.services.recording import RoomRecorder
    from processes import recorders_started_by

    if not Path("/proc/self/status").exists():
        pytest.skip("needs Linux /proc")
    recorder = RoomRecorder(tmp_path / "rec", RecordingSettings(size=(160, 120), fps=5), room="r", session="s")
    recorder.start()
    try:
        # the new process's command line is readable a moment after Popen returns: exec switches the memory
        # first (which lets the parent go on) and sets up the arguments after, so a loaded machine may read an
        # empty /proc/PID/cmdline in between
        deadline = time.monotonic() + 30
        while not (seen := recorders_started_by(os.getpid())) and recorder.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        log = tmp_path / "rec" / RUN / "recorder.log"  # why, when it is not seen
        assert any(str(recorder.pid) in line for line in seen), (recorder.pid, recorder.alive(), seen,
                                                                 log.read_text(errors="replace")[-2000:])
    finally:
        recorder.stop()
    assert recorders_started_by(os.getpid()) == []


def test_the_check_in_desk_shows_the_live_camera_until_a_photo_is_taken(recorded) -> None:  # type: ignore[no-untyped-def]
    recorded.console.show_page(2)
    desk = recorded.console.checkin
    assert desk.photo is None and desk.preview.pixmap().isNull()
    wait_until(lambda: not desk.preview.pixmap().isNull(), "the live picture on the check-in desk")
