"""The first-run wizard of the console: when the console starts and no settings file exists, ask for the
few things a room needs (room id, room name, center URL, camera, idle minutes) and write the settings
file. `evalroom demo` and the walkthrough never show it (they run on their own defaults)."""

from __future__ import annotations

import os
from pathlib import Path

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
from ui.i18n import translate_tree

#: the Chinese first half of a SettingsError's key, for the message shown under the form
_KEY_NAMES = {"room_id": "评标室编号", "room_name": "评标室名称", "center_url": "交易中心地址", "cameras": "摄像头",
              "idle_minutes": "空闲锁定（分钟）"}


def needs_wizard(env: dict[str, str] | None = None) -> bool:
    """True when no settings file was named and none exists at the default place."""
    path, named = settings_module.locate(os.environ if env is None else env)
    return not named and not path.exists()


class FirstRunWizard(QDialog):
    def __init__(self, base: Settings, path: Path) -> None:
        super().__init__()
        self.base, self.path = base, path
        self.written: Settings | None = None
        self.setWindowTitle("EvalRoom 评标室 — 首次设置")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addWidget(title("首次设置"))
        layout.addWidget(notice("本机第一次作为主控台运行。请填写评标室的基本信息，之后可在设置文件中修改。"))
        form = QFormLayout()
        self.room_id = QLineEdit(base.room_id if base.room_id != Settings().room_id else "")
        self.room_id.setPlaceholderText("例如 szggzy-room-3")
        self.room_name = QLineEdit(base.room_name)
        self.room_name.setPlaceholderText("例如 第三评标室")
        self.center_url = QLineEdit(base.center_url or "")
        self.center_url.setPlaceholderText("可不填：离线工作，之后手动同步")
        self.camera = QLineEdit(base.cameras[0].source if base.cameras else "synthetic")
        self.camera.setPlaceholderText("synthetic、设备序号、rtsp:// 地址")
        self.idle = QDoubleSpinBox()
        self.idle.setRange(1, 240)
        self.idle.setDecimals(0)
        self.idle.setValue(base.idle_minutes)
        form.addRow("评标室编号", self.room_id)
        form.addRow("评标室名称", self.room_name)
        form.addRow("交易中心地址", self.center_url)
        form.addRow("摄像头", self.camera)
        form.addRow("空闲锁定（分钟）", self.idle)
        self.where = QLabel(str(path))
        self.where.setWordWrap(True)
        form.addRow("设置文件", self.where)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("保存并继续", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> Settings:
        """The form's values, validated like a settings file (SettingsError names the key)."""
        camera = self.camera.text().strip() or "synthetic"
        if not (camera == "synthetic" or camera.isdigit() or "://" in camera or Path(camera).expanduser().is_file()):
            raise SettingsError(f"settings: cameras: {camera!r} is not synthetic, a device index, "
                                "an rtsp:// or http:// URL or an existing video file")
        return settings_module.with_values(
            self.base, room_id=self.room_id.text().strip(), room_name=self.room_name.text().strip(),
            center_url=self.center_url.text().strip(), cameras=[f"main={camera}"], idle_minutes=self.idle.value())

    def save(self) -> None:
        try:
            chosen = self.chosen()
            settings_module.write(chosen, self.path)
        except SettingsError as exc:
            text = str(exc).removeprefix("settings: ")
            key = text.partition(":")[0]
            self.error.setText(f"{_KEY_NAMES.get(key, key)}填写有误。 / {text}")
            return
        except OSError as exc:
            self.error.setText(f"设置文件无法写入：{self.path}。 / Cannot write the settings file: "
                               f"{exc.strerror or exc}")
            return
        self.written = settings_module.load(self.path)
        self.accept()


def run_wizard(base: Settings, path: Path | None = None, catalogue: dict[str, str] | None = None) -> Settings | None:
    """Show the wizard; the settings written (read back from the file with the environment), or None."""
    wizard = FirstRunWizard(base, path or settings_module.default_path())
    translate_tree(wizard, catalogue or {})
    if wizard.exec() != QDialog.DialogCode.Accepted:
        return None
    return wizard.written
