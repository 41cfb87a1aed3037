"""Preliminary review (初步评审): pass/fail per bid; a fail needs a reason; each verdict is saved at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.common import BAD_COLOUR, OK_COLOUR, WARN_COLOUR, follow, notice, set_notice, table, title
from ui.errors import describe
from ui.i18n import tr
from ui.ops import DbOp
from ui.room_client import RoomClient
from ui.workstation.bid_viewer import BesideDocuments

if TYPE_CHECKING:
    from app.services.room_view import RoomView

CHOICES = (QT_TR_NOOP("请选择"), QT_TR_NOOP("合格"), QT_TR_NOOP("不合格"))
HEADERS = (QT_TR_NOOP("投标人"), QT_TR_NOOP("结论"), QT_TR_NOOP("不合格理由"), QT_TR_NOOP("状态"))


class PreliminaryPage(QWidget):
    def __init__(self, client: RoomClient, member: str) -> None:
        super().__init__()
        self.client, self.member = client, member
        self.grid: QTableWidget = table(HEADERS)
        self.message = notice()
        self._bidders: list[str] = []
        self._saved: dict[str, bool] = {}  # bidder → a verdict is saved
        layout = QVBoxLayout(self)
        self.heading, self.how = title(""), notice()
        self.beside = BesideDocuments(client, self.grid)  # the bids' qualification parts beside the verdicts
        heading = QHBoxLayout()
        heading.addWidget(self.heading, 1)
        heading.addWidget(self.beside.button)
        layout.addLayout(heading)
        layout.addWidget(self.how)
        self.warnings = notice()  # the collusion screen's warnings and what the committee decided on them
        layout.addWidget(self.warnings)
        layout.addWidget(self.beside, 1)
        layout.addWidget(self.message)
        follow(self, client)
        self.retranslate()

    def retranslate(self) -> None:
        self.grid.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.heading.setText(tr("初步评审（资格性、符合性审查）"))
        set_notice(self.how, tr("逐家给出“合格/不合格”结论；判定不合格时必须填写理由。每项结论选定即保存。"))
        for row, bidder in enumerate(self._bidders):
            choice: QComboBox = self.grid.cellWidget(row, 1)  # type: ignore[assignment]
            for index, text in enumerate(CHOICES):
                choice.setItemText(index, tr(text))
            reason: QLineEdit = self.grid.cellWidget(row, 2)  # type: ignore[assignment]
            reason.setPlaceholderText(tr("不合格时必填"))
            self.grid.setItem(row, 3, QTableWidgetItem(tr("已保存") if self._saved.get(bidder) else tr("未评")))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _build(self, view: RoomView) -> None:
        late = set(view.opening["late"]) if view.opening else set()
        bidders = [b for b in view.case.bidders if b.id not in late]
        self._bidders = [b.id for b in bidders]
        self.grid.setRowCount(len(bidders))
        for row, bidder in enumerate(bidders):
            self.grid.setItem(row, 0, QTableWidgetItem(f"{bidder.id} {bidder.name}"))
            choice = QComboBox()
            choice.addItems([tr(text) for text in CHOICES])
            reason = QLineEdit()
            reason.setPlaceholderText(tr("不合格时必填"))
            choice.currentIndexChanged.connect(lambda _i, r=row: self.save(r))
            reason.editingFinished.connect(lambda r=row: self.save(r))
            self.grid.setCellWidget(row, 1, choice)
            self.grid.setCellWidget(row, 2, reason)

    def set_verdict(self, bidder: str, passed: bool, reason: str = "") -> None:
        """Fill one row as a person would (used by the walkthrough too)."""
        row = self._bidders.index(bidder)
        reason_box: QLineEdit = self.grid.cellWidget(row, 2)  # type: ignore[assignment]
        reason_box.setText(reason)
        choice: QComboBox = self.grid.cellWidget(row, 1)  # type: ignore[assignment]
        choice.setCurrentIndex(1 if passed else 2)
        self.save(row)

    def save(self, row: int) -> None:
        choice: QComboBox = self.grid.cellWidget(row, 1)  # type: ignore[assignment]
        reason: QLineEdit = self.grid.cellWidget(row, 2)  # type: ignore[assignment]
        if choice.currentIndex() == 0:
            return
        passed = choice.currentIndex() == 1
        if not passed and not reason.text().strip():
            set_notice(self.message, tr("判定不合格时必须填写理由。"), BAD_COLOUR)
            reason.setFocus()
            return
        bidder, member, text = self._bidders[row], self.member, reason.text().strip() or None
        DbOp(self.client, lambda room: room.workstation(member).verdict(bidder, passed, text), parent=self).success(
            lambda _v: set_notice(self.message, tr("已保存。"), OK_COLOUR)).failure(
            lambda exc: set_notice(self.message, describe(exc), BAD_COLOUR)).run_in_background()

    def _show_warnings(self, view: RoomView) -> None:
        """办法 §21: open warnings send the members to the committee's decision; a bid the committee found collusive
        is to be failed here on ground R-PRE-1(7) (the warning alone rejects nothing)."""
        screen = view.screen
        if not screen or not screen["findings"]:
            set_notice(self.warnings, "")
            return
        open_count = sum(1 for i in range(len(screen["findings"])) if i not in screen["decisions"])
        found = sorted({b for i, d in screen["decisions"].items() if d["collusion"]
                        for b in screen["findings"][i]["bidders"]})
        lines = []
        if open_count:
            lines.append(tr("开标筛查有 {n} 条围标串标预警待评标委员会认定（见组长事项）。").format(n=open_count))
        if found:
            lines.append(tr("评标委员会认定 {bidders} 构成串通投标：按 R-PRE-1(7) 应判定不合格。").format(
                bidders=tr("、").join(found)))
        if not lines:
            lines.append(tr("开标筛查的围标串标预警均已由评标委员会认定，未认定构成串通投标。"))
        set_notice(self.warnings, "\n".join(lines), BAD_COLOUR if found else WARN_COLOUR)

    def show_view(self, view: RoomView) -> None:
        if not self._bidders:
            self._build(view)
        self._show_warnings(view)
        mine = view.verdicts.get(self.member, {})
        editable = view.stage == "preliminary" and not view.paused
        for row, bidder in enumerate(self._bidders):
            verdict = mine.get(bidder)
            choice: QComboBox = self.grid.cellWidget(row, 1)  # type: ignore[assignment]
            reason: QLineEdit = self.grid.cellWidget(row, 2)  # type: ignore[assignment]
            choice.setEnabled(editable)
            reason.setEnabled(editable)
            self._saved[bidder] = bool(verdict)
            status = tr("已保存") if verdict else tr("未评")
            if verdict and not choice.hasFocus():
                choice.blockSignals(True)
                choice.setCurrentIndex(1 if verdict["pass"] else 2)
                choice.blockSignals(False)
                if not reason.hasFocus():
                    reason.setText(verdict.get("reason") or "")
            self.grid.setItem(row, 3, QTableWidgetItem(status))
