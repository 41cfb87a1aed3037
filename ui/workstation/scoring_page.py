"""Detailed scoring (详细评审) on the workstation: the keyboard grid, a reason for every deduction,
submission with the totals shown, read-only afterwards unless the chair reopens the sheet."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QVBoxLayout, QWidget

from ui.common import BAD_COLOUR, OK_COLOUR, WARN_COLOUR, big_button, notice, set_notice, title
from ui.console.summary_page import flag_text
from ui.errors import describe
from ui.i18n import tr
from ui.ops import DbOp
from ui.room_client import RoomClient
from ui.scoring.grid_model import ScoreGridModel
from ui.scoring.grid_view import ScoreSheet
from ui.workstation.bid_viewer import PARTS, BesideDocuments

if TYPE_CHECKING:
    from app.services.room_view import RoomView


class ScoringPage(QWidget):
    def __init__(self, client: RoomClient, member: str) -> None:
        super().__init__()
        self.client, self.member = client, member
        self.model: ScoreGridModel | None = None
        self.sheet: ScoreSheet | None = None
        self.body = QVBoxLayout()
        self.comment = QLineEdit()
        self.comment.returnPressed.connect(self.save_comment)
        self.submit_button = big_button("", primary=True)
        self.submit_button.clicked.connect(lambda: self.submit(confirm=True))
        self.message = notice()
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        row = QHBoxLayout()
        self.comment_label = QLabel()
        row.addWidget(self.comment_label)
        row.addWidget(self.comment, 1)
        row.addWidget(self.submit_button)
        # the bid files beside the grid (shown on demand: the grid keeps the whole width otherwise)
        grid = QWidget()
        grid.setLayout(self.body)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.beside = BesideDocuments(client, grid)
        self.viewer, self.documents_button = self.beside.viewer, self.beside.button
        layout = QVBoxLayout(self)
        self.heading = title("")
        heading = QHBoxLayout()
        heading.addWidget(self.heading, 1)
        heading.addWidget(self.documents_button)
        layout.addLayout(heading)
        layout.addWidget(self.beside, 1)
        # 评分索引: the selected cell's page references in the bidder's documents, one click each
        self.references_label = QLabel()
        self.references = QHBoxLayout()
        references_row = QHBoxLayout()
        references_row.addWidget(self.references_label)
        references_row.addLayout(self.references)
        references_row.addStretch(1)
        layout.addLayout(references_row)
        self.reference_buttons: list[QPushButton] = []
        self._references: dict[str, dict[str, list[dict[str, Any]]]] = {}
        self._cell: tuple[str, str] | None = None
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.feedback)
        client.changed.connect(self.show_view)
        self.retranslate()

    def retranslate(self) -> None:
        self.comment.setPlaceholderText(tr("选中扣分的单元格后填写扣分理由，回车保存"))
        self.submit_button.setText(tr("提交评分"))
        self.comment_label.setText(tr("扣分理由："))
        self.heading.setText(tr("详细评审 · 评分"))
        self._show_references()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- saving ------------------------------------------------------------------------------------
    def _save(self, bidder: str, criterion: str, score: Decimal) -> Callable[[Callable[[bool], None]], None]:
        def register(done: Callable[[bool], None]) -> None:
            member = self.member

            def failed(exc: BaseException) -> None:
                done(False)
                set_notice(self.message, describe(exc), BAD_COLOUR)

            assert self.model is not None
            row = [b.id for b in self.model.bidders].index(bidder)
            column = [c.id for c in self.model.criteria].index(criterion)
            comment = self.model.cell(row, column).comment or None  # a deduction's reason goes with the score
            DbOp(self.client, lambda room: room.workstation(member).set_score(bidder, criterion, str(score), comment),
                parent=self).success(lambda _v: done(True)).failure(failed).run_in_background()

        return register

    def save_comment(self) -> None:
        if self.sheet is None or self.model is None:
            return
        index = self.sheet.view.currentIndex()
        if not index.isValid() or self.model.is_total_column(index.column()):
            return
        cell = self.model.cell(index.row(), index.column())
        if cell.value is None:
            set_notice(self.message, tr("请先输入分值，再填写扣分理由。"), WARN_COLOUR)
            return
        text = self.comment.text().strip()
        bidder, criterion = self.model.bidders[index.row()].id, self.model.criteria[index.column()].id
        member, value, row, column = self.member, str(cell.value), index.row(), index.column()

        def saved(_v: object) -> None:
            assert self.model is not None
            self.model.set_comment(row, column, text)
            self.comment.clear()
            set_notice(self.message, tr("扣分理由已保存。"), OK_COLOUR)

        DbOp(self.client, lambda room: room.workstation(member).set_score(bidder, criterion, value, text),
            parent=self).success(saved).failure(
            lambda exc: set_notice(self.message, describe(exc), BAD_COLOUR)).run_in_background()

    def enter(self, bidder: str, criterion: str, score: str, comment: str = "") -> bool:
        """Fill one cell with its deduction reason, as the grid does (used by the walkthrough)."""
        assert self.model is not None
        row = [b.id for b in self.model.bidders].index(bidder)
        column = [c.id for c in self.model.criteria].index(criterion)
        self.model.cell(row, column).comment = comment
        return self.model.setData(self.model.index(row, column), score)

    def submit(self, confirm: bool = True) -> bool:
        """Check the sheet, show the totals for confirmation, then submit (read-only afterwards)."""
        if self.model is None:
            return False
        if self.model.missing():
            missing = tr("尚有 {count} 项未评分或未保存，不能提交。").format(count=len(self.model.missing()))
            set_notice(self.message, missing, BAD_COLOUR)
            return False
        if self.model.uncommented():
            bidder, criterion = self.model.uncommented()[0]
            set_notice(self.message, tr("扣分须填写理由：{bidder} 的 {criterion} 等 {count} 项尚无理由。").format(
                bidder=bidder, criterion=criterion, count=len(self.model.uncommented())), BAD_COLOUR)
            return False
        totals = "\n".join(tr("{bidder}：{total} 分").format(bidder=f"{b.id} {b.name}", total=self.model.totals()[b.id])
                           for b in self.model.bidders)
        question = tr("提交后不能修改（除非组长退回）。各投标人合计：") + f"\n\n{totals}"
        if confirm and QMessageBox.question(self, tr("确认提交评分"), question) != QMessageBox.StandardButton.Yes:
            return False
        member = self.member
        DbOp(self.client, lambda room: room.workstation(member).submit(), parent=self).success(
            lambda _v: set_notice(self.message, tr("评分已提交。"), OK_COLOUR)).failure(
            lambda exc: set_notice(self.message, describe(exc), BAD_COLOUR)).run_in_background()
        return True

    # -- view --------------------------------------------------------------------------------------
    def _build(self, view: RoomView) -> None:
        late = set(view.opening["late"]) if view.opening else set()
        invalid = {b["id"] for b in (view.result or {}).get("bidders", []) if not b["valid"]}
        bidders = [b for b in view.case.bidders if b.id not in late and b.id not in invalid]
        self.model = ScoreGridModel(bidders, view.case.method.criteria, self._save)
        mine = view.scores.get(self.member, {})
        notes = view.comments.get(self.member, {})
        self.model.load({(b, c): Decimal(v) for b, row in mine.items() for c, v in row.items()},
                        {(b, c): v for b, row in notes.items() for c, v in row.items()})
        self.sheet = ScoreSheet(self.model)
        self.body.addWidget(self.sheet)
        self.sheet.view.selectionModel().currentChanged.connect(lambda current, _previous: self._selected(current))

    # -- 评分索引 (page references) -----------------------------------------------------------------
    def _selected(self, index: Any) -> None:
        model = self.model
        if model is None or not index.isValid() or model.is_total_column(index.column()):
            self._cell = None
        else:
            self._cell = (model.bidders[index.row()].id, model.criteria[index.column()].id)
        self._show_references()

    def _show_references(self) -> None:
        for button in self.reference_buttons:
            self.references.removeWidget(button)
            button.deleteLater()
        self.reference_buttons = []
        refs = self._references.get(self._cell[0], {}).get(self._cell[1], []) if self._cell else []
        any_refs = any(self._references.values())
        self.references_label.setVisible(any_refs)
        if not any_refs:
            return
        if self._cell is None:
            self.references_label.setText(tr("评分索引：选中评分单元格，显示投标文件中对应的页码"))
            return
        names = {c.id: c.name for c in (self.model.criteria if self.model is not None else [])}
        self.references_label.setText(tr("评分索引（{bidder} · {criterion}）：").format(
            bidder=self._cell[0], criterion=names.get(self._cell[1], self._cell[1]))
            + ("" if refs else tr("投标文件未给出页码")))
        for ref in refs:
            text = tr("{part} 第 {page} 页").format(part=tr(PARTS.get(ref.get("part", "other"), PARTS["other"])),
                                                   page=ref["page"])
            button = QPushButton(text + (f" · {ref['note']}" if ref.get("note") else ""))
            button.setToolTip(ref["path"])
            path, page = ref["path"], int(ref["page"])
            button.clicked.connect(lambda _checked=False, p=path, n=page: self.beside.open_reference(p, n))
            self.references.addWidget(button)
            self.reference_buttons.append(button)

    def show_view(self, view: RoomView) -> None:
        if view.stage not in ("scoring", "summary", "report", "archived"):
            set_notice(self.message, tr("详细评审尚未开始。"))
            return
        if self.model is None:
            self._build(view)
        assert self.model is not None
        if view.references != self._references:
            self._references = view.references
            self._show_references()
        me = view.member(self.member)
        read_only = me.submitted or view.stage != "scoring" or view.paused
        if self.model.read_only != read_only:
            self.model.set_read_only(read_only)
        self.submit_button.setEnabled(not read_only)
        self.comment.setEnabled(not read_only)
        if view.paused:
            set_notice(self.message, tr("评标已由监督人员中止，暂停评分。"), WARN_COLOUR)
        elif me.submitted:
            set_notice(self.message, tr("评分已提交（只读）。如需更正，请向组长申请退回。"), OK_COLOUR)
        elif self.message.text() == tr("详细评审尚未开始。"):
            set_notice(self.message, "")
        names = {b.id: b.name for b in view.case.bidders}
        mine = [f for f in (view.result or {}).get("flags", [])
                if f.get("expert") == self.member
                or (f["kind"] == "objective_inconsistent" and self.member in f.get("scores", {}))]
        self.feedback.setText("\n".join("⚠ " + flag_text(f, names) for f in mine) if me.submitted else "")
