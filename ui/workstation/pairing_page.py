"""Pairing an expert's (or the supervisor's) own PC with the room hub (issue 14 item 2): the hub's address (the
settings' ``hub_url``, or found on the room LAN by mDNS), the room CA's fingerprint to compare with the one the
console's check-in desk shows, the one-time code from the desk and a PIN for the screen lock.

Everything that touches the network runs in the background (``ui.ops.PoolOp``, the network's lane): finding the hub,
fetching its
room CA, and :func:`app.services.pairing.pair` itself (the PC's key is made here; only its public half leaves
it). A refusal or an unreachable hub is said on the page (in Chinese mode with its English under it: the PC's
language may not be the person's yet), never in a blocking dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QT_TR_NOOP, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from ui.common import BAD_COLOUR, OK_COLOUR, WARN_COLOUR, big_button, notice, set_notice, title
from ui.errors import bilingual, english
from ui.i18n import one_language, tr, with_english
from ui.ops import NETWORK, PoolOp
from ui.workstation.seat_pin import pin_problem

EXPERT, SUPERVISOR = "expert", "supervisor"
TITLES = {EXPERT: QT_TR_NOOP("专家评审终端 · 与评标室配对"), SUPERVISOR: QT_TR_NOOP("监督终端 · 与评标室配对")}
STATUS = {"pending": QT_TR_NOOP("已发出配对请求，等待主控台确认…"),
          "offered": QT_TR_NOOP("主控台已确认，本机正在签署身份绑定…"),
          "countersigned": QT_TR_NOOP("身份绑定已签署，等待主控台记录签到…"),
          "recording": QT_TR_NOOP("主控台正在记录签到…"), "bound": QT_TR_NOOP("签到已记录。")}
FORM = (QT_TR_NOOP("评标室服务器"), QT_TR_NOOP("评标室根证书指纹"), None, QT_TR_NOOP("登录码"),
        QT_TR_NOOP("个人识别码（PIN）"), QT_TR_NOOP("再次输入 PIN"))


def refusal_text(exc: BaseException) -> str:
    """A refusal as the person at the PC reads it: in the PC's language (in Chinese, then English)."""
    if english(exc):  # ours, with a Chinese text of its own
        return bilingual(exc, "\n")
    from app.services.pairing import KeyFileError  # the seat key did not open (re-exported there)

    if isinstance(exc, KeyFileError):
        return with_english(QT_TR_NOOP("无法打开本机的密钥（口令不符或文件损坏）：{error}"), error=exc)
    if isinstance(exc, OSError):
        return with_english(QT_TR_NOOP("无法写入本机的数据目录：{error}"), error=exc)
    return with_english(QT_TR_NOOP("配对未完成：{error}"), error=f"{type(exc).__name__}: {exc}")


class PairingPage(QWidget):
    """``home``: the PC's data folder; ``passphrase``: the PC's key passphrase; ``hub_url``: the settings' (None:
    look on the LAN). ``paired`` carries the :class:`~app.services.paired.Paired` seat (its PIN already kept)."""

    paired = Signal(object)

    def __init__(self, home: Path, passphrase: bytes, role: str = EXPERT, hub_url: str | None = None,
                 discover: bool = True, timeout: float = 60.0) -> None:
        super().__init__()
        self.home, self.role, self.timeout = Path(home), role, timeout
        self._passphrase = passphrase
        self.failed = False
        self.busy = False
        self.offered: Any = None  # hub_network.Offer of the address shown
        self.hub = QComboBox()
        self.hub.setEditable(True)
        self.hub.setMinimumWidth(420)
        line = self.hub.lineEdit()
        assert line is not None
        self.find_button = QPushButton()
        self.fingerprint = QLabel("—")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprint.setStyleSheet("font-family: monospace; font-size: 18px; font-weight: bold; color: #1f5fa8;")
        self.fingerprint_hint = notice()
        self.code = QLineEdit()
        self.code.setMaxLength(8)
        self.code.setStyleSheet("font-size: 22px; letter-spacing: 4px;")
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_again = QLineEdit()
        self.pin_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.button = big_button("", primary=True)
        self.progress = notice()
        self.message = notice()
        hub_row = QHBoxLayout()
        hub_row.addWidget(self.hub, 1)
        hub_row.addWidget(self.find_button)
        form = QFormLayout()
        self.form_labels = [QLabel() for _ in FORM]
        form.addRow(self.form_labels[0], hub_row)
        form.addRow(self.form_labels[1], self.fingerprint)
        form.addRow(self.form_labels[2], self.fingerprint_hint)
        form.addRow(self.form_labels[3], self.code)
        form.addRow(self.form_labels[4], self.pin)
        form.addRow(self.form_labels[5], self.pin_again)
        inner = QWidget()  # in a scroll area: with a certificate's rows the page is taller than a laptop's screen
        layout = QVBoxLayout(inner)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.heading = title("")
        layout.addWidget(self.heading)
        self.intro = notice()
        layout.addWidget(self.intro)
        layout.addLayout(form)
        from ui.checkin.certificate_box import CertificateBox

        self.cert_box = CertificateBox()  # an expert's digital certificate (PKCS#12 file or USB key), optional
        self.cert_box.setVisible(role == EXPERT)
        layout.addWidget(self.cert_box)
        layout.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch()
        self.find_button.clicked.connect(self.find)
        self.hub.activated.connect(lambda _i: self.fetch_offer())
        line.editingFinished.connect(self.fetch_offer)
        self.button.clicked.connect(self.start_pairing)
        self.pin_again.returnPressed.connect(self.start_pairing)
        if hub_url:
            self.hub.addItem(hub_url.rstrip("/"), hub_url.rstrip("/"))
            self.fetch_offer()
        elif discover:
            self.find()
        self.retranslate()

    def retranslate(self) -> None:
        line = self.hub.lineEdit()
        assert line is not None
        line.setPlaceholderText(tr("https://评标室服务器地址:端口（主控台签到页上显示）"))
        self.find_button.setText(tr("在本机网络上查找"))
        set_notice(self.fingerprint_hint, tr("请与主控台签到页上显示的“评标室根证书指纹”逐组核对，一致后再配对。"))
        self.code.setPlaceholderText(tr("签到台发放的 6 位登录码"))
        self.pin.setPlaceholderText(tr("自设 4–8 位数字，锁屏后用于解锁"))
        self.pin_again.setPlaceholderText(tr("再输入一次"))
        self.button.setText(tr("配对并签到"))
        for label, text in zip(self.form_labels, FORM, strict=True):
            label.setText(tr(text) if text else "")
        self.heading.setText(tr(TITLES.get(self.role, TITLES[EXPERT])))
        set_notice(self.intro, tr("专家本人在签到台核验身份后，签到台屏幕显示一次性登录码。在此输入登录码："
                                  "本机生成自己的签名密钥（私钥不离开本机），主控台记录签到并绑定此密钥。")
                   if self.role == EXPERT else
                   tr("监督人员在签到台核验身份后，签到台屏幕显示一次性登录码。在此输入登录码："
                      "本机生成自己的签名密钥（私钥不离开本机），主控台记录签到并绑定此密钥。"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- the hub --------------------------------------------------------------------------------------
    def url(self) -> str:
        return self.hub.currentText().strip().rstrip("/")

    def fingerprint_text(self) -> str:
        return self.fingerprint.text()

    def find(self) -> None:
        """Look for room hubs on the LAN (mDNS, a few seconds, in the background)."""
        from app.services import hub_network

        self.find_button.setEnabled(False)
        set_notice(self.progress, tr("正在本机网络上查找评标室服务器…"), "#333333")

        def found(hubs: list[Any]) -> None:
            if not isValid(self):  # the window closed while the LAN was searched
                return
            self.find_button.setEnabled(True)
            if not hubs:
                set_notice(self.progress, with_english(QT_TR_NOOP(
                    "未在本机网络上找到评标室服务器：请确认主控台已开启评标室服务器，或填写主控台签到页上显示的地址。")),
                    WARN_COLOUR)
                return
            known = {self.hub.itemData(i) for i in range(self.hub.count())}
            for choice in hubs:
                if choice.url not in known:
                    label = (tr("{url}（{room}）").format(url=choice.url, room=choice.room) if choice.room
                             else choice.url)
                    self.hub.addItem(label, choice.url)
            if not self.url() or self.url() not in {h.url for h in hubs}:
                self.hub.setCurrentIndex(self.hub.findData(hubs[0].url))
            set_notice(self.progress, tr("找到评标室服务器：") + tr("、").join(h.url for h in hubs), OK_COLOUR)
            self.fetch_offer()

        def failed(exc: BaseException) -> None:
            if not isValid(self):
                return
            self.find_button.setEnabled(True)
            set_notice(self.progress, refusal_text(exc), WARN_COLOUR)

        PoolOp(lambda: hub_network.find_hubs(None, 3.0), parent=self, lane=NETWORK).success(found).failure(
            failed).run_in_background()

    def _address(self) -> str:
        """The hub's URL as chosen (an item's data: its label may name the room)."""
        data = self.hub.currentData()
        if data and self.hub.currentText() == self.hub.itemText(self.hub.currentIndex()):
            return str(data).rstrip("/")
        return self.url()

    def fetch_offer(self) -> None:
        """The room CA the hub presents, for the person to compare with the desk's screen."""
        from app.services import hub_network

        url = self._address()
        self.offered = None
        if not url:
            self.fingerprint.setText("—")
            return
        if urlsplit(url).scheme != "https":
            self.fingerprint.setText(tr("（明文连接，无证书：仅供本机测试）"))
            return
        self.fingerprint.setText(tr("正在读取…"))

        def shown(offer: Any) -> None:
            if not isValid(self) or self._address() != url:
                return  # another address was chosen meanwhile
            self.offered = offer
            self.fingerprint.setText(offer.fingerprint)

        def failed(exc: BaseException) -> None:
            if not isValid(self) or self._address() != url:
                return
            self.fingerprint.setText("—")
            unreachable = QT_TR_NOOP("无法连接评标室服务器 {url}：请检查网络和服务器地址（{error}）。")
            set_notice(self.message, with_english(unreachable, url=url, error=exc), BAD_COLOUR)

        PoolOp(lambda: hub_network.offer(url, timeout=5.0), parent=self, lane=NETWORK).success(shown).failure(
            failed).run_in_background()

    # -- pairing --------------------------------------------------------------------------------------
    def start_pairing(self) -> None:
        if self.busy:
            return
        url, code, pin, again = self._address(), self.code.text().strip(), self.pin.text(), self.pin_again.text()
        problem = None
        if not url:
            problem = with_english(QT_TR_NOOP("请填写评标室服务器地址（主控台签到页上显示）。"))
        elif not code:
            problem = with_english(QT_TR_NOOP("请输入签到台发放的登录码。"))
        else:
            pin_wrong = pin_problem(pin, again)
            problem = one_language(pin_wrong) if pin_wrong is not None else None
        cert = None
        if problem is None and self.role == EXPERT:
            cert, problem = self.cert_box.chosen()
        if problem is not None:
            self._fail(problem)
            return
        offered = self.offered if self.offered is not None and self.offered.url == url else None
        home, passphrase, role, timeout = self.home, self._passphrase, self.role, self.timeout

        def work() -> Any:
            from app.services import hub_network, pairing
            from ui.workstation.seat_pin import save_pin

            if offered is not None and hub_network.cafile(home) is None:
                hub_network.pin(home, url, offered.sha256)  # the CA the person compared, not any CA
            seat = pairing.pair(home, url, code, passphrase, role=role, timeout=timeout, on_status=op.report,
                                cert=cert)
            save_pin(home, seat.session, pin)
            return seat

        self.busy, self.failed = True, False
        self.button.setEnabled(False)
        set_notice(self.message, "")
        set_notice(self.progress, tr("正在连接评标室服务器…"), "#333333")
        op: PoolOp[Any] = PoolOp(work, parent=self, lane=NETWORK)
        op.with_progress(lambda status: self._show_status(status) if isValid(self) else None)
        op.success(lambda seat: self._paired(seat) if isValid(self) else None)
        op.failure(lambda exc: self._fail(refusal_text(exc)) if isValid(self) else None).run_in_background()

    def _show_status(self, status: str) -> None:
        if self.busy:
            set_notice(self.progress, tr(STATUS.get(status, status)), "#333333")

    def _fail(self, text: str) -> None:
        self.busy, self.failed = False, True
        self.button.setEnabled(True)
        set_notice(self.progress, "")
        set_notice(self.message, text, BAD_COLOUR)

    def _paired(self, seat: Any) -> None:
        self.busy = False
        self.pin.clear()
        self.pin_again.clear()
        set_notice(self.progress, "")
        set_notice(self.message, tr("配对成功：签到已记录，正在打开评审界面。"), OK_COLOUR)
        self.paired.emit(seat)
