"""Workstation login with the one-time code from the check-in desk, and the PIN for the idle lock."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout, QWidget

from ui.common import BAD_COLOUR, big_button, notice, set_notice, title
from ui.ops import DbOp
from ui.room_client import RoomClient, describe


class LoginPage(QWidget):
    logged_in = Signal(str)  # member id

    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.client = client
        self.code = QLineEdit()
        self.code.setPlaceholderText("签到台发放的 6 位登录码")
        self.code.setMaxLength(6)
        self.code.setStyleSheet("font-size: 22px; letter-spacing: 4px;")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setPlaceholderText("自设 4–8 位数字，锁屏后用于解锁")
        self.button = big_button("登录", primary=True)
        self.message = notice()
        form = QFormLayout()
        form.addRow("登录码", self.code)
        form.addRow("个人识别码（PIN）", self.pin)
        layout = QVBoxLayout(self)
        layout.addWidget(title("专家评审终端 · 登录"))
        layout.addLayout(form)
        layout.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)
        layout.addWidget(notice("已签到的专家在工作站或主控台重启后需要重新登录：请签到台在“专家签到”页"
                                "“重新发放登录码”，此前的登录码随即作废。"))
        layout.addStretch()
        self.button.clicked.connect(self.login)
        self.pin.returnPressed.connect(self.login)

    def login(self) -> None:
        code, pin = self.code.text(), self.pin.text()

        def done(station) -> None:  # type: ignore[no-untyped-def]
            self.code.clear()
            self.pin.clear()
            set_notice(self.message, "")
            self.logged_in.emit(station.member)

        DbOp(self.client, lambda room: room.login(code, pin), parent=self).success(done).failure(
            lambda exc: set_notice(self.message, describe(exc), BAD_COLOUR)).run_in_background()
