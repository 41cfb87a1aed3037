"""Opening again, after this PC's program restarted, the certificate bound at the member's check-in (数字证书).

The seat file says which certificate was bound (its subject and SHA-256) but the program no longer holds it open,
so the 承诺书, the submission and the report signature would be refused (``cert.not_open``). This dialog asks for
that certificate again — the PKCS#12 file and its passphrase, or the USB key's PIN — through the check-in's own
:class:`ui.checkin.certificate_box.CertificateBox` (read off the GUI thread), then hands it to the seat's
``MemberRoom.reopen_certificate`` on the database thread, which takes only the certificate bound at check-in and
refuses another naming both. No new check-in code is needed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from ui.checkin.certificate_box import P12, CertificateBox
from ui.common import BAD_COLOUR, set_notice
from ui.errors import describe
from ui.i18n import tr
from ui.ops import DbOp
from ui.room_client import RoomClient


class ReopenCertificate(QDialog):
    """Ask for the certificate bound at check-in (``subject``) and open it again in ``client``'s member room;
    ``on_open(subject)`` runs once it co-signs again."""

    def __init__(self, parent: QWidget, client: RoomClient, subject: str,
                 on_open: Callable[[str], None] | None = None) -> None:
        super().__init__(parent)
        self.client, self.subject, self.on_open = client, subject, on_open
        self.reopened = False
        self.setWindowTitle(tr("重新打开数字证书"))
        self.text = QLabel(tr("本次签到绑定了数字证书“{subject}”。本程序重启后需要重新打开该证书"
                              "（证书口令或 USB Key 的 PIN），才能签署承诺书、提交评分和签署评标报告；"
                              "无需重新签到。").format(subject=subject))
        self.text.setWordWrap(True)
        self.box = CertificateBox(self)
        self.box.kind.setCurrentIndex(self.box.kind.findData(P12))
        self.use = QPushButton(tr("使用此证书"))
        self.later = QPushButton(tr("稍后"))
        self.use.clicked.connect(self.reopen)
        self.later.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.later)
        buttons.addWidget(self.use)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(self.box)
        layout.addLayout(buttons)
        self.resize(640, 520)

    def reopen(self) -> None:
        """Hand the certificate read in the box to the member room (on its database thread)."""
        cert, why = self.box.chosen()
        if why is not None or cert is None:
            set_notice(self.box.message, why or tr("请选择证书来源并“读取证书”。"), BAD_COLOUR)
            return
        self.use.setEnabled(False)
        DbOp(self.client, lambda room: room.reopen_certificate(cert)).success(self._opened).failure(
            self._refused).run_in_background()

    def _opened(self, subject: Any) -> None:
        self.box.opened = None  # the member room holds it now (a USB key's session stays open there)
        self.reopened = True
        if not isValid(self):
            return
        if self.on_open is not None:
            self.on_open(str(subject))
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        if not isValid(self):
            return
        self.use.setEnabled(True)
        self.box._forget()  # another certificate: closed (a token's session too), the box ready for the right one
        set_notice(self.box.message, describe(exc), BAD_COLOUR)
