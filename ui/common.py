"""Small shared pieces of the room screens: titles, notices, read-only tables, big buttons."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ui.i18n import tr

OK_COLOUR, WARN_COLOUR, BAD_COLOUR = "#1b7a3a", "#a15c00", "#b00020"


def title(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 20px; font-weight: bold; margin: 4px 0 8px 0;")
    return label


def notice(text: str = "", colour: str = "#333333") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    set_notice(label, text, colour)
    return label


def set_notice(label: QLabel, text: str, colour: str = "#333333") -> None:
    label.setText(tr(text))
    label.setStyleSheet(f"color: {colour}; font-size: 15px; padding: 4px;")
    label.setVisible(bool(text))


def big_button(text: str, primary: bool = False) -> QPushButton:
    button = QPushButton(text)
    button.setMinimumHeight(40)
    if primary:
        button.setStyleSheet("QPushButton { font-size: 15px; padding: 6px 18px; background: #1f5fa8; color: white;"
                             " border-radius: 4px; } QPushButton:disabled { background: #b8c4d2; color: #eef2f6; }")
    else:
        button.setStyleSheet("QPushButton { font-size: 15px; padding: 6px 18px; }")
    return button


def table(headers: Sequence[str], parent: QWidget | None = None) -> QTableWidget:
    widget = QTableWidget(0, len(headers), parent)
    widget.setHorizontalHeaderLabels(list(headers))
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.verticalHeader().setVisible(False)
    widget.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    widget.horizontalHeader().setStretchLastSection(True)
    widget.setAlternatingRowColors(True)
    return widget


def fill(widget: QTableWidget, rows: Sequence[Sequence[str]], colours: Sequence[str | None] | None = None) -> None:
    """Replace the rows, keeping the selection when the row count is unchanged."""
    selected = widget.currentRow()
    widget.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(tr(text))  # cell words like 有效/已提交 follow the language; names stay
            if colours and colours[r]:
                item.setForeground(Qt.GlobalColor.darkRed if colours[r] == BAD_COLOUR else Qt.GlobalColor.darkGreen)
            widget.setItem(r, c, item)
    if 0 <= selected < len(rows):
        widget.selectRow(selected)


class _Follower(QObject):
    """Renders a page's snapshots only while it is visible; a hidden page catches up when shown, so a
    score typed on a workstation does not redraw every table of the console."""

    def __init__(self, page: QWidget, render: Callable[[Any], None]) -> None:
        super().__init__(page)
        self._page, self._render = page, render
        self._pending: Any = None
        page.installEventFilter(self)

    def changed(self, view: Any) -> None:
        if self._page.isVisible():
            self._pending = None
            self._render(view)
        else:
            self._pending = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Show and self._pending is not None:
            view, self._pending = self._pending, None
            self._render(view)
        return False


def follow(page: QWidget, client: Any) -> None:
    """Connect ``page.show_view`` to the client's snapshots, rendering only while the page is visible."""
    follower = _Follower(page, page.show_view)  # type: ignore[attr-defined]
    client.changed.connect(follower.changed)
    if client.view is not None:
        follower.changed(client.view)


def yes(flag: bool, yes_text: str = "✓", no_text: str = "—") -> str:
    return yes_text if flag else no_text
