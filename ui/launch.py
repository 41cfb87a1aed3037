"""GUI entry points, plugged into the `evalroom` command line through the `evalroom.gui` group."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from app.paths import DEMO_CASE
from ui.common import show_on_screen
from ui.fonts import install_cjk_font
from ui.i18n import Languages, tr
from ui.main_window import MainWindow
from ui.ops import DbOp
from ui.room_client import RoomClient
from ui.signals import end_in_order_on_signals

if TYPE_CHECKING:
    from app.services.demo import LastDemo

CONTINUE, NEW = "continue", "new"


def application() -> QApplication:
    # high-DPI: Qt 6 scales by the screen's exact factor (fractional too, policy PassThrough) by default; not
    # set here, because touching the `Qt` namespace builds its enums before the first paint (tests/ui checks it)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("EvalRoom")
    install_cjk_font(app)  # type: ignore[arg-type]
    return app  # type: ignore[return-value]


def demo_window(home: Path, idle_minutes: float = 10, recording: Any = True) -> MainWindow:
    """The demo session on embedded SQLite in ``home``, all roles in one window, recorded by the recorder
    in its own process (``recording``: ``RecordingSettings``; True = the synthetic camera; None = none), which
    ends with this process however it ends (a demo's recorder is never left running)."""
    client = RoomClient(home, recording=recording, demo=True)  # the demo's key: the public demo passphrase
    window = MainWindow(client, Languages(), idle_minutes)
    # the room and its session open on the database thread once the pages are painted: their imports (SQLAlchemy,
    # cryptography) would otherwise take the interpreter from the GUI thread while it builds them
    window.after_pages(lambda: DbOp(
        client, lambda room: room.start(DEMO_CASE) if room.session is None else None).run_in_background())
    return window


class DemoChoice(QMessageBox):
    """继续上次演示 / 新的演示 (or 退出), saying where the last demo's data is and when it was last written."""

    def __init__(self, last: LastDemo) -> None:
        super().__init__(QMessageBox.Icon.Question, tr("EvalRoom 评标室 · 演示"), "\n".join([
            tr("上次演示的数据保存在：") + str(last.folder),
            tr("会话") + f" {last.session}，" + tr("最后修改于") + f" {last.modified:%Y-%m-%d %H:%M}。", "",
            tr("继续上次演示：打开这份会话，从上次的环节继续。"),
            tr("新的演示：清除上次演示的数据（会话、录像、日志），从头开始。")]))
        self.resume: QPushButton = self.addButton(tr("继续上次演示"), QMessageBox.ButtonRole.AcceptRole)
        self.fresh: QPushButton = self.addButton(tr("新的演示"), QMessageBox.ButtonRole.DestructiveRole)
        self.leave: QPushButton = self.addButton(tr("退出"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.resume)
        self.setEscapeButton(self.leave)

    def choice(self) -> str | None:
        clicked = self.clickedButton()
        return CONTINUE if clicked is self.resume else NEW if clicked is self.fresh else None


def choose_demo(last: LastDemo) -> str | None:
    """Ask whether to go on with the last demo; offscreen (tests, CI) it goes on, saying so on stderr."""
    app = QApplication.instance()
    if app is None or app.platformName() in ("offscreen", "minimal"):  # type: ignore[attr-defined]
        print(f"evalroom: the last demo continues (data in {last.folder})", file=sys.stderr)
        return CONTINUE
    box = DemoChoice(last)
    box.exec()
    return box.choice()


def demo_note(home: Path, kept: bool) -> str:
    """The status line that says where the demo's data is."""
    if kept:
        return tr("演示数据保存在") + f" {home}" + tr("；下次启动演示时可继续，或选择新的演示。")
    return tr("演示数据保存在") + f" {home}。"


def demo(args: argparse.Namespace) -> int:
    """`evalroom demo` (`make run`), or `evalroom demo --walkthrough OUTDIR`. The demo's data is kept in the
    per-user demo folder (or ``--data DIR``); the last demo is offered again at the next start.
    ``--lan-walkthrough OUTDIR`` / ``--room``: the room as separate processes (:mod:`ui.lan.launch`)."""
    if getattr(args, "lan_node", None):
        from ui.lan.launch import run_node

        return run_node(args)
    if getattr(args, "lan_walkthrough", None):
        from app.services.lan_walkthrough import LanWalkthroughError, run_lan_walkthrough

        try:
            return run_lan_walkthrough(Path(args.lan_walkthrough))
        except LanWalkthroughError as exc:
            print(f"evalroom: LAN walkthrough stopped: {exc}", file=sys.stderr)
            return 1
    if getattr(args, "room", False):
        from ui.lan.launch import run_room

        return run_room(args)
    app = application()
    if getattr(args, "walkthrough", None):
        from ui.walkthrough import WalkthroughError, run_walkthrough

        try:
            return run_walkthrough(Path(args.walkthrough))
        except WalkthroughError as exc:
            print(f"evalroom: walkthrough stopped: {exc}", file=sys.stderr)
            return 1
    from app import logs
    from app.services.demo import clear_demo, demo_folder, last_demo
    from ui import crash
    from ui.single_instance import AlreadyRunning, acquire
    from ui.start_screen import refuse

    given = getattr(args, "data", None)
    home = Path(given) if given else demo_folder()
    try:  # the demo keeps everything (log, crash reports, lock) in its own folder, never the room's
        lock = acquire("demo", home)
    except AlreadyRunning as exc:
        return refuse(tr("EvalRoom 评标室"), str(exc))
    last = None if given else last_demo(home)
    if last is not None:
        choice = choose_demo(last)
        if choice is None:
            lock.unlock()
            return 0
        if choice == NEW:
            try:
                clear_demo(home)
            except OSError as exc:
                lock.unlock()
                return refuse(tr("EvalRoom 评标室"), tr("无法清除上次演示的数据：{error}").format(error=exc))
    logs.setup("demo", home)
    crash.install("demo", home)
    end_in_order_on_signals(app)  # SIGTERM: the window closes in order, its recorder stops
    window = demo_window(home)
    window.setWindowTitle(tr("EvalRoom 评标室 · 演示 — {folder}").format(folder=home))
    note = demo_note(home, kept=not given)
    QTimer.singleShot(0, lambda: window.statusBar().showMessage(note, 20000))
    show_on_screen(window)
    code = app.exec()
    window.client.close()
    lock.unlock()
    return code


def start(args: argparse.Namespace) -> int:
    """`evalroom`: the start screen, with the room's settings (a bad settings file: one line and a dialog)."""
    from app import settings
    from ui.start_screen import refuse, run_start_screen

    application()
    try:
        chosen = settings.current()
    except settings.SettingsError as exc:
        # no language is chosen before the settings are read: the Chinese, then the settings file's own English
        return refuse(tr("设置文件有误") + " / Settings error", tr("设置文件有误，请修改后重新启动。") + f" / {exc}")
    return run_start_screen(chosen, kiosk=bool(getattr(args, "kiosk", False)), mode=getattr(args, "mode", None))
