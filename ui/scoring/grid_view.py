"""The scoring grid widget: type a score, Enter moves down, Tab moves right; refusals are shown
under the grid with the reason, and the cell keeps its previous value."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import tr
from ui.scoring.grid_model import ScoreGridModel


class _ScoreDelegate(QStyledItemDelegate):
    """Line editor that reports Enter, so the view can move down instead of staying put."""

    enter = Signal()

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:  # noqa: N802
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return editor

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):  # type: ignore[attr-defined]
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
            self.enter.emit()
            return True
        return super().eventFilter(editor, event)


class ScoreGridView(QTableView):
    """QTableView with room-friendly keyboard entry."""

    def __init__(self, model: ScoreGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self._delegate = _ScoreDelegate(self)
        self.setItemDelegate(self._delegate)
        self._delegate.enter.connect(self.move_down)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # fixed row heights: sizing rows to contents makes every change re-measure the whole grid
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.horizontalHeader().setMinimumHeight(78)
        self.setTabKeyNavigation(True)

    def move_down(self) -> None:
        current = self.currentIndex()
        if not current.isValid():
            return
        below = self.model().index(current.row() + 1, current.column())
        if below.isValid():
            self.setCurrentIndex(below)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt API)
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and self.state() != QAbstractItemView.State.EditingState):
            self.move_down()
            return
        super().keyPressEvent(event)


class ScoreSheet(QWidget):
    """The grid plus the line that explains the last refused entry."""

    def __init__(self, model: ScoreGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = ScoreGridView(model, self)
        self.message = QLabel(tr("输入分值后按回车下移、Tab 右移；每格输入即自动保存。"))
        self.message.setObjectName("gridMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(self.message)
        model.rejected.connect(self._show_refusal)
        model.dataChanged.connect(lambda *_: self.message.setStyleSheet(""))

    def _show_refusal(self, text: str) -> None:
        self.message.setStyleSheet("color: #b00020; font-weight: bold;")
        self.message.setText(tr("未接受：{reason}").format(reason=text))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:  # the headers and tooltips are asked again
            self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(self.model.columnCount() - 1, 0))
            if not self.message.styleSheet():  # the hint, not a refusal being shown
                self.message.setText(tr("输入分值后按回车下移、Tab 右移；每格输入即自动保存。"))
        super().changeEvent(event)
