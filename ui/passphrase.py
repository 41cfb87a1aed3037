"""The room key's passphrase at the start of a room PC's console, workstation, supervisor or remote venue.

The passphrase comes from ``EVALROOM_KEY_PASSPHRASE``, the settings' ``key_passphrase_file`` or the OS keyring
(``app.services.passphrase``); when none gives it, this dialog asks for it — the first time (no key yet) twice,
to set it — and offers to keep it in the keyring when the computer has one. Without a screen to ask on
(offscreen) or when the dialog is cancelled, the start is refused with how to set it. ``evalroom demo`` never
asks: its key is the demo's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QT_TR_NOOP, QEventLoop
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ui.common import notice, title
from ui.errors import describe
from ui.i18n import one_language, tr
from ui.ops import PoolOp

T = TypeVar("T")
WRONG = QT_TR_NOOP("口令无法打开本机的评标室密钥。")


def interactive() -> bool:
    """True when someone can answer a dialog (not offscreen, as in tests and CI)."""
    app = QApplication.instance()
    return app is not None and app.platformName() not in ("offscreen", "minimal")  # type: ignore[attr-defined]


def off_thread(work: Callable[[], T]) -> T:
    """Run ``work`` (opening the key: scrypt and 600 000 PBKDF2 rounds, about half a second) off the GUI
    thread (a :class:`ui.ops.PoolOp`) while the dialog keeps painting: the start waits in an event loop of its
    own, as a modal dialog does, not in a polling loop; its result or its error."""
    box: dict[str, Any] = {}
    loop = QEventLoop()

    def answer(key: str, value: object) -> None:
        box[key] = value
        loop.quit()

    PoolOp(work).success(lambda value: answer("value", value)).failure(
        lambda exc: answer("error", exc)).run_in_background()
    if not box:  # not answered yet (an answer always comes later, through the event loop)
        loop.exec()
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]


def keyring_box(available: bool) -> QCheckBox:
    box = QCheckBox(tr("保存到系统钥匙串，以后启动时不再询问"))
    box.setEnabled(available)
    if not available:
        box.setToolTip(tr("本机没有可用的系统钥匙串"))
    return box


class PassphraseDialog(QDialog):
    """Asks for the room key's passphrase; ``first``: no key yet, so it is set (typed twice)."""

    def __init__(self, key_file: Path, first: bool, keyring: bool, error: str = "",
                 parent: QWidget | None = None, pc: bool = False) -> None:
        """``pc``: an expert's or supervisor's own PC, whose key is its seat's signing key (not the room key)."""
        super().__init__(parent)
        self.first = first
        self.secret: bytes | None = None
        self.keep = False
        self.setWindowTitle(tr("EvalRoom 评标室 — 本机签名密钥口令") if pc else tr("EvalRoom 评标室 — 评标室密钥口令"))
        layout = QVBoxLayout(self)
        layout.addWidget(title(tr("本机签名密钥口令") if pc else tr("评标室密钥口令")))
        if pc:
            text = (tr("本机尚未配对：请设置保护本机签名密钥的口令（至少 8 个字符），配对时本机的密钥在此生成。")
                    if first else tr("请输入保护本机签名密钥的口令。"))
        else:
            text = (tr("本机第一次使用评标室密钥：请设置保护密钥的口令（至少 8 个字符）。") if first else
                    tr("请输入保护本机评标室密钥的口令。"))
        layout.addWidget(notice(text))
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("口令"), self.passphrase)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        if first:
            form.addRow(tr("再次输入口令"), self.again)
        self.where = QLabel(str(key_file))
        self.where.setWordWrap(True)
        form.addRow(tr("密钥文件"), self.where)
        layout.addLayout(form)
        self.keyring = keyring_box(keyring)
        layout.addWidget(self.keyring)
        self.error = QLabel(error)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.ok_button = buttons.addButton(tr("确定"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.take)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def take(self) -> None:
        from app.services import passphrase as service

        text = self.passphrase.text()
        problem = one_language(service.check_new(text, self.again.text()) or "") if self.first else (
            "" if text else tr("请输入口令。"))
        if problem:
            self.error.setText(problem)
            return
        self.secret, self.keep = text.encode("utf-8"), self.keyring.isChecked()
        self.accept()


def _passphrase_file() -> Path | None:
    """The settings' passphrase file (the services read no settings: they are given what they need)."""
    from app import settings

    return settings.current().key_passphrase_file


def obtain_room_passphrase(home: Path, offered: bytes | None = None) -> bytes:
    """The room key's passphrase for the data folder ``home``: ``offered`` (the first-run wizard's), else the
    configured one, else asked. Raises ``PassphraseError`` (shown by the caller, exit 2) when it is missing or
    does not open the key and nobody can be asked, or the dialog is cancelled."""
    from app.services import passphrase as service

    secret = offered if offered is not None else service.configured(_passphrase_file())
    error = ""
    if secret is not None:
        if off_thread(partial(service.opens, home, secret)):
            return secret
        if offered is None:  # EVALROOM_KEY_PASSPHRASE, the settings' file or the keyring: fix it there
            raise service.PassphraseError(key="passphrase.wrong_room", key_file=service.key_file(home))
        error = tr(WRONG)
    if not interactive():
        raise service.PassphraseMissing(service.how_to_set())
    while True:
        dialog = PassphraseDialog(service.key_file(home), not service.key_exists(home), service.keyring_available(),
                                  error)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.secret is None:
            raise service.PassphraseMissing(service.how_to_set())
        typed = dialog.secret
        if not off_thread(partial(service.opens, home, typed)):
            error = tr(WRONG)
            continue
        if dialog.keep:
            _keep(dialog, typed)
        return typed


def _keep(dialog: QWidget, typed: bytes) -> None:
    from app.services import passphrase as service

    try:
        service.keep_in_keyring(typed)
    except service.PassphraseError as exc:
        QMessageBox.warning(dialog, tr("系统钥匙串"), tr("口令未保存到系统钥匙串：{error}").format(error=describe(exc)))


PC_WRONG = QT_TR_NOOP("口令无法打开本机的签名密钥。")


def obtain_pc_passphrase(home: Path) -> bytes:
    """The passphrase of an expert's or supervisor's own PC (``home``): it protects the seat's signing key made
    at pairing. Configured (EVALROOM_KEY_PASSPHRASE, the settings' file, the keyring) or asked; checked against
    the seat held here (none yet: set now, typed twice). Raises ``PassphraseError`` as
    :func:`obtain_room_passphrase` does."""
    from app.services import passphrase as service
    from app.services.paired import key_path
    from app.services.pairing import KeyFileError, load_seat, seats

    def opens(secret: bytes) -> bool:
        try:
            load_seat(home, secret)
        except KeyFileError:
            return False
        return True

    held = seats(home)
    key_file = key_path(home, str(held[0]["session"])) if held else Path(home) / "seats"
    secret = service.configured(_passphrase_file())
    error = ""
    if secret is not None:
        if off_thread(partial(opens, secret)):
            return secret
        raise service.PassphraseError(key="passphrase.wrong_pc", key_file=key_file)
    if not interactive():
        raise service.PassphraseMissing(service.how_to_set())
    while True:
        dialog = PassphraseDialog(key_file, not held, service.keyring_available(), error, pc=True)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.secret is None:
            raise service.PassphraseMissing(service.how_to_set())
        typed = dialog.secret
        if not off_thread(partial(opens, typed)):
            error = tr(PC_WRONG)
            continue
        if dialog.keep:
            _keep(dialog, typed)
        return typed
