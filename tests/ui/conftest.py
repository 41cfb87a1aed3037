"""A real demo window on a temporary session for the GUI tests (embedded SQLite, synthetic camera)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.services.recording import RecordingSettings
from processes import recorders_started_by
from ui.launch import application, demo_window
from ui.walkthrough import Walkthrough, wait_idle, wait_until


@pytest.fixture(scope="session", autouse=True)
def no_recorder_left_behind():  # type: ignore[no-untyped-def]
    """After all the GUI tests, no recorder process they started may still run."""
    yield
    if Path("/proc/self/status").exists():
        left = recorders_started_by(os.getpid())
        assert not left, f"recorder processes left behind: {left}"


@pytest.fixture
def window(qtbot, tmp_path: Path):
    application()
    # a small, slow recorder (the stand-in face needs 240 lines) spares the shared CPU
    win = demo_window(tmp_path / "room", idle_minutes=60, recording=RecordingSettings(size=(320, 240), fps=5))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    win.errors = []
    win.client.show_error = lambda _parent, text: win.errors.append(text)
    wait_until(lambda: win.client.view is not None, "the demo session did not open")  # it opens in the background
    yield win
    wait_idle(win.client)
    win.client.close()  # stops the recorder
    recording = win.client.room.recording
    assert recording is None or not recording.alive(), "a recorder process was left behind"


@pytest.fixture
def walk(window, tmp_path: Path) -> Walkthrough:
    """The walkthrough's steps, for driving a window to a given stage."""
    steps = Walkthrough(tmp_path / "shots", window)
    steps.shot = lambda name: None  # type: ignore[method-assign]
    return steps
