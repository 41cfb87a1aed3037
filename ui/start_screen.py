"""The start screen of `evalroom`: choose the role of this machine (console / workstation / supervisor)
and the session; the console imports the session package."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QHBoxLayout, QLabel, QVBoxLayout

from app.paths import DEMO_CASE
from ui.common import big_button, notice, title
from ui.i18n import Languages
from ui.main_window import ROLES, MainWindow
from ui.room_client import RoomClient


class StartScreen(QDialog):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("EvalRoom 评标室")
        self.role: int | None = None
        self.package: Path | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(title("EvalRoom 评标室"))
        layout.addWidget(QLabel("请选择本机的用途："))
        row = QHBoxLayout()
        for index, name in enumerate(ROLES):
            button = big_button(name, primary=index == 0)
            button.clicked.connect(lambda _c=False, i=index: self.choose(i))
            row.addWidget(button)
        layout.addLayout(row)
        self.hint = notice("主控台导入会话包后开始；专家工作站和监督在本机会话上工作（多台电脑经评标室中心同步）。")
        layout.addWidget(self.hint)

    def choose(self, role: int) -> None:
        self.role = role
        if role == 0:
            path, _ = QFileDialog.getOpenFileName(self, "选择会话包", str(DEMO_CASE.parent), "会话包 (*.json)")
            if not path:
                return
            self.package = Path(path)
        self.accept()


def run_start_screen() -> int:
    screen = StartScreen()
    if screen.exec() != QDialog.DialogCode.Accepted or screen.role is None:
        return 0
    home = Path(user_data_dir("EvalRoom", "EvalRoom"))
    client = RoomClient(home)
    package = screen.package or DEMO_CASE
    client.call_sync(lambda room: room.start(package))
    window = MainWindow(client, Languages())
    window.select_role(screen.role)
    window.show()
    code = QApplication.instance().exec()  # type: ignore[union-attr]
    client.close()
    return code
