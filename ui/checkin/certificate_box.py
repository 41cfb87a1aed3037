"""The member's digital certificate (数字证书) at check-in: none, a PKCS#12 file with its passphrase, or the USB key
(UKey, PKCS#11: the settings' ``pkcs11_module`` and ``pkcs11_slot``) with its PIN, typed here and never stored.

"读取证书" opens it in the background (``ui.ops.PoolOp``: a token's login can take a moment) and shows its subject,
issuer and validity; a wrong passphrase or PIN is said under the box, and the page stays as it was (the one-time code
is not spent, nothing else is locked). :meth:`CertificateBox.chosen` is what the check-in signs with."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)
from shiboken6 import isValid

from ui.common import BAD_COLOUR, OK_COLOUR, WARN_COLOUR, notice, set_notice
from ui.errors import describe
from ui.i18n import tr
from ui.ops import PoolOp

NONE, P12, TOKEN = "none", "p12", "token"


class CertificateBox(QGroupBox):
    """Choose and open the member's certificate; ``chosen()`` is the opened one (None: none chosen)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.opened: Any = None  # app.crypto.certs.CertKey (or a token's) once read
        self.busy = False
        self.kind = QComboBox()
        for key in (NONE, P12, TOKEN):
            self.kind.addItem("", key)
        self.file = QLineEdit()
        self.browse = QPushButton()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_where = QLabel()
        self.token_where.setWordWrap(True)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.read_button = QPushButton()
        self.subject, self.issuer, self.validity = QLabel(), QLabel(), QLabel()
        for shown in (self.subject, self.issuer, self.validity):
            shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            shown.setWordWrap(True)
        self.subject.setStyleSheet("font-weight: bold;")
        self.message = notice()
        file_row = QHBoxLayout()
        file_row.addWidget(self.file, 1)
        file_row.addWidget(self.browse)
        self.labels = [QLabel() for _ in range(9)]
        form = QFormLayout(self)
        form.addRow(self.labels[0], self.kind)
        form.addRow(self.labels[1], file_row)
        form.addRow(self.labels[2], self.passphrase)
        form.addRow(self.labels[3], self.token_where)
        form.addRow(self.labels[4], self.pin)
        form.addRow(self.labels[5], self.read_button)
        form.addRow(self.labels[6], self.subject)
        form.addRow(self.labels[7], self.issuer)
        form.addRow(self.labels[8], self.validity)
        form.addRow(self.message)
        self._form = form
        self.kind.currentIndexChanged.connect(lambda _i: self._mode_changed())
        self.browse.clicked.connect(self._browse)
        self.read_button.clicked.connect(self.read)
        self.pin.returnPressed.connect(self.read)
        self.passphrase.returnPressed.connect(self.read)
        # never squeezed below what it needs (the page scrolls instead)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.retranslate()
        self._mode_changed()

    def retranslate(self) -> None:
        self.setTitle(tr("数字证书（可选）"))
        for index, text in enumerate((tr("不使用数字证书（仅本机签名密钥）"), tr("证书文件（PKCS#12：.p12 / .pfx）"),
                                      tr("USB Key（PKCS#11）"))):
            self.kind.setItemText(index, text)
        for label, text in zip(self.labels, (tr("证书来源"), tr("证书文件"), tr("证书口令"), tr("USB Key"),
                                             tr("USB Key 的 PIN"), "", tr("证书主题"), tr("颁发者"), tr("有效期")),
                               strict=True):
            label.setText(text)
        self.browse.setText(tr("选择…"))
        self.file.setPlaceholderText(tr("证书文件的路径"))
        self.passphrase.setPlaceholderText(tr("证书文件的口令"))
        self.pin.setPlaceholderText(tr("在本机输入，不会保存"))
        self.read_button.setText(tr("读取证书"))
        self._show_token_where()
        if self.opened is not None:
            self._show(self.opened)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- choosing -------------------------------------------------------------------------------------
    def mode(self) -> str:
        return str(self.kind.currentData())

    def _show_token_where(self) -> None:
        from app.settings import current

        chosen = current()
        if chosen.pkcs11_module is None:
            self.token_where.setText(tr("本机未设置 USB Key 模块（设置文件的 pkcs11_module）"))
        else:
            slot = tr("第一个插入的 USB Key") if chosen.pkcs11_slot is None else tr("槽位 {slot}").format(
                slot=chosen.pkcs11_slot)
            self.token_where.setText(f"{chosen.pkcs11_module} · {slot}")

    def _mode_changed(self) -> None:
        mode = self.mode()
        rows = {1: mode == P12, 2: mode == P12, 3: mode == TOKEN, 4: mode == TOKEN, 5: mode != NONE}
        for row, shown in rows.items():
            self._form.setRowVisible(row, shown)
        self._forget()

    def facts_text(self) -> str:
        """What the box shows of the certificate read ("" before one is)."""
        return "\n".join(label.text() for label in (self.subject, self.issuer, self.validity) if label.text())

    def _facts_shown(self, shown: bool) -> None:
        for row in (6, 7, 8):
            self._form.setRowVisible(row, shown)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, tr("选择证书文件"), self.file.text(),
                                              tr("PKCS#12 证书 (*.p12 *.pfx);;所有文件 (*)"))
        if name:
            self.file.setText(name)
            self._forget()

    def _forget(self) -> None:
        """A new choice: the certificate read before no longer counts (a token's session is closed)."""
        if self.opened is not None and hasattr(self.opened, "close"):
            self.opened.close()
        self.opened = None
        for label in (self.subject, self.issuer, self.validity):
            label.setText("")
        self._facts_shown(False)
        set_notice(self.message, "")

    # -- reading --------------------------------------------------------------------------------------
    def read(self) -> None:
        """Open the chosen certificate in the background and show what it says."""
        mode = self.mode()
        if self.busy or mode == NONE:
            return
        from app.services import certificates
        from app.settings import current

        if mode == P12:
            path, secret = self.file.text().strip(), self.passphrase.text()
            if not path:
                set_notice(self.message, tr("请选择证书文件。"), BAD_COLOUR)
                return

            def work() -> Any:
                return certificates.open_p12_certificate(Path(path), secret)
        else:
            pin, settings = self.pin.text(), current()

            def work() -> Any:
                return certificates.open_token_certificate(settings, pin)
        self._forget()
        self.busy = True
        self.read_button.setEnabled(False)
        set_notice(self.message, tr("正在读取证书…"), "#333333")
        PoolOp(work, parent=self).success(self._read).failure(self._refused).run_in_background()

    def _read(self, cert: Any) -> None:
        if not isValid(self):
            if hasattr(cert, "close"):
                cert.close()
            return
        self.busy = False
        self.read_button.setEnabled(True)
        self.pin.clear()  # typed for this login only
        self.passphrase.clear()
        self.opened = cert
        self._show(cert)

    def _refused(self, exc: BaseException) -> None:
        if not isValid(self):
            return
        self.busy = False
        self.read_button.setEnabled(True)
        self.pin.clear()
        set_notice(self.message, describe(exc), BAD_COLOUR)

    def _show(self, cert: Any) -> None:
        from app.services.certificates import facts

        seen = facts(cert.cert, cert.alg)
        start = seen.not_before.astimezone().strftime("%Y-%m-%d %H:%M")
        end = seen.not_after.astimezone().strftime("%Y-%m-%d %H:%M")
        self.subject.setText(seen.subject)
        self.issuer.setText(tr("{issuer}（序列号 {serial}，{key} 密钥）").format(
            issuer=seen.issuer, serial=seen.serial, key=seen.key.upper()))
        self.validity.setText(tr("{start} 至 {end}").format(start=start, end=end))
        self._facts_shown(True)
        now = datetime.now(UTC)
        if not seen.not_before <= now <= seen.not_after:
            set_notice(self.message, tr("此证书不在有效期内，签到时将被拒绝。"), WARN_COLOUR)
        else:
            set_notice(self.message, tr("证书已读取：签到时由主控台核验，并用于签署承诺书、提交评分和签署评标报告。"),
                       OK_COLOUR)

    def chosen(self) -> tuple[Any, str | None]:
        """(the opened certificate or None, why the check-in cannot go on yet or None)."""
        if self.mode() == NONE:
            return None, None
        if self.opened is None:
            return None, tr("已选择数字证书：请先“读取证书”，或选择“不使用数字证书”。")
        return self.opened, None
