"""The 系统 menu of a window with 退出 (Ctrl+Q), confirmed first. In kiosk mode ``ui.kiosk.Kiosk`` hides 退出
and puts its 授权退出 (the exit passphrase) in the same menu instead."""

from __future__ import annotations

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

from ui.i18n import tr
from ui.widgets.confirm import Confirmation, confirm

QUIT_SHORTCUT = "Ctrl+Q"
QUIT_TEXT = QT_TR_NOOP("已记录的操作都已保存在本机，重新打开后可以继续。本机的录像（如有）随之停止。")


def add_system_menu(window: QMainWindow) -> tuple[QMenu, QAction]:
    """Add 系统 → 退出 to ``window``'s menu bar; the shortcut works with the menu closed."""
    menu = window.menuBar().addMenu("")
    action = QAction(window)
    action.setShortcut(QKeySequence(QUIT_SHORTCUT))
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: ask_to_quit(window))
    menu.addAction(action)
    window.addAction(action)
    retranslate_system_menu(menu, action)
    return menu, action


def retranslate_system_menu(menu: QMenu, quit_action: QAction) -> None:
    """The menu's texts in the current language (the window's ``retranslate`` calls it)."""
    menu.setTitle(tr("系统"))
    quit_action.setText(tr("退出"))


def ask_to_quit(window: QMainWindow) -> Confirmation:
    """退出: confirmed in a dialog; then the window closes (the program ends with its last window)."""
    return confirm(window, tr("退出 EvalRoom？"), tr(QUIT_TEXT), tr("退出"), window.close, no=tr("取消"))
