"""Keyboard scoring on the grid: type, Enter down, Tab right; range/step refused with the reason."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.paths import DEMO_CASE
from app.services.case_files import load_case
from ui.scoring.grid_model import CellState, ScoreGridModel, header_lines
from ui.scoring.grid_view import ScoreSheet


@pytest.fixture
def sheet(qtbot):
    case = load_case(DEMO_CASE)
    saved: list[tuple[str, str, Decimal]] = []

    def save(bidder, criterion, score):
        saved.append((bidder, criterion, score))
        return lambda done: done(True)

    model = ScoreGridModel(case.bidders[:3], case.method.criteria, save)
    widget = ScoreSheet(model)
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    widget.saved = saved
    return widget


def _type(qtbot, view, text, key):
    """Type as a person does: the first key opens the cell editor, the rest go into it."""
    qtbot.keyClick(view, text[0])
    editors = [e for e in view.findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, key)


def test_enter_moves_down_and_saves_each_cell(qtbot, sheet):
    view = sheet.view
    view.setFocus()
    view.setCurrentIndex(sheet.model.index(0, 0))
    _type(qtbot, view, "20", Qt.Key.Key_Return)
    assert view.currentIndex().row() == 1 and view.currentIndex().column() == 0
    _type(qtbot, view, "18.5", Qt.Key.Key_Return)
    assert sheet.saved == [("B1", "T1", Decimal("20")), ("B2", "T1", Decimal("18.5"))]
    assert sheet.model.cell(0, 0).state is CellState.SAVED
    assert sheet.model.data(sheet.model.index(1, len(sheet.model.criteria))) == "18.5"


def test_tab_moves_right(qtbot, sheet):
    view = sheet.view
    view.setFocus()
    view.setCurrentIndex(sheet.model.index(0, 0))
    _type(qtbot, view, "20", Qt.Key.Key_Tab)
    assert view.currentIndex().row() == 0 and view.currentIndex().column() == 1
    assert sheet.saved[-1] == ("B1", "T1", Decimal("20"))


@pytest.mark.parametrize("text, reason", [("26", "超过本项满分 25"), ("18.3", "步长 0.5"), ("abc", "不是有效的分值"),
                                          ("-1", "不能小于 0")])
def test_out_of_range_and_off_step_are_refused_with_reason(qtbot, sheet, text, reason):
    view = sheet.view
    view.setFocus()
    view.setCurrentIndex(sheet.model.index(0, 0))
    _type(qtbot, view, text, Qt.Key.Key_Return)
    assert sheet.saved == []
    assert sheet.model.cell(0, 0).value is None
    assert reason in sheet.message.text()


def test_total_column_is_computed_not_editable(sheet):
    model = sheet.model
    total = model.index(0, len(model.criteria))
    assert not (model.flags(total) & Qt.ItemFlag.ItemIsEditable)
    assert not model.setData(total, "99")
    model.setData(model.index(0, 0), "20")
    model.setData(model.index(0, 1), "15.5")
    assert model.data(total) == "35.5"


def test_read_only_after_submission(sheet):
    model = sheet.model
    model.set_read_only(True)
    assert not model.setData(model.index(0, 0), "20")


def test_failed_save_is_shown(qtbot):
    case = load_case(DEMO_CASE)
    model = ScoreGridModel(case.bidders[:1], case.method.criteria, lambda b, c, s: (lambda done: done(False)))
    assert model.setData(model.index(0, 0), "20")
    assert model.cell(0, 0).state is CellState.FAILED
    assert model.missing()


@pytest.mark.parametrize(("name", "lines"), [
    ("质量管理体系认证（ISO9001）", ["质量管理体系认证", "（ISO9001）"]),  # never a lone "）" on a line
    ("安装调试与培训方案", ["安装调试与", "培训方案"]),
    ("近三年同类项目业绩（每项2分）", ["近三年同类项目业绩", "（每项2分）"]),
    ("技术方案", ["技术方案"]),
])
def test_criterion_headers_break_where_they_read_well(name, lines):
    assert header_lines(name) == lines


def test_a_long_criterion_header_is_elided_and_whole_in_its_tooltip():
    name = "信息安全管理体系认证（ISO/IEC 27001）及环境管理体系认证（ISO14001）"
    lines = header_lines(name)
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert not any(line[0] in "）)，、" for line in lines)
    case = load_case(DEMO_CASE)
    criterion = case.method.criteria[0]
    model = ScoreGridModel(case.bidders[:1], [type(criterion)(**{**criterion.__dict__, "name": name})])
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole).startswith(name)
