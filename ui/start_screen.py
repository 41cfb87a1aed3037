"""The start screen of `evalroom`: choose the role of this machine (console / workstation / supervisor)
and the session; the console imports the session package."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
)

from app import settings as settings_module
from app.paths import DEMO_CASE
from app.settings import Settings, SettingsError
from ui.common import big_button, notice, set_notice, show_on_screen, title
from ui.i18n import DEFAULT_LANGUAGE, Languages, tr
from ui.main_window import ROLES, MainWindow
from ui.ops import DbOp
from ui.room_client import RoomClient

if TYPE_CHECKING:
    from app.services.recording import RecordingSettings

MODES = ("console", "workstation", "supervisor", "venue")  # the log file, lock and crash reports of each role
VENUE = MODES.index("venue")  # the remote venue's console (副场主控台): its own window (ui/venue)


def gui_language(chosen: Settings) -> str:
    """The GUI's language code for the settings' ``language`` (zh → zh_CN)."""
    return DEFAULT_LANGUAGE if chosen.language == "zh" else chosen.language


class StartScreen(QDialog):
    def __init__(self, chosen: Settings | None = None) -> None:
        super().__init__()
        self.settings = chosen or Settings()
        self.role: int | None = None
        self.package: Path | None = None
        layout = QVBoxLayout(self)
        self.heading = title("")
        layout.addWidget(self.heading)
        self.question = QLabel()
        layout.addWidget(self.question)
        row = QHBoxLayout()
        self.role_buttons = []
        for index in range(len(ROLES)):
            button = big_button("", primary=index == 0)
            button.clicked.connect(lambda _c=False, i=index: self.choose(i))
            row.addWidget(button)
            self.role_buttons.append(button)
        self.venue = big_button("")
        self.venue.clicked.connect(lambda _c=False: self.choose(VENUE))
        row.addWidget(self.venue)
        layout.addLayout(row)
        self.hint = notice()
        layout.addWidget(self.hint)
        room = self.settings.room_id + (f"（{self.settings.room_name}）" if self.settings.room_name else "")
        self.room = QLabel(room)
        self.data = QLabel(str(self.settings.data_folder))
        self.data.setWordWrap(True)
        self.room_label, self.data_label = QLabel(), QLabel()
        where = QFormLayout()
        where.addRow(self.room_label, self.room)
        where.addRow(self.data_label, self.data)
        layout.addLayout(where)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(tr("EvalRoom 评标室"))
        self.heading.setText(tr("EvalRoom 评标室"))
        self.question.setText(tr("请选择本机的用途："))
        for button, name in zip(self.role_buttons, ROLES, strict=True):
            button.setText(tr(name))
        self.venue.setText(tr("副场主控台"))
        self.venue.setToolTip(tr("远程异地评标的副场：经交易中心加入主场的会话"))
        set_notice(self.hint, tr("主控台导入会话包后开始；专家评审终端和监督终端用签到台发放的登录码"
                                 "与评标室服务器配对。"))
        self.room_label.setText(tr("评标室"))
        self.data_label.setText(tr("数据目录"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def choose(self, role: int) -> None:
        self.role = role
        if role == 0:
            path, _ = QFileDialog.getOpenFileName(self, tr("选择会话包"), str(DEMO_CASE.parent),
                                                  tr("会话包") + " (*.json)")
            if not path:
                return
            self.package = Path(path)
        self.accept()


def refuse(title_text: str, message: str) -> int:
    """A start that cannot go on: the message on stderr, and in a dialog unless offscreen. Exit 2."""
    print(f"evalroom: {message}", file=sys.stderr)
    app = QApplication.instance()
    if app is not None and app.platformName() not in ("offscreen", "minimal"):  # type: ignore[attr-defined]
        QMessageBox.critical(None, title_text, message)
    return 2


def console_recording(chosen: Settings) -> RecordingSettings:
    """The console records the room with the settings' cameras (电子监控; the synthetic camera by default)."""
    from app.services.recording import RecordingSettings

    return RecordingSettings(cameras=chosen.cameras, microphone=chosen.microphone)


def run_start_screen(chosen: Settings | None = None, kiosk: bool = False, mode: str | None = None) -> int:
    from app import logs
    from app.services.passphrase import PassphraseError
    from ui import crash
    from ui.first_run import needs_wizard, run_wizard
    from ui.kiosk import Kiosk
    from ui.passphrase import obtain_room_passphrase
    from ui.signals import end_in_order_on_signals
    from ui.single_instance import AlreadyRunning, acquire

    chosen = chosen or settings_module.current()
    languages = Languages()
    languages.switch(gui_language(chosen))
    screen = StartScreen(chosen)
    if mode is not None:  # `--mode` (the installers' shortcuts): the role is given; the console still picks its package
        screen.choose(MODES.index(mode))
        if mode == "console" and screen.package is None:
            return 0
    elif screen.exec() != QDialog.DialogCode.Accepted or screen.role is None:
        return 0
    mode = MODES[screen.role]
    offered: bytes | None = None  # the room key's passphrase, when the first-run wizard set it
    if mode == "console" and needs_wizard():  # the console's first start on this PC: the settings file
        written = run_wizard(chosen)
        if written is None:
            return 0
        chosen, offered = written
    kiosk = kiosk or chosen.kiosk
    if kiosk and not chosen.kiosk_exit_hash:
        return refuse(tr("设置文件有误"), tr("信息亭模式需要退出口令：用 evalroom settings exit-passphrase 设置。"))
    if mode == "venue":  # the remote venue's console: its own window, joining through the center
        from ui.venue.launch import run_venue

        return run_venue(chosen, languages, kiosk)
    if mode in ("workstation", "supervisor"):  # an expert's or supervisor's own PC: pairs with the room hub
        from ui.workstation.seat import run_seat

        return run_seat(chosen, languages, kiosk, "expert" if mode == "workstation" else "supervisor")
    home = chosen.data_folder
    try:
        lock = acquire(mode, home)
    except AlreadyRunning as exc:
        return refuse(tr("EvalRoom 评标室"), str(exc))
    try:  # the room key's passphrase: configured, or asked now; never the demo's outside `evalroom demo`
        passphrase = obtain_room_passphrase(home, offered)
    except PassphraseError as exc:
        lock.unlock()
        return refuse(tr("评标室密钥口令"), str(exc))
    logs.setup(mode, home)
    crash.install(mode, home, chosen)
    client = RoomClient(home, chosen.room_id, recording=console_recording(chosen) if mode == "console" else None,
                        passphrase=passphrase, hub_listen=chosen.hub_listen if mode == "console" else None)
    package = screen.package or DEMO_CASE
    window = MainWindow(client, languages, chosen.idle_minutes)
    # the session opens on the database thread once the pages are painted (its imports would hold them up); the
    # window shows it busy until then
    window.after_pages(lambda: DbOp(client, lambda room: room.start(package)).run_in_background())

    def keep_language(code: str) -> None:  # the menu switch is kept for the next start
        try:
            settings_module.save(language="zh" if code == DEFAULT_LANGUAGE else code)
        except (SettingsError, OSError) as exc:
            window.statusBar().showMessage(tr("语言设置未保存：{error}").format(error=exc), 8000)

    window.on_language = keep_language
    window.select_role(screen.role)
    if kiosk:
        Kiosk(window, lambda text: settings_module.check_passphrase(chosen.kiosk_exit_hash, text)).show()
    else:
        show_on_screen(window)
    end_in_order_on_signals(QApplication.instance())  # type: ignore[arg-type]  # SIGTERM: closed in order
    code = QApplication.instance().exec()  # type: ignore[union-attr]
    client.close()
    lock.unlock()
    return code
