"""Decryption of the encrypted bid files at opening (R-OPEN-10), on the console's opening page.

Each encrypted bid file with its state (待解密 / 已解密 / 解密失败 with the cause and whether the bid is deemed revoked
or withdrawn); the bidder's representative presents its key: the PKCS#12 file (picked) and its passphrase, or the
passphrase of a passphrase-encrypted file, or its USB key (PKCS#11, the console's ``pkcs11_module`` /
``pkcs11_slot``) and its PIN (typed, never stored or logged, cleared after each attempt; a key not found is a notice,
nothing recorded, so the bidder may plug it in and present it again); 未出示密钥 records that it has none (its bid
deemed revoked, asked first).
The decryption runs on the database thread (``ui.ops.DbOp``: scrypt and RSA are slow), never the GUI thread."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.common import BAD_COLOUR, OK_COLOUR, WARN_COLOUR, big_button, fill, notice, set_notice, table
from ui.errors import describe
from ui.i18n import tr
from ui.ops import DbOp
from ui.room_client import RoomClient
from ui.widgets.confirm import Confirmation, confirm

if TYPE_CHECKING:
    from app.services.room_view import DecryptionView

FILES = [QT_TR_NOOP("投标人"), QT_TR_NOOP("投标文件"), QT_TR_NOOP("加密方式"), QT_TR_NOOP("解密状态"),
         QT_TR_NOOP("原因 / 明文 SHA-256")]
SCHEMES = {"cms": QT_TR_NOOP("数字证书（CMS）"), "passphrase": QT_TR_NOOP("口令")}
CAUSES = {
    "wrong_passphrase": QT_TR_NOOP("口令错误"), "wrong_key": QT_TR_NOOP("密钥（证书）不符"),
    "bad_key_file": QT_TR_NOOP("密钥文件无法读取"), "no_key": QT_TR_NOOP("解密时限内未出示密钥"),
    "plaintext_differs": QT_TR_NOOP("解密所得文件与申报的哈希不符"), "not_pdf": QT_TR_NOOP("解密所得文件不是 PDF"),
    "ciphertext_differs": QT_TR_NOOP("平台保管的密文与登记的哈希不符"), "damaged": QT_TR_NOOP("密文结构损坏"),
    "file_missing": QT_TR_NOOP("平台保管的密文缺失"),
}
OUTCOMES = {"revoked": QT_TR_NOOP("视为撤销投标（投标人原因）"),
            "withdrawn": QT_TR_NOOP("视为撤回投标（非投标人原因）")}
P12, PASSPHRASE, TOKEN = "p12", "passphrase", "token"
KINDS = {P12: QT_TR_NOOP("证书文件（PKCS#12）+ 口令"), PASSPHRASE: QT_TR_NOOP("口令"),
         TOKEN: QT_TR_NOOP("USB 密钥（证书在 U 盾/USB Key 中）")}
KEY_ROW, PIN_ROW = 2, 3  # the form's rows: 投标人, 密钥, 证书文件, PIN 码, 口令
SHORT_OUTCOMES = {"revoked": QT_TR_NOOP("失败：视为撤销"), "withdrawn": QT_TR_NOOP("失败：视为撤回")}


def _state_text(state: str, outcome: str | None) -> str:
    if state == "decrypted":
        return tr("已解密")
    if state == "failed":
        return tr(SHORT_OUTCOMES.get(outcome or "", outcome or ""))
    if state == "excluded":
        return tr("未解密（已排除）")
    if state == "late":
        return tr("迟交，不解密")
    return tr("待解密")


class DecryptionBox(QGroupBox):
    """The encrypted bids' decryption; hidden for a package without encrypted files."""

    def __init__(self, client: RoomClient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.confirmation: Confirmation | None = None
        self._view: DecryptionView | None = None
        self._stage = ""
        self._read = False
        self.files = table([""] * len(FILES))
        self.deadline = notice()
        self.bidder = QComboBox()
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem("", kind)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_file = QLineEdit()
        self.browse = QPushButton()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.decrypt_button = big_button("", primary=True)
        self.no_key_button = big_button("")
        self.message = notice()

        key_row = QHBoxLayout()
        key_row.addWidget(self.key_file, 1)
        key_row.addWidget(self.browse)
        form = QFormLayout()
        self.bidder_label, self.key_label, self.passphrase_label = QLabel(), QLabel(), QLabel()
        self.kind_label, self.pin_label = QLabel(), QLabel()
        form.addRow(self.bidder_label, self.bidder)
        form.addRow(self.kind_label, self.kind)
        form.addRow(self.key_label, key_row)
        form.addRow(self.pin_label, self.pin)
        form.addRow(self.passphrase_label, self.passphrase)
        buttons = QHBoxLayout()
        buttons.addWidget(self.decrypt_button)
        buttons.addWidget(self.no_key_button)
        buttons.addStretch()
        form.addRow("", buttons)
        self._form = form
        side = QVBoxLayout()
        side.addLayout(form)
        side.addWidget(self.message)
        side.addStretch()
        body = QHBoxLayout()
        self.files.setMinimumHeight(150)
        body.addWidget(self.files, 3)
        body.addLayout(side, 2)
        self.body = QWidget()
        self.body.setLayout(body)
        body.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.deadline)
        layout.addWidget(self.body)

        self.browse.clicked.connect(self._browse)
        self.decrypt_button.clicked.connect(self.decrypt)
        self.no_key_button.clicked.connect(self.ask_no_key)
        self.bidder.currentIndexChanged.connect(self._scheme_hint)
        self.kind.currentIndexChanged.connect(self._scheme_hint)
        self._form.setRowVisible(PIN_ROW, False)
        self.retranslate()
        self.setVisible(False)

    def retranslate(self) -> None:
        self.setTitle(tr("投标文件解密（投标人在解密时限内各自解密，R-OPEN-10）"))
        self.files.setHorizontalHeaderLabels([tr(h) for h in FILES])
        self.bidder_label.setText(tr("投标人"))
        self.kind_label.setText(tr("密钥"))
        for i in range(self.kind.count()):
            self.kind.setItemText(i, tr(KINDS[self.kind.itemData(i)]))
        self.pin_label.setText(tr("PIN 码"))
        self.pin.setPlaceholderText(tr("U 盾的 PIN 码，在本机输入，不会保存"))
        self.key_label.setText(tr("证书文件（PKCS#12）"))
        self.passphrase_label.setText(tr("口令"))
        self.key_file.setPlaceholderText(tr("数字证书加密的投标文件：选择投标人的 .p12 / .pfx 文件"))
        self.passphrase.setPlaceholderText(tr("证书文件的口令，或口令加密文件的口令"))
        self.browse.setText(tr("选择…"))
        self.decrypt_button.setText(tr("解密"))
        self.no_key_button.setText(tr("未出示密钥"))
        if self._view is not None:
            self.show_view(self._view, self._stage, self._read)

    # -- actions ---------------------------------------------------------------------------------
    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("选择投标人的证书文件"), "",
                                              tr("PKCS#12 证书 (*.p12 *.pfx);;所有文件 (*)"))
        if path:
            self.key_file.setText(path)

    def decrypt(self) -> None:
        bidder = self.bidder.currentData()
        if bidder is None:
            return
        kind = self.kind.currentData()
        key_text, passphrase = self.key_file.text().strip(), self.passphrase.text()
        p12 = Path(key_text) if key_text and kind == P12 else None
        pin = self.pin.text() if kind == TOKEN else None
        self.pin.clear()  # typed for this attempt only: never kept, whatever the outcome
        self.decrypt_button.setEnabled(False)
        set_notice(self.message, tr("正在解密 {bidder} 的投标文件…").format(bidder=bidder))

        def done(outcomes: Any) -> None:
            self.passphrase.clear()
            self.key_file.clear()
            failed = [o for o in outcomes if not o.ok]
            if failed:
                set_notice(self.message, tr("{bidder} 解密失败：{cause}；{outcome}。").format(
                    bidder=bidder, cause=tr(CAUSES.get(failed[0].cause, failed[0].cause)),
                    outcome=tr(OUTCOMES.get(failed[0].outcome, failed[0].outcome))), BAD_COLOUR)
            else:
                set_notice(self.message, tr("{bidder} 的 {n} 份投标文件已解密，哈希已记入账本。").format(
                    bidder=bidder, n=len(outcomes)), OK_COLOUR)

        def refused(error: BaseException) -> None:
            from app.services.certificates import TokenError

            self.decrypt_button.setEnabled(True)
            if isinstance(error, TokenError):  # not the bidder's key failing: nothing recorded, it may try again
                again = tr("未记录 {bidder} 的解密结果，可再次出示密钥。").format(bidder=bidder)
                set_notice(self.message, f"{describe(error)} {again}", WARN_COLOUR)
            else:
                set_notice(self.message, describe(error), BAD_COLOUR)

        DbOp(self.client, lambda room: room.decrypt_bid(bidder, p12, passphrase, token_pin=pin), parent=self).success(
            done).failure(refused).run_in_background()

    def ask_no_key(self) -> None:
        bidder = self.bidder.currentData()
        if bidder is None:
            return
        first = tr("投标人 {bidder} 的代表未在解密时限内出示密钥（或表示无法出示）。").format(bidder=bidder)
        then = tr("记录后该投标视为撤销（投标人原因，R-OPEN-10），不再解密、不参加评标；开标继续。")
        text = "\n".join([first, "", then])
        self.confirmation = confirm(self, tr("记录未出示密钥？"), text, tr("记录，视为撤销"),
                                    lambda: self._no_key(bidder), warning=True)

    def _no_key(self, bidder: str) -> None:
        DbOp(self.client, lambda room: room.record_no_key(bidder), parent=self).success(
            lambda _v: set_notice(self.message, tr("已记录：{bidder} 未出示密钥，视为撤销投标。").format(bidder=bidder),
                                  WARN_COLOUR)).run_in_background()

    def _scheme_hint(self) -> None:
        view, bidder = self._view, self.bidder.currentData()
        if view is None or bidder is None:
            return
        schemes = {f.scheme for f in view.files if f.bidder == bidder and f.state == "pending"}
        kind = self.kind.currentData()
        self._form.setRowVisible(KEY_ROW, kind == P12)
        self._form.setRowVisible(PIN_ROW, kind == TOKEN)
        self.key_file.setEnabled("cms" in schemes and kind == P12)
        self.browse.setEnabled("cms" in schemes and kind == P12)
        self.pin.setEnabled("cms" in schemes and kind == TOKEN)

    # -- the snapshot ----------------------------------------------------------------------------
    def show_view(self, view: DecryptionView | None, stage: str, read: bool = False) -> None:
        """``read``: the bids are read (唱标): the box keeps its summary line only (the page's table shows who is
        excluded), so the bids' table has the room."""
        self._view, self._stage, self._read = view, stage, read
        self.setVisible(view is not None)
        if view is None:
            return
        self.body.setVisible(not read)
        rows, colours = [], []
        for f in view.files:
            if f.state == "failed":
                why = tr(CAUSES.get(f.cause or "", f.cause or ""))
            elif f.state == "decrypted":
                why = (f.plaintext_sha256 or "")[:16] + "…"
            else:
                why = ""
            rows.append([f.bidder, f.path, tr(SCHEMES.get(f.scheme, f.scheme)), _state_text(f.state, f.outcome), why])
            colours.append(BAD_COLOUR if f.state in ("failed", "excluded", "late") else
                           OK_COLOUR if f.state == "decrypted" else None)
        fill(self.files, rows, colours)
        pending = view.pending_bidders()
        current = self.bidder.currentData()
        if [self.bidder.itemData(i) for i in range(self.bidder.count())] != pending:
            self.bidder.blockSignals(True)
            self.bidder.clear()
            for bidder in pending:
                self.bidder.addItem(bidder, bidder)
            if current in pending:
                self.bidder.setCurrentIndex(pending.index(current))
            self.bidder.blockSignals(False)
        self._scheme_hint()
        active = stage == "opening" and bool(pending)
        for widget in (self.decrypt_button, self.no_key_button, self.passphrase, self.bidder, self.kind):
            widget.setEnabled(active)
        if not active:
            for widget in (self.key_file, self.browse, self.pin):
                widget.setEnabled(False)
        if view.deadline is None:
            set_notice(self.deadline, tr("开标开始后，投标人须在 {m} 分钟内各自解密投标文件。").format(m=view.minutes))
        elif pending:
            end = datetime.fromisoformat(view.deadline)
            local = end.astimezone().strftime("%H:%M")
            if datetime.now(UTC) > end:
                text = tr("解密时限（{time}）已过：唱标时尚未解密的投标视为撤销（未出示密钥）。")
                set_notice(self.deadline, text.format(time=local), BAD_COLOUR)
            else:
                set_notice(self.deadline, tr("解密时限至 {time}；待解密：{bidders}。全部解密或记录失败后唱标。").format(
                    time=local, bidders=tr("、").join(pending)), WARN_COLOUR)
        else:
            set_notice(self.deadline, tr("解密完成：已解密 {ok} 份，失败 {bad} 份（失败的投标不参加评标）。").format(
                ok=sum(f.state == "decrypted" for f in view.files),
                bad=sum(f.state == "failed" for f in view.files)), OK_COLOUR)
