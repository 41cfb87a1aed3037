"""A confirmation that names what follows, without blocking the event loop (the database thread's answers
and the recorder's preview keep arriving while it is open)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TR_NOOP, Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from ui.i18n import tr

BACK = QT_TR_NOOP("返回修改")  # the default "no": go back and change it


class Confirmation(QMessageBox):
    """``yes`` runs ``on_yes``; ``no`` (the default and the Escape key) only closes the box."""

    def __init__(self, parent: QWidget, title: str, text: str, yes: str, on_yes: Callable[[], None],
                 no: str = BACK, warning: bool = False) -> None:
        super().__init__(QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Question, tr(title), text,
                         QMessageBox.StandardButton.NoButton, parent)
        self.yes: QPushButton = self.addButton(tr(yes), QMessageBox.ButtonRole.AcceptRole)
        self.no: QPushButton = self.addButton(tr(no), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.no)
        self.setEscapeButton(self.no)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        # names and rules on one line
        self.setStyleSheet("QLabel#qt_msgbox_label { min-width: 460px; font-size: 15px; }")
        self._on_yes = on_yes
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button: object) -> None:
        if button is self.yes:
            self._on_yes()


def confirm(parent: QWidget, title: str, text: str, yes: str, on_yes: Callable[[], None], no: str = BACK,
            warning: bool = False) -> Confirmation:
    """Open the confirmation over ``parent`` and return it (the previous one of ``parent`` is closed)."""
    previous = getattr(parent, "_confirmation", None)
    if isinstance(previous, Confirmation):
        previous.done(0)
        previous.deleteLater()
    box = Confirmation(parent, title, text, yes, on_yes, no, warning)
    parent._confirmation = box  # type: ignore[attr-defined]  # kept alive while open; the tests click it
    box.open()
    return box
