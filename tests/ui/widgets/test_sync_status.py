"""The console's sync status in the status bar: no center configured, a center that is down, then a real
center process receiving the session; the status is read on the database thread, never the GUI thread."""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

import pytest

import centerkit as ck
from app.center.service import Center, Config
from app.crypto.keys import VerifyingKey
from app.paths import DEMO_CASE
from app.services.sync import ConsoleSync
from app.sync.worker import Backoff, SyncStatus
from dbops import ask
from ui.i18n import Languages
from ui.launch import application
from ui.room_client import RoomClient
from ui.walkthrough import wait_until
from ui.widgets.sync_status import BAD, OK, SyncStatusLabel, SyncStatusPoller


def test_the_label_in_chinese_and_english(qtbot) -> None:
    application()
    label = SyncStatusLabel()
    qtbot.addWidget(label)
    label.show_status(None)
    assert label.text() == "同步：未配置交易中心"
    label.show_status(SyncStatus(last_sync=None, pending_events=3, pending_archives=1,
                                 last_error="http://127.0.0.1:1: ConnectError: [Errno 111] Connection refused"))
    assert label.text() == "同步：尚未同步 · 待发送 4 · 无法连接交易中心"
    assert BAD in label.styleSheet() and "1 个归档" in label.toolTip() and "Connection refused" in label.toolTip()
    languages = Languages()
    try:
        languages.switch("en")  # Qt posts LanguageChange: the label draws itself again
        qtbot.waitUntil(lambda: label.text().startswith("Sync"), timeout=5000)
        assert label.text() == "Sync: never synced · pending 4 · center unreachable"
        label.show_status(SyncStatus(last_sync="2026-01-02T03:04:05.000000Z", last_error="center refused (403): no"))
        local = datetime.fromisoformat("2026-01-02T03:04:05+00:00").astimezone().strftime("%Y-%m-%d %H:%M")
        assert label.text() == f"Sync: last sync {local} · pending 0 · center refused 403"
        label.show_status(None)
        assert label.text() == "Sync: no center configured"
    finally:
        languages.switch("zh_CN")
    qtbot.waitUntil(lambda: label.text() == "同步：未配置交易中心", timeout=5000)


@pytest.fixture
def client(qtbot, tmp_path: Path):
    application()
    room = RoomClient(tmp_path / "room", passphrase=b"test-passphrase")
    room.show_error = lambda _parent, text: pytest.fail(text)
    ask(qtbot, room, lambda r: r.start(DEMO_CASE))
    yield room
    room.close()


def test_no_center_configured(client: RoomClient, qtbot) -> None:
    label = SyncStatusLabel()
    qtbot.addWidget(label)
    SyncStatusPoller(client, label, ConsoleSync(configured=lambda: (None, None)), interval_ms=100)
    wait_until(lambda: label._known, "no status shown")
    assert label.text() == "同步：未配置交易中心"


def test_the_status_follows_a_real_center(client: RoomClient, qtbot, tmp_path: Path) -> None:
    port = ck.free_port()
    threads: set[str] = set()

    def configured() -> tuple[str, None]:
        threads.add(threading.current_thread().name)
        return f"http://127.0.0.1:{port}", None

    label = SyncStatusLabel()
    qtbot.addWidget(label)
    sync = ConsoleSync(configured=configured, idle=0.2, backoff=Backoff(base=0.2, cap=0.5))
    SyncStatusPoller(client, label, sync, interval_ms=200)
    # The center is down: everything is pending, and the error is shown in red.
    wait_until(lambda: label.status is not None and label.status.last_error is not None, "no error shown", timeout=30)
    assert "待发送" in label.text() and "无法连接交易中心" in label.text() and BAD in label.styleSheet()
    assert label.status.pending_events > 0
    # The center comes up with this room enrolled: the worker delivers, the label turns green.
    room = ask(qtbot, client, lambda room: room)
    center = Center(Config.default(tmp_path / "center"))
    center.enroll(room.room_id, VerifyingKey.from_pem((room.home / "keys" / "room.pub.pem").read_bytes()))
    center.close()
    server = ck.start_server(tmp_path / "center", port=port)
    try:
        wait_until(lambda: label.status is not None and label.status.pending == 0 and label.status.last_error is None,
                   f"the status did not clear: {label.text()}", timeout=40)
        assert label.text().startswith("同步：上次同步 ") and "待发送 0" in label.text() and OK in label.styleSheet()
    finally:
        server.stop()
    assert threads and threading.main_thread().name not in threads  # read on the database thread only


def test_a_console_closed_before_the_first_poll(qtbot, tmp_path: Path) -> None:
    """The first poll is queued for the next event-loop turn; closing the console before it runs must not
    schedule work on the closed database thread ("cannot schedule new futures after shutdown")."""
    application()
    room = RoomClient(tmp_path / "room", passphrase=b"test-passphrase")
    errors: list[str] = []
    room.show_error = lambda _parent, text: errors.append(text)
    label = SyncStatusLabel()
    qtbot.addWidget(label)
    calls: list[str] = []
    SyncStatusPoller(room, label, ConsoleSync(configured=lambda: calls.append("asked") or (None, None)),
                     interval_ms=100)
    room.close()
    qtbot.wait(300)  # the queued first poll and a timer period pass
    assert calls == [] and errors == [] and not label._known
