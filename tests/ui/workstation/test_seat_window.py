"""The window of an expert's or supervisor's own PC on a member room (a stand-in with the MemberRoom's calls over
a real console Room): only that person's steps, no role switcher or console page, kiosk or not; the link with
the room hub shown calmly in the status bar; the RoomClient opening the room through an opener."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton, QTabWidget

from dbops import ask
from seatkit import Link, Seat, StandInMemberRoom
from ui.i18n import Languages
from ui.launch import application
from ui.room_client import RoomClient
from ui.walkthrough import wait_until
from ui.widgets.link_status import LinkStatusLabel, link_text
from ui.workstation.seat_pin import PinCheck, pin_problem, save_pin
from ui.workstation.seat_window import SUPERVISOR, SeatWindow

SHOTS = Path(os.environ.get("EVALROOM_SHOTS") or "/tmp/evalroom-shots")


@pytest.fixture
def member_room(tmp_path: Path) -> StandInMemberRoom:
    return StandInMemberRoom(tmp_path / "pc")


def _client(member_room: StandInMemberRoom) -> RoomClient:
    import threading

    def opener() -> StandInMemberRoom:
        member_room.opened_on = threading.current_thread().name
        return member_room

    client = RoomClient(Path("unused"), opener=opener)
    client.show_error = lambda _parent, text: pytest.fail(text)
    return client


def test_the_room_client_opens_a_member_room_through_its_opener_on_the_database_thread(qtbot, 
        member_room: StandInMemberRoom) -> None:
    application()
    client = _client(member_room)
    try:
        assert ask(qtbot, client, lambda room: room.link().online) is True
        assert member_room.opened_on is not None and member_room.opened_on.startswith("evalroom-db")
        assert client.view is not None and client.view.member("E1").checked_in
    finally:
        client.close()


def test_an_experts_pc_shows_only_its_own_experts_steps_and_no_console(qtbot, member_room: StandInMemberRoom,
                                                                       tmp_path: Path) -> None:
    application()
    client = _client(member_room)
    window = SeatWindow(Languages(), idle_minutes=60)
    qtbot.addWidget(window)
    save_pin(tmp_path / "pc", "session-x", "2468")
    window.take_seat(client, Seat("E1"), PinCheck(tmp_path / "pc", "session-x"))
    window.show()
    try:
        wait_until(lambda: window.page is not None, "the station was not built")
        from ui.workstation.station import Station

        assert isinstance(window.page, Station) and window.page.member == "E1"
        wait_until(lambda: "E1" in window.page.header.text(), "the header does not name the expert")
        # role separation: no role switcher, no console area or page, no other expert's station
        names = {b.text() for b in window.findChildren(QPushButton)}
        assert not names & {"主控台", "专家工作站", "监督", "会话导入", "专家签到"}, names
        assert window.station is window.page and window.desk is None
        for absent in ("console", "role_buttons", "workstations", "select_role", "supervisor"):
            assert not hasattr(window, absent), absent
        from ui.console.checkin_page import CheckinPage
        from ui.main_window import ConsoleArea, WorkstationArea

        for kind in (ConsoleArea, WorkstationArea, CheckinPage):
            assert not window.findChildren(kind), kind
        assert len(window.findChildren(Station)) == 1
        tabs = window.page.findChild(QTabWidget)
        assert tabs is not None and tabs.tabText(0) == "① 承诺书"
        # the idle lock unlocks with the PIN set at pairing, kept as a hash in the seat folder
        assert window.page._check_pin("2468") and not window.page._check_pin("1111")
        # the status bar: the link, calmly
        wait_until(lambda: window.link.text().startswith("已连接评标室服务器"), "the link is not shown")
        member_room.linked = Link(False, datetime.now(UTC), 5, "ConnectError: connection refused")
        wait_until(lambda: window.link.text().startswith("离线"), "the cut link is not shown")
        assert window.link.text() == "离线：评分保存在本机，恢复连接后自动同步（待同步 5 条）"
        qtbot.wait(200)  # the status bar lays the longer text out
        SHOTS.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SHOTS / "seat-expert-offline.png"))
    finally:
        client.close()
        window.close()


def test_the_kiosk_keeps_the_seat_window_to_its_own_page(qtbot, member_room: StandInMemberRoom) -> None:
    from ui.kiosk import Kiosk

    application()
    client = _client(member_room)
    window = SeatWindow(Languages(), idle_minutes=60)
    qtbot.addWidget(window)
    window.take_seat(client, Seat("E1"))
    Kiosk(window, lambda text: text == "exit").show()
    try:
        wait_until(lambda: window.page is not None, "the station was not built")
        names = {b.text() for b in window.findChildren(QPushButton)}
        assert not names & {"主控台", "专家工作站", "监督"}
        menus = [a.text() for a in window.menuBar().actions()]
        assert "角色" not in menus
    finally:
        client.close()
        window.close()


def test_a_supervisors_pc_shows_the_supervisors_page_only(qtbot, member_room: StandInMemberRoom) -> None:
    application()
    client = _client(member_room)
    window = SeatWindow(Languages(), role=SUPERVISOR, idle_minutes=60)
    qtbot.addWidget(window)
    window.take_seat(client, Seat("张监督", "supervisor"))
    window.show()
    try:
        wait_until(lambda: window.page is not None, "the supervisor's page was not built")
        from ui.supervisor.supervisor_page import SupervisorPage
        from ui.workstation.station import Station

        assert isinstance(window.page, SupervisorPage) and window.page.name == "张监督"
        assert not window.findChildren(Station)
        wait_until(lambda: window.page.letter is not None, "the supervisor's letter was not shown")
        # the console records the room: this PC says so under the camera box, not that nothing is recorded
        wait_until(lambda: "录像由主控台进行" in window.page.preview.caption.text(),
                   f"the camera caption says {window.page.preview.caption.text()!r}", 20)
        window.grab().save(str(SHOTS / "seat-supervisor.png"))
    finally:
        client.close()
        window.close()


def test_the_link_text_is_calm_in_both_states() -> None:
    application()
    now = datetime(2026, 12, 3, 10, 2, 11, tzinfo=UTC)
    text, _colour, _tip = link_text(Link(True, now, 0))
    assert text.startswith("已连接评标室服务器 · 最后同步 ")
    assert now.astimezone().strftime("%H:%M:%S") in text
    cut = link_text(Link(False, None, 0, "ConnectError"))[0]
    assert cut == "离线：评分保存在本机，恢复连接后自动同步（待同步 0 条）"
    assert link_text(Link(False, None, 0))[0] == "正在连接评标室服务器…"  # no exchange has answered yet
    assert link_text(None)[0] == "正在连接评标室服务器…"
    for stamp in (now.timestamp(), now.isoformat().replace("+00:00", "Z")):
        assert "最后同步" in link_text(Link(True, stamp, 2))[0]
    label = LinkStatusLabel()
    label.show_status(Link(False, now, 3, "hub down"))
    assert "hub down" in label.toolTip()
    forked = Link(True, now, 0)
    forked.problems = ("E1 的事件链分叉 / a fork of E1's feed",)  # type: ignore[attr-defined]
    label.show_status(forked)
    assert label.text().endswith("⚠") and "分叉" in label.toolTip()


def test_a_pin_is_4_to_8_digits_typed_twice() -> None:
    assert pin_problem("12", "12") is not None
    assert pin_problem("2468", "2467") is not None
    assert pin_problem("24680", "24680") is None
