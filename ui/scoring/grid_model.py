"""Table model of one expert's score sheet. Scores are checked at input by the same rule as the
engine (`app.services.scoring.check_score`), saved one by one through a callback (one ledger event per
cell, no Save button), and totals are computed, never typed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.services.scoring import Bidder, Criterion, ScoreProblem, check_score
from ui.errors import describe
from ui.i18n import tr

Index = QModelIndex | QPersistentModelIndex


class CellState(Enum):
    EMPTY = "empty"
    PENDING = "pending"  # typed, being written to the ledger
    SAVED = "saved"  # acknowledged: survives a killed workstation
    FAILED = "failed"


@dataclass
class Cell:
    value: Decimal | None = None
    state: CellState = CellState.EMPTY
    comment: str = ""
    saved_comment: str = ""  # the reason the ledger holds for this score


_COLOURS = {
    CellState.PENDING: QColor("#fff6d5"),
    CellState.FAILED: QColor("#fbdada"),
}
_NEEDS_COMMENT = QColor("#ffe3c2")
_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.TextAlignmentRole,
                    Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ToolTipRole})


OPENING, CLOSING = "（(【[《“", "）)】]》”，。、；：,.;:"
_BREAK_AFTER = "与及和、，/"  # a name reads well broken after these (i18n: not a text)
LINE_WIDTH = 8  # in CJK characters (a Latin letter or digit counts half): a header line of a narrow column
HEADER_LINES = 3  # at most: a longer name is elided (the header's tooltip has it whole)


def _width(text: str) -> float:
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def header_lines(name: str, width: float = LINE_WIDTH, most: int = HEADER_LINES) -> list[str]:
    """A criterion's name on a few short header lines, broken where it reads well: before an opening bracket, after
    与/及/、, else at the width, and never a line that starts with a closing bracket or punctuation (it stays with
    the words it closes). More than ``most`` lines: the last one is elided with “…”."""
    lines: list[str] = []
    rest = name.strip()
    while rest:
        if _width(rest) <= width:
            lines.append(rest)
            break
        cut, used = 0, 0.0  # the most characters that fit
        while cut < len(rest) and used + _width(rest[cut]) <= width:
            used += _width(rest[cut])
            cut += 1
        bracket = max(rest.rfind(ch, 1, cut + 2) for ch in OPENING)  # one character over, to break there
        after = max(rest.rfind(ch, 0, cut) for ch in _BREAK_AFTER)
        if bracket > 0:
            cut = bracket  # “质量管理体系认证” / “（ISO9001）”
        elif after >= cut // 2:
            cut = after + 1  # “安装调试与” / “培训方案”
        while cut < len(rest) and rest[cut] in CLOSING:
            cut += 1  # a closing bracket stays on the line of its words
        lines.append(rest[:cut])
        rest = rest[cut:]
    if len(lines) > most:
        last = "".join(lines[most - 1 :])
        while _width(last) > width - 1 and len(last) > 1:
            last = last[:-1]
        lines = [*lines[: most - 1], last + "…"]
    return lines


class ScoreGridModel(QAbstractTableModel):
    """Rows: bidders; columns: criteria, then the computed total (合计)."""

    rejected = Signal(str)  # a typed score refused at input, with the reason in the GUI's language

    def __init__(self, bidders: Sequence[Bidder], criteria: Sequence[Criterion],
                 save: Callable[[str, str, Decimal], Callable[[Callable[[bool], None]], None]] | None = None) -> None:
        """``save(bidder, criterion, score)`` starts the durable write and returns a function that
        registers the completion callback (``True`` once acknowledged)."""
        super().__init__()
        self.bidders, self.criteria = list(bidders), list(criteria)
        self._cells = {(b.id, c.id): Cell() for b in self.bidders for c in self.criteria}
        self._save = save
        self.read_only = False

    # -- shape -------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.bidders)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.criteria) + 1

    def is_total_column(self, column: int) -> bool:
        return column == len(self.criteria)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            if (role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal
                    and section < len(self.criteria)):
                c = self.criteria[section]
                return (tr("{name}：满分 {max} 分").format(name=c.name, max=c.max)
                        + (tr("，步长 {step}").format(step=c.step) if c.step else ""))
            return None
        if orientation == Qt.Orientation.Vertical:
            return f"{self.bidders[section].id} {self.bidders[section].name}"
        if self.is_total_column(section):
            return tr("合计")
        c = self.criteria[section]
        return "\n".join([*header_lines(c.name), tr("（{max}分）").format(max=c.max)])

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.read_only or self.is_total_column(index.column()):
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    # -- data --------------------------------------------------------------------------------------
    def cell(self, row: int, column: int) -> Cell:
        return self._cells[(self.bidders[row].id, self.criteria[column].id)]

    def total(self, row: int) -> Decimal:
        """The row's sum, recomputed from the cells (§3.5: never typed)."""
        return sum((self.cell(row, c).value or Decimal(0) for c in range(len(self.criteria))), Decimal(0))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid():  # Qt asks for many roles per cell: answer fast
            return None
        row, column = index.row(), index.column()
        if self.is_total_column(column):
            if role == Qt.ItemDataRole.DisplayRole:
                return str(self.total(row))
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        cell = self.cell(row, column)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return "" if cell.value is None else str(cell.value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if cell.state in _COLOURS:
                return QBrush(_COLOURS[cell.state])
            if self.needs_comment(row, column):
                return QBrush(_NEEDS_COMMENT)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if self.needs_comment(row, column):
                return tr("扣分须填写理由")
            state = {CellState.PENDING: tr("正在保存…"), CellState.SAVED: tr("已保存"),
                     CellState.FAILED: tr("保存失败，请重新输入")}.get(cell.state)
            return tr("{state}；扣分理由：{reason}").format(state=state, reason=cell.comment) if cell.comment else state
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if (role != Qt.ItemDataRole.EditRole or not index.isValid()
                or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable)):
            return False
        text = str(value).strip()
        if not text:
            return False
        row, column = index.row(), index.column()
        try:
            score = check_score(self.criteria[column], text)
        except ScoreProblem as problem:
            self.rejected.emit(f"{self.bidders[row].name}：{describe(problem)}")
            return False
        cell = self.cell(row, column)
        if cell.value == score and cell.state == CellState.SAVED and cell.comment == cell.saved_comment:
            return True
        cell.value, cell.state = score, CellState.PENDING
        self._changed(row, column)
        if self._save is None:
            self._acknowledge(row, column, score, True)
        else:
            bidder, criterion = self.bidders[row].id, self.criteria[column].id
            self._save(bidder, criterion, score)(lambda ok: self._acknowledge(row, column, score, ok))
        return True

    def _acknowledge(self, row: int, column: int, score: Decimal, ok: bool) -> None:
        cell = self.cell(row, column)
        if cell.value != score:
            return  # a newer value was typed meanwhile; its own acknowledgement follows
        cell.state = CellState.SAVED if ok else CellState.FAILED
        if ok:
            cell.saved_comment = cell.comment
        self._changed(row, column)

    def _changed(self, row: int, column: int) -> None:
        self.dataChanged.emit(self.index(row, column), self.index(row, column))
        total = self.index(row, len(self.criteria))
        self.dataChanged.emit(total, total)

    # -- sheet-level -------------------------------------------------------------------------------
    def load(self, scores: dict[tuple[str, str], Decimal], comments: dict[tuple[str, str], str] | None = None) -> None:
        """Show scores already in the ledger (after a restart) as saved."""
        self.beginResetModel()
        for key, value in scores.items():
            if key in self._cells:
                note = (comments or {}).get(key, "")
                self._cells[key] = Cell(value, CellState.SAVED, note, note)
        self.endResetModel()

    def needs_comment(self, row: int, column: int) -> bool:
        """A deduction (a score below the item's maximum) needs its reason (扣分理由)."""
        cell = self.cell(row, column)
        return cell.value is not None and cell.value < self.criteria[column].max and not cell.comment

    def set_comment(self, row: int, column: int, comment: str) -> None:
        """A reason the ledger has just recorded for the cell's score."""
        cell = self.cell(row, column)
        cell.comment = cell.saved_comment = comment
        self._changed(row, column)

    def uncommented(self) -> list[tuple[str, str]]:
        return [(self.bidders[r].id, self.criteria[c].id) for r in range(len(self.bidders))
                for c in range(len(self.criteria)) if self.needs_comment(r, c)]

    def missing(self) -> list[tuple[str, str]]:
        return [key for key, cell in self._cells.items() if cell.state != CellState.SAVED]

    def totals(self) -> dict[str, Decimal]:
        return {b.id: self.total(row) for row, b in enumerate(self.bidders)}

    def set_read_only(self, read_only: bool) -> None:
        self.beginResetModel()
        self.read_only = read_only
        self.endResetModel()
