"""Idle lock of a workstation: after N idle minutes a modal overlay hides the screen until the
expert's PIN is entered. Recording and saved work go on underneath."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ui.i18n import tr

_ACTIVITY = {
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
}


class LockOverlay(QWidget):
    """Covers the window; unlocks only with the right PIN."""

    unlocked = Signal()

    def __init__(self, parent: QWidget, check_pin: Callable[[str], bool]) -> None:
        super().__init__(parent)
        self._check_pin = check_pin
        self.setAutoFillBackground(True)
        self.setStyleSheet("LockOverlay { background: #1f2a36; } QLabel { color: white; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = title = QLabel()
        title.setStyleSheet("font-size: 24px; font-weight: bold;")
        self.hint = QLabel()
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaximumWidth(260)
        self.pin.returnPressed.connect(self.try_unlock)
        self.button = button = QPushButton()
        button.clicked.connect(self.try_unlock)
        layout = QVBoxLayout(self)
        layout.addStretch()
        for widget in (title, self.hint, self.pin, button):
            layout.addWidget(widget, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch()
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.title.setText(tr("工作站已锁定"))
        self.hint.setText(tr("请输入您的个人识别码（PIN）解锁。已保存的评分不受影响。"))
        self.button.setText(tr("解锁"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_over_parent(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.pin.clear()
        self.show()
        self.raise_()
        self.pin.setFocus()

    def try_unlock(self) -> None:
        if self._check_pin(self.pin.text()):
            self.hide()
            self.unlocked.emit()
        else:
            self.pin.clear()
            self.hint.setText(tr("PIN 不正确，请重新输入"))


class IdleLock(QObject):
    """Application-wide activity watch; locks ``window`` after ``minutes`` without input."""

    locked = Signal()

    def __init__(self, window: QWidget, check_pin: Callable[[str], bool], minutes: float = 10) -> None:
        super().__init__(window)
        self.overlay = LockOverlay(window, check_pin)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(int(minutes * 60_000))
        self.timer.timeout.connect(self.lock)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.overlay.unlocked.connect(self.timer.start)
        self.timer.start()

    @property
    def is_locked(self) -> bool:
        return self.overlay.isVisible()

    def set_minutes(self, minutes: float) -> None:
        self.timer.setInterval(int(minutes * 60_000))
        if not self.is_locked:
            self.timer.start()

    def lock(self) -> None:
        self.overlay.show_over_parent()
        self.locked.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() in _ACTIVITY and not self.is_locked:
            self.timer.start()
        return False
