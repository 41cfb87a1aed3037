"""The layout gate: every page of the console, the expert workstation and the supervisor at three stages of the demo
walkthrough (in English once), and the remote venue's console, at 1366×768 (a room's screen) and 1920×1080: the window
keeps its size whichever page is shown, no visible widget is cut by the window or its parent, no text of a label,
button or table header is cut, no header line is a lone closing bracket, no list is a peephole, and no page of the
demo session needs scrolling (tests/support/layoutkit.py). A picture of every page at both sizes is kept in the test's
folder (EVALROOM_SHOTS: in that folder instead)."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QMainWindow, QPushButton, QTableWidget, QVBoxLayout, QWidget

import layoutkit
from app.services.venues import RemoteView, SeatRow, Timer
from app.settings import Settings
from app.sync.worker import SyncStatus
from seatkit import Link, Seat, StandInMemberRoom
from ui.common import TITLE_BAR, needs_maximizing
from ui.i18n import Languages
from ui.launch import application
from ui.main_window import CONSOLE_PAGES, MainWindow
from ui.room_client import RoomClient
from ui.venue.client import VenueClient
from ui.venue.window import VenueWindow
from ui.walkthrough import Walkthrough, wait_idle, wait_until
from ui.workstation.seat_window import EXPERT, SUPERVISOR, SeatWindow
from venuekit import VENUE

# the walkthrough's pictures at which every page is looked at, and at which sizes (the others are dialogs, or a stage
# seen already; the big screen is looked at where the pages hold the most), and where a picture of each page is kept
# too (a 1920×1080 PNG takes ~0.1 s to write: once, where every step is open)
TOURS = {"scoring": layoutkit.SIZES[:1], "english": layoutkit.SIZES[:1], "archive": layoutkit.SIZES}
PICTURES = ("archive",)


class Tour:
    def __init__(self, window: MainWindow, folder: Path) -> None:
        self.window, self.folder = window, folder
        self.found: list[str] = []
        self.pages: set[str] = set()
        self.shots: list[Path] = []
        self.spent = {"check": 0.0, "picture": 0.0}

    def look(self, stage: str, page: str, size: QSize) -> None:
        started = time.monotonic()
        # the demo session's pages fit a room's screen: the scroll areas are for longer cases, not for these
        self.found += layoutkit.problems(self.window, f"{stage} · {page}", size, must_fit=True)
        self.pages.add(page)
        checked = time.monotonic()
        if stage in PICTURES:
            label = f"{size.width()}x{size.height()}-{stage}-{page}".replace(" ", "_").replace("/", "_")
            self.shots.append(layoutkit.shoot(self.window, self.folder, label))
        self.spent["check"] += checked - started
        self.spent["picture"] += time.monotonic() - checked

    def every_page(self, stage: str) -> None:
        started = time.monotonic()
        self._every_page(stage)
        self.spent["tours"] = self.spent.get("tours", 0.0) + time.monotonic() - started

    def _every_page(self, stage: str) -> None:
        w = self.window
        wait_idle(w.client)
        role, console_page = w.areas.currentIndex(), w.console.stack.currentIndex()
        stations = w.workstations
        picked = stations.picker.currentIndex()
        station = next(iter(stations.stations.values()), None)
        step = station.steps.currentIndex() if station is not None else 0
        for size in TOURS[stage]:
            w.resize(size)
            layoutkit.settle()
            w.select_role(0)
            for index, title in enumerate(CONSOLE_PAGES):
                w.console.show_page(index)
                wait_idle(w.client)
                self.look(stage, f"console {index + 1} {title}", size)
            w.select_role(1)
            stations.picker.setCurrentIndex(0)
            self.look(stage, "workstation login", size)
            if station is not None:
                stations.show_station(station.member)
                for tab in range(station.steps.count()):
                    if station.steps.isTabVisible(tab) and station.steps.isTabEnabled(tab):
                        station.steps.setCurrentIndex(tab)
                        wait_idle(w.client)
                        self.look(stage, f"workstation {station.steps.tabText(tab)}", size)
            w.select_role(2)
            supervisor = w.supervisor
            for tab in range(supervisor.tabs.count()):
                supervisor.tabs.setCurrentIndex(tab)
                self.look(stage, f"supervisor {supervisor.tabs.tabText(tab)}", size)
            supervisor.tabs.setCurrentIndex(0)
        w.resize(layoutkit.SIZES[0])
        stations.picker.setCurrentIndex(picked)
        if station is not None:
            station.steps.setCurrentIndex(step)
        w.console.show_page(console_page)
        w.select_role(role)
        layoutkit.settle()


@pytest.mark.slow  # every page of five windows at two sizes (about 20 s of CPU)
def test_every_page_keeps_the_window_and_shows_every_widget_whole(window, tmp_path: Path) -> None:
    started = time.monotonic()
    folder = Path(os.environ.get("EVALROOM_SHOTS") or tmp_path / "shots") / "layout"
    tour = Tour(window, folder)
    window.resize(layoutkit.SIZES[0])
    walk = Walkthrough(tmp_path / "walk", window)
    walk.shot = lambda name, widget=None: tour.every_page(name) if name in TOURS else None  # type: ignore[method-assign]
    walk.run()
    print(f"layout: {len(tour.pages)} pages at {len(TOURS)} stages, {len(tour.shots)} pictures in {folder}, "
          f"{time.monotonic() - started:.1f} s (" + ", ".join(f"{k} {v:.1f} s" for k, v in tour.spent.items()) + ")")
    assert not tour.found, f"{len(tour.found)} layout problems:\n" + "\n".join(dict.fromkeys(tour.found))


def _remote_view() -> RemoteView:
    """A remote venue at check-in, as its console shows it: two seats, messages both ways, the main venue timing an
    outage of this venue's link (R-SUS-6), the link to the center down with events waiting."""
    now = datetime(2026, 11, 20, 2, 30, tzinfo=UTC)
    seats = (SeatRow("E4", "刘海峰", "expert", True, True, True, True, False),
             SeatRow("E5", "陈晓燕", "expert", False, False, False, False, False))
    names = {"main-room": "吉林市公共资源交易中心主场", VENUE: "县公共资源交易中心副场"}
    messages = tuple({"time": f"2026-11-20T02:{10 + i}:00Z", "from": sender, "to": receiver, "text": text}
                     for i, (sender, receiver, text) in enumerate([
                         (VENUE, "main-room", "副场两位专家已到场，正在核验身份"),
                         ("main-room", VENUE, "主场收到，请在签到后确认承诺书已签署，并保持摄像头画面清晰、连续"),
                         (VENUE, "main-room", "E4 已签到；E5 证件核验中")]))
    timer = Timer(VENUE, "R-SUS-6", now - timedelta(minutes=4), None, now + timedelta(minutes=26), "waiting",
                  timedelta(minutes=26), "评标开始前副场链路中断：30 分钟内恢复的继续进行，否则主场决定是否延期。",
                  False, None)
    link = SyncStatus(last_sync="2026-11-20T02:25:41Z", pending_events=3,
                      last_error="无法连接交易中心 http://10.20.0.5:8443（连接被拒绝）")
    hub = {"url": "https://127.0.0.1:8765", "lan_urls": ["https://10.20.1.15:8765", "https://192.168.8.2:8765"],
           "fingerprint": "BA6A FD58 0C1E 77A2 9D41 63F0 5B2E 8C19"}  # E5's code is shown with this venue's hub
    return RemoteView("REMOTE-001-01", "吉林市第一中学智慧教室设备采购项目（JLZC-2026-001）", "智慧教室设备（01）",
                      "checkin", VENUE, names[VENUE], names, seats, messages, timer, None, link, now, hub, None,
                      ("E5",))


def test_the_venue_console_keeps_its_window_and_shows_every_widget_whole(qtbot, tmp_path: Path) -> None:
    application()
    client = VenueClient(Settings(room_id=VENUE, room_name="县公共资源交易中心副场", center_url=None,
                                  data_folder=tmp_path / "county"))
    window = VenueWindow(client, Languages())
    qtbot.addWidget(window)
    folder = Path(os.environ.get("EVALROOM_SHOTS") or tmp_path / "shots") / "layout"
    found: list[str] = []
    try:
        window.show()
        for size in layoutkit.SIZES:
            window.resize(size)
            window._joining("无法连接交易中心 http://10.20.0.5:8443（连接被拒绝）\n30 秒后重试 / retrying in 30 s",
                            True)
            found += layoutkit.problems(window, "venue console, not joined", size)
            layoutkit.shoot(window, folder, f"{size.width()}x{size.height()}-venue-waiting")
            window._joining("已加入会话 REMOTE-001-01", False)
            window.issued = {"E5": "482913"}  # E5's identity verified: the code for the expert's own PC
            window.code.setText("482913")
            window.show_view(_remote_view())
            found += layoutkit.problems(window, "venue console, check-in", size)
            layoutkit.shoot(window, folder, f"{size.width()}x{size.height()}-venue-checkin")
    finally:
        client.close()
    assert not found, f"{len(found)} layout problems:\n" + "\n".join(dict.fromkeys(found))


def test_the_kit_names_the_page_and_the_widget(qtbot) -> None:
    """The gate itself: a window that grows with its page, a widget pushed out of its parent, a label whose text is
    cut and a header with a lone bracket are each reported with the widget's name."""
    application()
    window = QMainWindow()
    qtbot.addWidget(window)
    body = QWidget()
    column = QVBoxLayout(body)
    tall = QLabel("很高的页面")
    tall.setObjectName("tallPage")
    tall.setMinimumHeight(900)
    column.addWidget(tall)
    window.setCentralWidget(body)
    window.resize(layoutkit.SIZES[0])
    window.show()
    found = layoutkit.problems(window, "page A", layoutkit.SIZES[0])
    assert found and found[0].startswith("page A @ 1366×768: the window is 1366×") and "tallPage" in found[0]

    tall.setMinimumHeight(0)
    window.setFixedSize(layoutkit.SIZES[0])
    stray = QPushButton("开始详细评审", body)
    stray.move(1300, 700)
    stray.resize(200, 40)
    cut = QLabel("评审状态：评审完成，已排序，共五家投标人", body)
    cut.setGeometry(10, 10, 60, 20)
    grid = QTableWidget(1, 1, body)
    grid.setHorizontalHeaderLabels(["质量管理体系认证\n（ISO9001\n）"])
    grid.setGeometry(10, 40, 400, 200)
    box = QGroupBox("签到", body)
    box.setGeometry(10, 300, 100, 60)
    inner = QPushButton("核验身份并签到", box)
    inner.setGeometry(60, 20, 120, 30)
    members = QTableWidget(7, 2, body)  # a committee of seven in a list without a scroll bar, too short for them
    members.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    members.setGeometry(500, 40, 300, 200)
    for widget in (stray, cut, grid, box, inner, members):
        widget.show()
    text = "\n".join(layoutkit.problems(window, "page B", layoutkit.SIZES[0]))
    assert "page B @ 1366×768: QPushButton “开始详细评审” lies outside the window (200×40 at 1300," in text
    assert "QPushButton “核验身份并签到” is cut by its parent QGroupBox “签到”" in text
    assert "QLabel “评审状态：评审完成，已排序，共五家投标人”: text cut" in text
    assert "a line is only “）”" in text
    assert "QTableWidget in QWidget in QMainWindow: rows hidden with no scroll bar (" in text


def test_a_window_larger_than_the_screen_opens_maximized() -> None:
    """The console opens at 1280×800: on a 1366×768 room screen (a task bar, a title bar) it opens maximized, so its
    bottom is on the screen; on a 1920×1080 screen at its own size."""
    assert needs_maximizing(QSize(1280, 800), QSize(1366, 728))
    assert needs_maximizing(QSize(1280, 800), QSize(1366, 768))
    assert not needs_maximizing(QSize(1280, 800), QSize(1920, 1040))


@pytest.mark.parametrize("role", [EXPERT, SUPERVISOR])
def test_an_own_pcs_seat_window_keeps_its_size_and_shows_every_widget_whole(qtbot, tmp_path: Path, role: str) -> None:
    """An expert's or the supervisor's own PC (ui/workstation/seat_window.py), its link to the hub cut (the longest
    status line), at both sizes."""
    application()
    member_room = StandInMemberRoom(tmp_path / "pc")
    client = RoomClient(Path("unused"), opener=lambda: member_room)
    window = SeatWindow(Languages(), role=role, idle_minutes=60)
    qtbot.addWidget(window)
    folder = Path(os.environ.get("EVALROOM_SHOTS") or tmp_path / "shots") / "layout"
    found: list[str] = []
    try:
        window.take_seat(client, Seat("E1") if role == EXPERT else Seat("张监督", "supervisor"))
        window.show()
        wait_until(lambda: window.page is not None, "the seat's page was not built")
        member_room.linked = Link(False, datetime.now(UTC), 5, "ConnectError: connection refused")
        wait_until(lambda: window.link.text().startswith("离线"), "the cut link is not shown")
        for size in layoutkit.SIZES:
            window.resize(size)
            qtbot.wait(50)  # the status bar lays the longer text out
            found += layoutkit.problems(window, f"{role}'s own PC", size)
            layoutkit.shoot(window, folder, f"{size.width()}x{size.height()}-seat-{role}")
    finally:
        client.close()
    assert not found, f"{len(found)} layout problems:\n" + "\n".join(dict.fromkeys(found))


def test_the_start_screen_and_the_dialogs_fit_a_room_screen_with_every_text_whole(qtbot, tmp_path: Path) -> None:
    """The start screen, the first-run wizard (with the passphrase asked), the report's signing dialog and the demo
    choice, at the size they open: within a 1366×768 screen with its title bar, nothing cut."""
    from app.services.demo import LastDemo
    from ui.first_run import FirstRunWizard
    from ui.launch import DemoChoice
    from ui.report.sign_dialog import SignDialog
    from ui.start_screen import StartScreen

    application()
    room = layoutkit.SIZES[0]
    last = LastDemo(tmp_path / "demo", "DEMO-2026-001-01", datetime(2026, 12, 3, 9, 30))
    dialogs = {"start screen": StartScreen(),
               "first-run wizard": FirstRunWizard(Settings(data_folder=tmp_path / "data"), tmp_path / "settings.toml",
                                                  ask_passphrase=True),
               "report signing": SignDialog("王建国", "a" * 64),
               "demo choice": DemoChoice(last)}
    found: list[str] = []
    folder = Path(os.environ.get("EVALROOM_SHOTS") or tmp_path / "shots") / "layout"
    for label, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        dialog.show()
        layoutkit.settle()
        size = dialog.size()
        if size.width() > room.width() or size.height() + TITLE_BAR > room.height():
            found.append(f"{label}: opens at {size.width()}×{size.height()}, larger than a 1366×768 screen")
        found += layoutkit.problems(dialog, label, size)
        layoutkit.shoot(dialog, folder, f"dialog-{label.replace(' ', '-')}")
        dialog.close()
    assert not found, f"{len(found)} layout problems:\n" + "\n".join(found)
