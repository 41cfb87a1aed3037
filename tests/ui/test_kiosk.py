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
    assert warnings == ["退出口令不正确。"]  # one language
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


def _menu_actions(window, title: str) -> list:  # type: ignore[no-untyped-def]
    menus = [a.menu() for a in window.menuBar().actions() if a.text() == title]
    assert len(menus) == 1, f"{len(menus)} menus titled {title}"
    return menus[0].actions()


def test_quit_is_in_the_system_menu_with_ctrl_q_and_asks_first(window, qtbot) -> None:
    qtbot.waitUntil(window.isVisible)
    actions = _menu_actions(window, "系统")
    assert [a.text() for a in actions] == ["退出"]
    quit_action = actions[0]
    assert quit_action.shortcut().toString() == "Ctrl+Q"
    assert quit_action in window.actions()  # the shortcut works with the menu closed
    quit_action.trigger()
    box = window._confirmation
    assert box.isVisible() and window.isVisible()  # asked first
    box.no.click()
    assert window.isVisible()
    quit_action.trigger()
    window._confirmation.yes.click()
    assert not window.isVisible()


def test_in_kiosk_mode_quit_needs_the_exit_passphrase(window) -> None:
    kiosk = Kiosk(window, lambda text: False)
    actions = _menu_actions(window, "系统")  # one 系统 menu: the kiosk's exit joins the window's
    assert kiosk.exit_action in actions
    plain = window.quit_action
    assert not plain.isVisible() and not plain.isEnabled() and plain.shortcut().isEmpty()
    asked: list[bool] = []
    kiosk.ask = lambda: (asked.append(True), ("", False))[1]
    kiosk.exit_action.trigger()
    assert asked == [True] and not kiosk.exit_allowed
    kiosk.exit_allowed = True  # let the fixture close the window
