"""Workstation login with the one-time code from the check-in desk, and the PIN for the idle lock."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget
from shiboken6 import isValid

from ui.common import BAD_COLOUR, big_button, notice, set_notice, title
from ui.errors import describe
from ui.i18n import tr
from ui.ops import NETWORK, DbOp, PoolOp
from ui.room_client import RoomClient


class LoginPage(QWidget):
    logged_in = Signal(str)  # member id

    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.client = client
        self.code = QLineEdit()
        self.code.setMaxLength(6)
        self.code.setStyleSheet("font-size: 22px; letter-spacing: 4px;")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.button = big_button("", primary=True)
        self.message = notice()
        self.code_label, self.pin_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.code_label, self.code)
        form.addRow(self.pin_label, self.pin)
        layout = QVBoxLayout(self)
        self.heading = title("")
        layout.addWidget(self.heading)
        layout.addLayout(form)
        from ui.checkin.certificate_box import CertificateBox

        self.cert_box = CertificateBox()  # the member's digital certificate (PKCS#12 file or USB key), optional
        layout.addWidget(self.cert_box)
        layout.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)
        self.lost = notice()
        layout.addWidget(self.lost)
        layout.addStretch()
        self.button.clicked.connect(self.login)
        self.pin.returnPressed.connect(self.login)
        self.retranslate()

    def retranslate(self) -> None:
        self.code.setPlaceholderText(tr("签到台发放的 6 位登录码"))
        self.pin.setPlaceholderText(tr("自设 4–8 位数字，锁屏后用于解锁"))
        self.button.setText(tr("登录"))
        self.code_label.setText(tr("登录码"))
        self.pin_label.setText(tr("个人识别码（PIN）"))
        self.heading.setText(tr("专家评审终端 · 登录"))
        set_notice(self.lost, tr("已签到的专家在工作站或主控台重启后需要重新登录：请签到台在“专家签到”页"
                                 "“重新发放登录码”，此前的登录码随即作废。"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def login(self) -> None:
        code, pin = self.code.text(), self.pin.text()
        cert, problem = self.cert_box.chosen()
        if problem is not None:
            set_notice(self.message, problem, BAD_COLOUR)
            return

        def done(station) -> None:  # type: ignore[no-untyped-def]
            self.code.clear()
            self.pin.clear()
            set_notice(self.message, "")
            self.logged_in.emit(station.member)

        def refused(exc: BaseException) -> None:
            if isValid(self):
                set_notice(self.message, describe(exc), BAD_COLOUR)

        def log_in(_checked: object = None) -> None:
            if isValid(self):
                DbOp(self.client, lambda room: room.login(code, pin, cert=cert, ocsp_checked=cert is not None),
                     parent=self).success(done).failure(refused).run_in_background()

        if cert is None:
            log_in()
            return
        # the certificate's OCSP responders (trust_ocsp: up to 3 s a link) are asked on the network lane, not on
        # the database thread, before the login is written there
        from app.services.certificates import check_ocsp

        def ask_ocsp(trust: object) -> None:
            if isValid(self):
                PoolOp(lambda: check_ocsp(trust, cert.cert, cert.chain), lane=NETWORK, parent=self).success(
                    log_in).failure(refused).run_in_background()

        DbOp(self.client, lambda room: room.certificate_trust(), parent=self).without_snapshot().success(
            ask_ocsp).failure(refused).run_in_background()
