"""Kiosk mode (`evalroom --kiosk`, or ``kiosk = true`` in the settings): the main window fills the screen,
frameless, with no window controls, and refuses to close — except through the authorised exit (menu
系统 → 授权退出, or Ctrl+Alt+Q), which asks for the kiosk exit passphrase (its PBKDF2 hash is in the
settings file). The OS-level lockdown (Windows Assigned Access / Shell Launcher, Linux `cage`) is in the
README; this only keeps the window itself closed to the room. The window's own 系统 → 退出 (Ctrl+Q) is hidden
and disabled: 授权退出 takes its place in the same menu."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMainWindow, QMessageBox

from ui.i18n import tr

KIOSK_FLAGS = Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint | Qt.WindowType.CustomizeWindowHint
EXIT_SHORTCUT = "Ctrl+Alt+Q"


class Kiosk(QObject):
    """Holds ``window`` in kiosk mode; ``authorise(passphrase)`` decides the exit."""

    def __init__(self, window: QMainWindow, authorise: Callable[[str], bool]) -> None:
        super().__init__(window)  # a child of the window: it lives as long as the window, with no cycle back to it
        self.authorise = authorise
        self.exit_allowed = False
        self.refused = 0  # close attempts refused (tests read it)
        #: how the passphrase is asked; tests replace it
        self.ask: Callable[[], tuple[str, bool]] = lambda: QInputDialog.getText(
            window, tr("授权退出"), tr("请输入退出口令："), QLineEdit.EchoMode.Password)
        #: ends the program after the authorised exit; tests replace it
        self.quit: Callable[[], None] = lambda: QApplication.quit()
        window.setWindowFlags(KIOSK_FLAGS)  # no title bar, no minimise / maximise / close buttons
        window.installEventFilter(self)
        plain = getattr(window, "quit_action", None)  # the window's 系统 → 退出 (Ctrl+Q): not in kiosk mode
        if plain is not None:
            plain.setShortcut(QKeySequence())
            plain.setEnabled(False)
            plain.setVisible(False)
        menu = getattr(window, "system_menu", None) or window.menuBar().addMenu(tr("系统"))
        self.exit_action = QAction(tr("授权退出"), window)
        self.exit_action.setShortcut(QKeySequence(EXIT_SHORTCUT))
        self.exit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.exit_action.triggered.connect(self.request_exit)
        menu.addAction(self.exit_action)
        window.addAction(self.exit_action)  # the shortcut works with the menu closed

    @property
    def window(self) -> QMainWindow:
        return self.parent()  # type: ignore[return-value]

    def show(self) -> None:
        self.window.showFullScreen()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if watched is self.window and event.type() == QEvent.Type.Close and not self.exit_allowed:
            event.ignore()
            self.refused += 1
            return True
        if (watched is self.window and event.type() == QEvent.Type.WindowStateChange and not self.exit_allowed
                and not self.window.isFullScreen() and self.window.isVisible()):
            self.window.showFullScreen()  # minimised or restored: back to full screen
        return super().eventFilter(watched, event)

    def request_exit(self) -> bool:
        passphrase, ok = self.ask()
        if not ok:
            return False
        if not self.authorise(passphrase):
            QMessageBox.warning(self.window, tr("授权退出"), tr("退出口令不正确。"))
            return False
        self.exit_allowed = True
        self.window.close()
        self.quit()
        return True
