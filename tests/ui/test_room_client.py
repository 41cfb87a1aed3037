"""The room client after close(): a poll timer or a queued delivery that outlived the window must not
raise ("cannot schedule new futures after shutdown"); it is dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.paths import DEMO_CASE
from dbops import ask
from ui.launch import application
from ui.ops import DbOp
from ui.room_client import RoomClient
from ui.widgets.camera_preview import RecordingMonitor


def test_calls_after_close_are_dropped_not_raised(qtbot, tmp_path: Path) -> None:
    application()
    client = RoomClient(tmp_path / "room", passphrase=b"test-passphrase")
    client.show_error = lambda _parent, text: pytest.fail(text)
    ask(qtbot, client, lambda r: r.start(DEMO_CASE))
    ran: list[str] = []
    client.close()
    late = DbOp(client, lambda room: ran.append("late"))
    late.run_in_background()
    client.refresh()
    assert client.submit(late) is False  # dropped, not queued
    assert ran == []
    client.close()  # a second close (window and application both closing) is harmless


def test_a_monitor_tick_delivered_after_close_does_nothing(qtbot, tmp_path: Path) -> None:
    application()
    client = RoomClient(tmp_path / "room", passphrase=b"test-passphrase")
    ask(qtbot, client, lambda r: r.start(DEMO_CASE))
    monitor = RecordingMonitor(client)
    monitor.close()
    client.close()

    class Status:
        segments = 3

    monitor._ticked(Status())  # type: ignore[arg-type]  # the tick's answer queued before the close
