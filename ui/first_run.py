"""The first-run wizard of the console: when the console starts and no settings file exists, ask for the
few things a room needs (room id, room name, center URL, camera, idle minutes) and write the settings
file; and, when no passphrase is configured (``EVALROOM_KEY_PASSPHRASE``, the OS keyring), the room key's
passphrase, typed twice, which it offers to keep in the OS keyring (otherwise the console asks for it at each
start). `evalroom demo` and the walkthrough never show it (they run on their own defaults)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QT_TR_NOOP
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from app import settings as settings_module
from app.settings import Settings, SettingsError
from ui.common import notice, title
from ui.errors import describe
from ui.i18n import one_language, tr
from ui.passphrase import keyring_box

#: the form's field of a SettingsError's key, for the message shown under the form
_KEY_NAMES = {"room_id": QT_TR_NOOP("评标室编号"), "room_name": QT_TR_NOOP("评标室名称"),
              "center_url": QT_TR_NOOP("交易中心地址"), "cameras": QT_TR_NOOP("摄像头"),
              "idle_minutes": QT_TR_NOOP("空闲锁定（分钟）")}


def needs_wizard(env: dict[str, str] | None = None) -> bool:
    """True when no settings file was named and none exists at the default place."""
    path, named = settings_module.locate(os.environ if env is None else env)
    return not named and not path.exists()


class FirstRunWizard(QDialog):
    def __init__(self, base: Settings, path: Path, ask_passphrase: bool | None = None) -> None:
        """``ask_passphrase``: ask for the room key's passphrase (default: when none is configured)."""
        from app.services import passphrase as service

        super().__init__()
        self.base, self.path = base, path
        self.written: Settings | None = None
        self.passphrase: bytes | None = None  # the room key's, when asked
        if ask_passphrase is None:
            try:
                ask_passphrase = service.configured(base.key_passphrase_file) is None
            except service.PassphraseError:  # a passphrase file that cannot be read: the start says so next
                ask_passphrase = False
        self.asks_passphrase = ask_passphrase
        self.setWindowTitle(tr("EvalRoom 评标室 — 首次设置"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(title(tr("首次设置")))
        layout.addWidget(notice(tr("本机第一次作为主控台运行。请填写评标室的基本信息，之后可在设置文件中修改。")))
        form = QFormLayout()
        self.room_id = QLineEdit(base.room_id if base.room_id != Settings().room_id else "")
        self.room_id.setPlaceholderText(tr("例如 szggzy-room-3"))
        self.room_name = QLineEdit(base.room_name)
        self.room_name.setPlaceholderText(tr("例如 第三评标室"))
        self.center_url = QLineEdit(base.center_url or "")
        self.center_url.setPlaceholderText(tr("可不填：离线工作，之后手动同步"))
        self.camera = QLineEdit(base.cameras[0].source if base.cameras else "synthetic")
        self.camera.setPlaceholderText(tr("synthetic、设备序号、rtsp:// 地址"))
        self.idle = QDoubleSpinBox()
        self.idle.setRange(1, 240)
        self.idle.setDecimals(0)
        self.idle.setValue(base.idle_minutes)
        form.addRow(tr(_KEY_NAMES["room_id"]), self.room_id)
        form.addRow(tr(_KEY_NAMES["room_name"]), self.room_name)
        form.addRow(tr(_KEY_NAMES["center_url"]), self.center_url)
        form.addRow(tr(_KEY_NAMES["cameras"]), self.camera)
        form.addRow(tr(_KEY_NAMES["idle_minutes"]), self.idle)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText(tr("保护评标室密钥，至少 8 个字符"))
        self.secret_again = QLineEdit()
        self.secret_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.keyring = keyring_box(service.keyring_available())
        if ask_passphrase:
            form.addRow(tr("密钥口令"), self.secret)
            form.addRow(tr("再次输入口令"), self.secret_again)
            form.addRow("", self.keyring)
        self.where = QLabel(str(path))
        self.where.setWordWrap(True)
        form.addRow(tr("设置文件"), self.where)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(tr("保存并继续"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> Settings:
        """The form's values, validated like a settings file (SettingsError names the key)."""
        camera = self.camera.text().strip() or "synthetic"
        name = (self.base.cameras or Settings().cameras)[0].name  # the form edits the first camera's source
        if not (camera == "synthetic" or camera.isdigit() or "://" in camera or Path(camera).expanduser().is_file()):
            raise SettingsError(f"settings: cameras: {camera!r} is not synthetic, a device index, "
                                "an rtsp:// or http:// URL or an existing video file")
        return settings_module.with_values(
            self.base, room_id=self.room_id.text().strip(), room_name=self.room_name.text().strip(),
            center_url=self.center_url.text().strip(), cameras=[f"{name}={camera}"], idle_minutes=self.idle.value())

    def save(self) -> None:
        from app.services import passphrase as service

        try:
            chosen = self.chosen()
        except SettingsError as exc:
            self._settings_error(exc)
            return
        if self.asks_passphrase:
            problem = service.check_new(self.secret.text(), self.secret_again.text())
            if problem:
                self.error.setText(tr("密钥口令填写有误：{problem}").format(problem=one_language(problem)))
                return
            secret = self.secret.text().encode("utf-8")
            if self.keyring.isChecked():
                try:
                    service.keep_in_keyring(secret)
                except service.PassphraseError as exc:
                    self.error.setText(tr("口令未保存到系统钥匙串：{error}").format(error=describe(exc)))
                    return
            self.passphrase = secret
        try:
            settings_module.write(chosen, self.path)
        except SettingsError as exc:
            self._settings_error(exc)
            return
        except OSError as exc:
            self.error.setText(tr("设置文件无法写入：{path}（{error}）。").format(path=self.path,
                                                                           error=exc.strerror or exc))
            return
        self.written = settings_module.load(self.path)
        self.accept()

    def _settings_error(self, exc: SettingsError) -> None:
        text = str(exc).removeprefix("settings: ")
        key = text.partition(":")[0]
        field = tr(_KEY_NAMES[key]) if key in _KEY_NAMES else key
        # the detail is the settings file's own message (English, naming the key as the file does)
        self.error.setText(tr("{field}填写有误。 / {detail}").format(field=field, detail=text))


def run_wizard(base: Settings, path: Path | None = None) -> tuple[Settings, bytes | None] | None:
    """Show the wizard; the settings written (read back from the file with the environment) and the room
    key's passphrase when it asked for one, or None when cancelled."""
    wizard = FirstRunWizard(base, path or settings_module.default_path())
    if wizard.exec() != QDialog.DialogCode.Accepted or wizard.written is None:
        return None
    return wizard.written, wizard.passphrase
