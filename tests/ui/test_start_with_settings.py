"""The start screen follows the settings: room id, data folder, language (kept when switched), idle minutes,
the first-run wizard on the console, the per-mode lock and log file; a bad settings file is refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from app import logs, settings
from ui.i18n import DEFAULT_LANGUAGE, Languages
from ui.kiosk import Kiosk
from ui.main_window import MainWindow
from ui.single_instance import acquire
from ui.start_screen import StartScreen, run_start_screen
from ui.workstation.seat_window import SeatWindow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def room_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in [n for n in __import__("os").environ if n.startswith("EVALROOM_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("EVALROOM_KEY_PASSPHRASE", "room-test-passphrase")  # a room PC's key is never the demo's
    path = tmp_path / "conf" / "settings.toml"
    path.parent.mkdir()
    path.write_text(f"version = 1\nroom_id = 'sz-3'\nroom_name = '第三评标室'\nlanguage = 'en'\nidle_minutes = 7\n"
                    f"data_folder = '{tmp_path / 'data'}'\n", encoding="utf-8")
    settings.select(path)
    yield path
    settings.select(None)
    logs.teardown()
    Languages().switch(DEFAULT_LANGUAGE)  # the settings' English must not outlive the test


def _drive(monkeypatch: pytest.MonkeyPatch, role: int, inside) -> list[object]:
    """Choose ``role`` on the start screen, then run ``inside(window)`` instead of the event loop."""
    seen: list[object] = []

    def choose(screen: StartScreen) -> int:
        seen.append(screen)
        screen.shown = [label.text() for label in screen.findChildren(QLabel)]  # type: ignore[attr-defined]  # as chosen
        screen.role = role
        return StartScreen.DialogCode.Accepted

    def loop(_app) -> int:
        QApplication.processEvents()  # what the event loop does first: the window's startup calls run
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow | SeatWindow) and w.isVisible())
        inside(window)  # the window is not kept: it goes when run_start_screen returns
        window.close()
        return 0

    monkeypatch.setattr(StartScreen, "exec", choose)
    monkeypatch.setattr(QApplication, "exec", loop)
    monkeypatch.setattr("ui.crash.CrashHandler.install", lambda self: self)  # keep pytest's own hooks
    return seen


def test_the_workstation_starts_with_the_settings(qtbot, room_settings: Path, tmp_path: Path, monkeypatch) -> None:
    def inside(window: SeatWindow) -> None:  # an expert's own PC: its seat window, never the one-window console
        assert isinstance(window, SeatWindow) and window.role == "expert"
        assert window.languages.current == "en" and window.idle_minutes == 7
        assert window.windowTitle() == "EvalRoom · expert workstation"
        qtbot.waitUntil(lambda: window.pairing is not None)  # no seat on this PC yet: the pairing page first
        assert window.client is None
        with pytest.raises(Exception, match="already runs"):  # the lock is held while the window is open
            acquire("workstation", tmp_path / "data")
        window.set_language("zh_CN")  # kept for the next start

    seen = _drive(monkeypatch, 1, inside)
    assert run_start_screen() == 0
    screen = seen[0]
    assert isinstance(screen, StartScreen)
    assert screen.room.text() == "sz-3（第三评标室）" and screen.data.text() == str(tmp_path / "data")
    assert "Room" in screen.shown  # the start screen follows the language (and the switch back later: it is live)
    assert settings.load(room_settings, env={}).language == "zh"
    assert settings.load(room_settings, env={}).room_id == "sz-3"  # the other keys stay
    assert "mode workstation" in (tmp_path / "data" / "logs" / "evalroom-workstation.log").read_text(encoding="utf-8")
    acquire("workstation", tmp_path / "data").unlock()  # released at the end


def test_the_console_without_a_settings_file_asks_the_wizard_first(qtbot, tmp_path: Path, monkeypatch) -> None:
    for name in [n for n in __import__("os").environ if n.startswith("EVALROOM_")]:
        monkeypatch.delenv(name)
    settings.select(None)
    monkeypatch.setattr(settings, "default_path", lambda: tmp_path / "conf" / "settings.toml")
    asked: list[settings.Settings] = []

    def wizard(base: settings.Settings, path: Path | None = None, catalogue: dict[str, str] | None = None):
        asked.append(base)
        return None  # cancelled: nothing starts

    monkeypatch.setattr("ui.first_run.run_wizard", wizard)
    _drive(monkeypatch, 0, lambda window: None)
    monkeypatch.setattr("ui.start_screen.QFileDialog.getOpenFileName", lambda *a, **k: ("", ""))
    assert run_start_screen(settings.Settings(data_folder=tmp_path / "data")) == 0
    assert len(asked) == 1 and not (tmp_path / "data" / "locks").exists()


def test_a_bad_settings_file_stops_the_gui_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "settings.toml"
    bad.write_text("version = 1\nidle_minutes = 0\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "app", "--settings", str(bad)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        f"evalroom: 设置文件有误，请修改后重新启动。 / settings file {bad}: idle_minutes: 0 is below the minimum 1")


def test_kiosk_from_the_settings_needs_an_exit_passphrase(qtbot, room_settings: Path, monkeypatch, capsys) -> None:
    from PySide6.QtCore import Qt

    text = room_settings.read_text(encoding="utf-8")
    room_settings.write_text(text + "kiosk = true\n", encoding="utf-8")
    settings.select(room_settings)
    _drive(monkeypatch, 2, lambda window: None)
    assert run_start_screen() == 2
    assert "kiosk mode needs an exit passphrase" in capsys.readouterr().err

    settings.save(room_settings, kiosk_exit_hash=settings.hash_passphrase("let me out 42", iterations=10_000))
    settings.select(room_settings)

    def inside(window: MainWindow) -> None:
        assert window.windowFlags() & Qt.WindowType.FramelessWindowHint and window.isFullScreen()
        assert not window.close()  # refused
        kiosk = window.findChild(Kiosk)
        kiosk.ask = lambda: ("let me out 42", True)
        kiosk.quit = lambda: None
        assert kiosk.request_exit()

    _drive(monkeypatch, 2, inside)
    assert run_start_screen() == 0


def test_the_console_records_the_cameras_of_the_settings(tmp_path: Path) -> None:
    from ui.start_screen import console_recording

    path = tmp_path / "settings.toml"
    path.write_text("version = 1\ncameras = ['门口=synthetic', 'cam2=rtsp://10.0.0.5/stream']\n", encoding="utf-8")
    chosen = settings.load(path, env={})
    recording = console_recording(chosen)
    assert [(c.name, c.source) for c in recording.camera_list] == [("门口", "synthetic"),
                                                                   ("cam2", "rtsp://10.0.0.5/stream")]
    default = console_recording(settings.Settings())
    assert [c.source for c in default.camera_list] == ["synthetic"]  # no camera configured: the synthetic one
