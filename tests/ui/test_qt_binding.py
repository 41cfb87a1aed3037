"""A canary for the Qt binding: PySide6 6.12.0 dropped a reference to None on every call that returns
None (an unset property, an empty table cell, a combo item without data); on Python 3.11 the
interpreter then aborts with "Fatal Python error: none_dealloc" after a few thousand such calls."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QComboBox, QLabel, QTableWidget


def test_none_returning_calls_keep_none_s_reference_count(qtbot) -> None:
    combo, table, label = QComboBox(), QTableWidget(2, 2), QLabel()
    qtbot.addWidget(combo)
    qtbot.addWidget(table)
    qtbot.addWidget(label)
    combo.addItem("新登录", None)
    before = sys.getrefcount(None)
    for _ in range(500):
        combo.itemData(0)
        table.item(0, 0)
        label.property("unset")
    assert sys.getrefcount(None) >= before - 5
