"""Small shared pieces of the room screens: titles, notices, read-only tables, big buttons."""

from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

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
    label.setText(text)
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
            item = QTableWidgetItem(text)
            if colours and colours[r]:
                item.setForeground(Qt.GlobalColor.darkRed if colours[r] == BAD_COLOUR else Qt.GlobalColor.darkGreen)
            widget.setItem(r, c, item)
    if 0 <= selected < len(rows):
        widget.selectRow(selected)


def yes(flag: bool, yes_text: str = "✓", no_text: str = "—") -> str:
    return yes_text if flag else no_text
