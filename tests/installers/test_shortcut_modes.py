"""The shortcuts of both installers start what they say: their arguments parse with the real command line, and
`evalroom --mode X` opens role X without asking on the start screen."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from app import logs, settings
from app.cli import build_parser
from ui.main_window import MainWindow
from ui.start_screen import StartScreen, run_start_screen
from ui.workstation.seat_window import SeatWindow

ROOT = Path(__file__).resolve().parents[2]


def deb_modes() -> dict[str, str]:
    spec = importlib.util.spec_from_file_location("build_deb", ROOT / "installers" / "debian" / "build_deb.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {stem: args for stem, _name, _zh, _comment, args in module.MODES}


def iss_parameters() -> set[str]:
    text = (ROOT / "installers" / "windows" / "evalroom.iss").read_text(encoding="utf-8-sig")
    return set(re.findall(r'Parameters: "([^"]*)"', text))


def test_every_shortcut_parses_with_the_real_command_line() -> None:
    modes = deb_modes()
    assert set(modes) == {"console", "workstation", "supervisor", "venue", "demo"}
    assert iss_parameters() == set(modes.values())
    for stem, args in modes.items():
        parsed = build_parser().parse_args(shlex.split(args))
        if stem == "demo":
            assert parsed.command == "demo"
        else:
            assert parsed.command is None and parsed.mode == stem


@pytest.mark.parametrize(("mode", "role"), [("workstation", "expert"), ("supervisor", "supervisor")])
def test_mode_opens_its_role_without_the_start_screen(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       mode: str, role: str) -> None:
    for name in [n for n in __import__("os").environ if n.startswith("EVALROOM_")]:
        monkeypatch.delenv(name)
    opened: list[str] = []

    def never(_screen: StartScreen) -> int:
        raise AssertionError("the start screen asked although --mode was given")

    def loop(_app) -> int:  # instead of the event loop: look at the window that opened
        # an expert's or supervisor's own PC: its seat window (pairing first), never the one-window console
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, SeatWindow) and w.isVisible() and w.client is None)  # this start's
        assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        opened.append(window.role)
        qtbot.wait(200)  # a few turns of the event loop, as the real one would run
        qtbot.waitUntil(lambda: window.pairing is not None)
        window.close()
        window.deleteLater()  # with its timers: none may fire after run_start_screen closed the client
        return 0

    monkeypatch.setenv("EVALROOM_KEY_PASSPHRASE", "test-passphrase")  # a room PC's key is never under the demo one
    monkeypatch.setattr(StartScreen, "exec", never)
    monkeypatch.setattr(QApplication, "exec", loop)
    monkeypatch.setattr("ui.crash.CrashHandler.install", lambda self: self)  # keep pytest's own hooks
    try:
        chosen = settings.Settings(data_folder=tmp_path / "data", hub_url="https://127.0.0.1:9")  # no LAN search
        assert run_start_screen(chosen, mode=mode) == 0
    finally:
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        logs.teardown()
    assert opened == [role]
    assert (tmp_path / "data" / "logs" / f"evalroom-{mode}.log").is_file()
