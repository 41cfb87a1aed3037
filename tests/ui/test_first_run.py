"""The console's first-run wizard writes the settings file; bad input is named, nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app import settings
from app.settings import CameraConfig, Settings
from ui.first_run import FirstRunWizard, needs_wizard


@pytest.fixture(autouse=True)
def _no_selection():
    settings.select(None)
    yield
    settings.select(None)


def test_needs_wizard_only_without_any_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "default_path", lambda: tmp_path / "settings.toml")
    assert needs_wizard({})
    (tmp_path / "settings.toml").write_text("version = 1\n")
    assert not needs_wizard({})
    assert not needs_wizard({"EVALROOM_SETTINGS": str(tmp_path / "named.toml")})  # named: it must exist, no wizard


def _wizard(qtbot, tmp_path: Path) -> FirstRunWizard:
    wizard = FirstRunWizard(Settings(data_folder=tmp_path / "data"), tmp_path / "conf" / "settings.toml")
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def test_the_wizard_writes_the_file(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in __import__("os").environ if n.startswith("EVALROOM_")]:
        monkeypatch.delenv(name)
    wizard = _wizard(qtbot, tmp_path)
    assert wizard.camera.text() == "synthetic" and wizard.idle.value() == 10
    qtbot.keyClicks(wizard.room_id, "sz-room-3")
    wizard.room_name.setText("第三评标室")  # QTest cannot type CJK characters (no key codes)
    qtbot.keyClicks(wizard.center_url, "https://center.example.cn")
    wizard.idle.setValue(15)
    qtbot.keyClicks(wizard.secret, "room key 2026")  # no passphrase is configured: the wizard sets it
    qtbot.keyClicks(wizard.secret_again, "room key 2026")
    qtbot.mouseClick(wizard.save_button, Qt.MouseButton.LeftButton)
    assert wizard.result() == FirstRunWizard.DialogCode.Accepted
    assert wizard.passphrase == b"room key 2026"
    written = settings.load(tmp_path / "conf" / "settings.toml", env={})
    assert written.room_id == "sz-room-3" and written.room_name == "第三评标室"
    assert written.center_url == "https://center.example.cn" and written.idle_minutes == 15
    assert written.cameras == (CameraConfig("cam1", "synthetic"),) and written.data_folder == tmp_path / "data"
    assert wizard.written == written


@pytest.mark.parametrize(("field", "text", "shown"), [
    ("room_id", "第三室", "评标室编号填写有误。 / room_id: '第三室' is not a room id"),
    ("center_url", "center.example.cn", "交易中心地址填写有误。 / center_url: 'center.example.cn' is not an http"),
    ("camera", "front door", "摄像头填写有误。 / cameras: 'front door' is not synthetic, a device index, an rtsp://"),
])
def test_bad_input_is_named_and_nothing_is_written(qtbot, tmp_path: Path, field: str, text: str, shown: str) -> None:
    wizard = _wizard(qtbot, tmp_path)
    if field != "room_id":
        qtbot.keyClicks(wizard.room_id, "room-1")
    getattr(wizard, field).setText(text)
    qtbot.mouseClick(wizard.save_button, Qt.MouseButton.LeftButton)
    assert wizard.error.text().startswith(shown)
    assert wizard.result() != FirstRunWizard.DialogCode.Accepted
    assert not (tmp_path / "conf" / "settings.toml").exists()


def test_cancel_writes_nothing(qtbot, tmp_path: Path) -> None:
    wizard = _wizard(qtbot, tmp_path)
    qtbot.mouseClick(wizard.cancel_button, Qt.MouseButton.LeftButton)
    assert wizard.result() == FirstRunWizard.DialogCode.Rejected and wizard.written is None
    assert not (tmp_path / "conf").exists()
