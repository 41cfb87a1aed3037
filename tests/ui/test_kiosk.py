"""Kiosk mode: full screen, frameless, no window controls; only the authorised exit closes the window."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app import settings
from ui.kiosk import Kiosk

STORED = settings.hash_passphrase("leave the room 9", iterations=10_000)


def test_kiosk_window_flags_and_refused_close(window, qtbot, monkeypatch) -> None:
    kiosk = Kiosk(window, lambda text: settings.check_passphrase(STORED, text))
    kiosk.show()
    qtbot.waitUntil(window.isVisible)
    flags = window.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint
    for control in (Qt.WindowType.WindowCloseButtonHint, Qt.WindowType.WindowMinimizeButtonHint,
                    Qt.WindowType.WindowMaximizeButtonHint, Qt.WindowType.WindowTitleHint,
                    Qt.WindowType.WindowSystemMenuHint):
        assert not flags & control, control
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert not window.close() and window.isVisible() and kiosk.refused == 1  # Alt+F4 / the close event: refused
    window.showMinimized()
    qtbot.waitUntil(lambda: bool(window.windowState() & Qt.WindowState.WindowFullScreen))

    warnings: list[str] = []
    monkeypatch.setattr("ui.kiosk.QMessageBox.warning", lambda _parent, _title, text: warnings.append(text))
    kiosk.ask = lambda: ("guess", True)
    assert not kiosk.request_exit() and window.isVisible()
    assert warnings == ["退出口令不正确。 / Wrong exit passphrase."]
    kiosk.ask = lambda: ("", False)  # cancelled
    assert not kiosk.request_exit() and window.isVisible()
    quits: list[bool] = []
    kiosk.quit = lambda: quits.append(True)
    kiosk.ask = lambda: ("leave the room 9", True)
    assert kiosk.request_exit()
    assert not window.isVisible() and quits == [True]


def test_the_exit_is_in_the_menu_with_a_shortcut(window) -> None:
    kiosk = Kiosk(window, lambda text: False)
    menus = [action.text() for action in window.menuBar().actions()]
    assert "系统" in menus
    assert kiosk.exit_action.shortcut().toString() == "Ctrl+Alt+Q"
    kiosk.exit_allowed = True  # let the fixture close the window
