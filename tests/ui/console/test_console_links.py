"""The console with its room hub on (issue 14 items 2 and 3): the check-in desk says where the expert types the
code, the hub's address and the room CA's fingerprint; the progress page shows each paired PC's link as the hub
heard it (a real expert PC syncing in a process of its own: online, then offline once it is gone); and closing
scoring names whom it waits for, with that member's link."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.paths import DEMO_CASE
from dbops import ask
from ui.i18n import Languages
from ui.launch import application
from ui.main_window import MainWindow
from ui.room_client import RoomClient
from ui.walkthrough import wait_until

ROOT = Path(__file__).resolve().parents[3]
PC_PASS = "pc passphrase 1"
SHOTS = Path(os.environ.get("EVALROOM_SHOTS") or "/tmp/evalroom-shots")
pytestmark = pytest.mark.slow

SYNCING_PC = f"""
import sys, time
from pathlib import Path
from app.services.member_room import MemberRoom
from app.services.pairing import load_seat
home = Path(sys.argv[1])
seat = load_seat(home, b"{PC_PASS}")
room = MemberRoom(home, seat, sync_interval=0.5)
room.start()
print("syncing", flush=True)
time.sleep(600)
"""


def _cell(table, row: int, column: int) -> str:  # type: ignore[no-untyped-def]
    item = table.item(row, column)
    return item.text() if item is not None else ""


def test_the_desk_names_the_hub_and_the_progress_page_shows_each_pcs_link(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    application()
    client = RoomClient(tmp_path / "console", demo=True, hub_listen="127.0.0.1:0")
    ask(qtbot, client, lambda room: room.start(DEMO_CASE))
    window = MainWindow(client, Languages())
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    pc: subprocess.Popen[str] | None = None
    try:
        wait_until(lambda: window.hub.info is not None, "the room hub did not start", 60)
        info = window.hub.info
        code = ask(qtbot, client, lambda room: (room.open_bids(), room.advance("checkin"),
                                              room.check_identity("E1", room.take_photo().jpeg))[-1])
        window.console.show_page(2)
        desk = window.console.checkin
        wait_until(lambda: info["fingerprint"] in desk.hub_note.text(), "the desk does not show the fingerprint")
        assert desk.hub_note.text().startswith("在专家评审终端输入此码\n")  # one language
        assert info["url"] in desk.hub_note.text() or any(u in desk.hub_note.text() for u in info["lan_urls"])
        desk.codes["E1"] = code  # as the desk's own 核验身份并发放登录码 keeps it
        desk._show_code()
        qtbot.wait(100)
        SHOTS.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(SHOTS / "console-checkin-hub.png"))

        pairing = subprocess.Popen([sys.executable, "-m", "app", "pair", "--hub", info["url"], "--code", code,
                                    "--data", str(tmp_path / "pc-E1")], cwd=ROOT, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "EVALROOM_KEY_PASSPHRASE": PC_PASS})
        wait_until(lambda: pairing.poll() is not None, "the PC's pairing did not end", 120)  # the console answers
        out, err = pairing.communicate()
        assert pairing.returncode == 0, (out, err)

        pc = subprocess.Popen([sys.executable, "-c", SYNCING_PC, str(tmp_path / "pc-E1")], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        window.console.show_page(4)
        summary = window.console.summary
        assert summary.progress.horizontalHeaderItem(5).text() == "终端链路"
        wait_until(lambda: _cell(summary.progress, 0, 5).startswith("在线"),
                   f"E1's PC is not shown online: {_cell(summary.progress, 0, 5)!r}", 60)
        assert _cell(summary.progress, 1, 5) == "未连接"  # E2 has no PC yet
        qtbot.wait(100)
        window.grab().save(str(SHOTS / "console-progress-links.png"))

        pc.send_signal(signal.SIGKILL)  # the PC is gone: not heard for 10 s is offline
        pc.wait(10)
        wait_until(lambda: _cell(summary.progress, 0, 5).startswith("离线"),
                   f"E1's PC is not shown offline: {_cell(summary.progress, 0, 5)!r}", 40)
    finally:
        if pc is not None and pc.poll() is None:
            pc.kill()
            pc.wait(10)
        client.close()
        window.close()


def test_closing_scoring_names_whom_it_waits_for_with_each_link(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from app.services.links import MemberLink, closing_waits
    from ui.console.member_links import LinkReport
    from ui.console.summary_page import SummaryPage

    application()
    client = RoomClient(tmp_path / "console", demo=True, hub_listen="127.0.0.1:0")  # no window: no hub started

    def to_scoring(room):  # type: ignore[no-untyped-def]
        room.start(DEMO_CASE)
        room.open_bids()
        room.advance("checkin")
        stations = {}
        for member in [m.id for m in room.state.base_case.committee]:
            station = room.login(room.check_identity(member, room.take_photo().jpeg), "2468")
            station.sign_letter(b"png", "{}", station.letter().version_sha256)
            station.declare(False, [], "")
            stations[member] = station
        room.advance("committee")
        room.elect_chair("E1")
        room.advance("preliminary")
        for station in stations.values():
            for bidder in ("B1", "B2", "B3", "B4"):
                station.verdict(bidder, True, None)
        room.advance("scoring")

    try:
        ask(qtbot, client, to_scoring)
        page = SummaryPage(client)
        qtbot.addWidget(page)
        page.resize(1366, 700)
        page.show()
        assert client.view is not None
        page.show_view(client.view)
        now = datetime.now(UTC)
        links = {"E1": MemberLink("E1", "王建国", True, now, 0),
                 "E2": MemberLink("E2", "李淑芬", False, now - timedelta(minutes=3), 5)}
        waits = ask(qtbot, client, lambda room: closing_waits(room.state, links, now))
        page.show_links(LinkReport(links, {}, waits))
        assert page.waiting.isVisible()
        text = page.waiting.text()
        assert text.startswith("评分结束须等待以下成员提交：")
        assert f"E2 李淑芬（离线 {links['E2'].last_heard.astimezone():%H:%M:%S} · 待同步 5）" in text
        assert "E1 王建国（在线" in text
        assert "E2 李淑芬 尚未提交评分" in page.summary_button.toolTip()
        assert not page.summary_button.isEnabled()
        assert _cell(page.progress, 1, 5).startswith("离线 ") and _cell(page.progress, 2, 5) == "未连接"
        qtbot.wait(100)
        page.grab().save(str(SHOTS / "console-closing-waits.png"))
    finally:
        client.close()
