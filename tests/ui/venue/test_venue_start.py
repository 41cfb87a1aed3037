"""Starting the remote venue's console: the start screen's 副场主控台 button and `evalroom --mode venue` open its
window with the settings' room and center; the lock and log file are the venue mode's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

import centerkit as ck
from app import logs, settings
from app.cli import build_parser
from ui.i18n import DEFAULT_LANGUAGE, Languages
from ui.single_instance import acquire
from ui.start_screen import VENUE, StartScreen, run_start_screen
from ui.venue.window import VenueWindow
from ui.walkthrough import wait_until


@pytest.fixture
def venue_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    for name in [n for n in os.environ if n.startswith("EVALROOM_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("EVALROOM_KEY_PASSPHRASE", "venue-test-passphrase")  # a venue's key is never the demo's
    path = tmp_path / "conf" / "settings.toml"
    path.parent.mkdir()
    url = f"http://127.0.0.1:{ck.free_port()}"  # no center there
    path.write_text(f"version = 1\nroom_id = 'county-7'\nroom_name = '七号副场'\ncenter_url = '{url}'\n"
                    f"data_folder = '{tmp_path / 'data'}'\n", encoding="utf-8")
    settings.select(path)
    yield url
    settings.select(None)
    logs.teardown()
    Languages().switch(DEFAULT_LANGUAGE)


def _drive(monkeypatch: pytest.MonkeyPatch, seen: list[VenueWindow], role: int | None = None) -> None:
    def choose(screen: StartScreen) -> int:
        assert screen.role is None
        button = next(b for b in screen.findChildren(QPushButton) if b.text() == "副场主控台")
        button.click()  # what a person does: choose() accepts the screen
        assert screen.role == role
        return StartScreen.DialogCode.Accepted

    def loop(_app) -> int:  # type: ignore[no-untyped-def]
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, VenueWindow) and w.isVisible())
        seen.append(window)
        wait_until(lambda: "重试" in window.join_status.text(), "the window did not say the center is unreachable", 30)
        with pytest.raises(Exception, match="already runs"):
            acquire("venue", window.client.settings.data_folder)
        window.close()
        return 0

    monkeypatch.setattr(StartScreen, "exec", choose)
    monkeypatch.setattr(QApplication, "exec", loop)
    monkeypatch.setattr("ui.crash.CrashHandler.install", lambda self: self)


@pytest.mark.parametrize("mode", ["venue", None])
def test_the_remote_console_starts_from_the_settings(qtbot, venue_settings: str, tmp_path: Path, monkeypatch,
                                                     mode: str | None) -> None:
    seen: list[VenueWindow] = []
    _drive(monkeypatch, seen, VENUE)
    assert run_start_screen(mode=mode) == 0
    (window,) = seen
    assert window.client.settings.room_id == "county-7" and window.room.text() == "county-7（七号副场）"
    assert "无法连接交易中心" in window.join_status.text() and venue_settings in window.join_status.text()
    assert "mode venue" in (tmp_path / "data" / "logs" / "evalroom-venue.log").read_text(encoding="utf-8")
    assert (tmp_path / "data" / "keys" / "room.pub.pem").is_file()  # what the main venue adds and the center enrolls
    acquire("venue", tmp_path / "data").unlock()  # released when the window closed


def test_the_command_line_knows_the_venue_mode() -> None:
    assert build_parser().parse_args(["--mode", "venue"]).mode == "venue"


def test_a_room_key_that_does_not_open_is_told(qtbot, tmp_path: Path) -> None:
    from app.crypto.keys import SigningKey
    from app.settings import Settings
    from ui.launch import application
    from ui.venue.client import VenueClient

    application()
    home = tmp_path / "data"
    (home / "keys").mkdir(parents=True)
    SigningKey.generate().save(home / "keys" / "room.p12", b"another passphrase")
    client = VenueClient(Settings(room_id="county-7", center_url="http://127.0.0.1:9", data_folder=home),
                         passphrase=b"wrong")
    window = VenueWindow(client, Languages())
    qtbot.addWidget(window)
    client.start()
    try:
        wait_until(lambda: "无法打开本机的评标室密钥" in window.join_status.text(), "the key problem is not shown", 30)
        assert "口令不符" in window.join_status.text() and client.joined is None
    finally:
        client.close()


def test_every_static_text_of_the_window_has_an_english_translation(qtbot, tmp_path: Path) -> None:
    from app.settings import Settings
    from tests.ui.test_language_and_walkthrough import _static_texts  # the main window's check, on this window
    from ui.i18n import load_catalogue
    from ui.launch import application
    from ui.venue.client import VenueClient

    application()
    window = VenueWindow(VenueClient(Settings(room_id="county-7", data_folder=tmp_path)), Languages())
    qtbot.addWidget(window)
    try:
        texts = _static_texts(window)
        assert {"核验身份并发放登录码", "本副场专家签到", "与交易中心的链路"} <= texts
        assert sorted(t for t in texts if t not in load_catalogue("en")) == []
    finally:
        window.client.close()
