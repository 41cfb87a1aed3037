"""Conflict-of-interest declaration (回避声明), made after the bidder list is shown (R-COI-1/2).

Nothing is chosen in advance: the expert picks "no conflict" or "conflict" explicitly, and a conflict names
its grounds, the bidder(s) it is with and a statement. Either choice is confirmed in a dialog saying what
follows; a recusal takes the expert out of the evaluation and cannot be undone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QEvent, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.room import BIDDER_GROUNDS
from ui.common import BAD_COLOUR, OK_COLOUR, big_button, fit_rows, follow, notice, set_notice, table, title
from ui.errors import describe
from ui.i18n import tr
from ui.ops import DbOp
from ui.room_client import RoomClient
from ui.widgets.confirm import Confirmation, confirm

if TYPE_CHECKING:
    from app.services.room_view import RoomView

GROUNDS = {
    "near_relative": QT_TR_NOOP("与投标人或其主要负责人为近亲属"),
    "employment": QT_TR_NOOP("近三年内与投标人存在劳动关系"),
    "director": QT_TR_NOOP("近三年内担任投标人的董事、监事"),
    "shareholder": QT_TR_NOOP("近三年内是投标人的控股股东或实际控制人"),
    "supervising_staff": QT_TR_NOOP("项目主管部门或行政监督部门人员"),
    "interest": QT_TR_NOOP("与投标人有其他经济利益关系"),
    "sanctioned": QT_TR_NOOP("曾因违法行为受过行政处罚或刑事处罚"),
    "other": QT_TR_NOOP("其他可能影响公正评审的情形"),
}
HEADERS = (QT_TR_NOOP("序号"), QT_TR_NOOP("投标人名称"), QT_TR_NOOP("存在利害关系"))
CONFLICT_COLUMN = 2


class DeclarationPage(QWidget):
    def __init__(self, client: RoomClient, member: str) -> None:
        super().__init__()
        self.client, self.member = client, member
        self.bidders = table(HEADERS)
        self._bidder_ids: list[str] = []
        self.no_conflict = QRadioButton()
        self.conflict = QRadioButton()
        self.choice = QButtonGroup(self)  # exclusive; nothing checked until the expert chooses
        self.choice.addButton(self.no_conflict)
        self.choice.addButton(self.conflict)
        self.grounds = {key: QCheckBox() for key in GROUNDS}
        self.statement = QLineEdit()
        self.statement.setMaxLength(200)
        self.button = big_button("", primary=True)
        self.button.setEnabled(False)
        self.message = notice()
        self.confirmation: Confirmation | None = None
        self._open = False  # the letter is signed and nothing is declared yet
        self.grounds_box = QGroupBox()
        grid = QGridLayout(self.grounds_box)
        for index, check in enumerate(self.grounds.values()):
            grid.addWidget(check, index // 3, index % 3)  # three a row: the page fits a 768-px screen
        layout = QVBoxLayout(self)
        self.heading, self.how = title(""), notice()
        layout.addWidget(self.heading)
        layout.addWidget(self.how)
        layout.addWidget(self.bidders)
        choices = QHBoxLayout()  # side by side: the page fits a 768-px screen
        choices.addWidget(self.no_conflict)
        choices.addWidget(self.conflict)
        choices.addStretch()
        layout.addLayout(choices)
        layout.addWidget(self.grounds_box)
        layout.addWidget(self.statement)
        layout.addWidget(self.button)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.button.clicked.connect(self.submit)
        self.choice.buttonToggled.connect(lambda *_: self._chosen())
        self._update()
        follow(self, client)
        self.retranslate()

    def retranslate(self) -> None:
        self.bidders.setHorizontalHeaderLabels([tr(h) for h in HEADERS])
        self.no_conflict.setText(tr("本人与上述投标人均无利害关系，不需回避"))
        self.conflict.setText(tr("本人存在以下情形，申请回避"))
        for key, check in self.grounds.items():
            check.setText(tr(GROUNDS[key]))
        self.statement.setPlaceholderText(tr("说明（申请回避时必填，例如“两年前曾任投标人B2董事”）"))
        self.button.setText(tr("提交回避声明"))
        self.grounds_box.setTitle(tr("回避情形"))
        self.heading.setText(tr("回避声明"))
        set_notice(self.how, tr("请逐家核对投标人名单，选择是否存在利害关系；申请回避时，"
                                "在“存在利害关系”一列勾选相关投标人。"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- what the expert chose -------------------------------------------------------------------------
    def named_bidders(self) -> list[str]:
        return [bid for row, bid in enumerate(self._bidder_ids)
                if (item := self.bidders.item(row, CONFLICT_COLUMN)) is not None
                and item.checkState() == Qt.CheckState.Checked]

    def set_conflict_with(self, bidder: str, checked: bool = True) -> None:
        """Tick a bidder in the list as a person would (the tests and the walkthrough use it)."""
        item = self.bidders.item(self._bidder_ids.index(bidder), CONFLICT_COLUMN)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _chosen(self) -> None:
        self._update()
        if self._open:
            set_notice(self.message,
                       tr("申请回避时，请勾选回避情形和相关投标人，并填写说明。") if self.conflict.isChecked() else "")

    def _missing(self) -> str:
        """What a declared conflict still lacks ("" when complete)."""
        grounds = [key for key, check in self.grounds.items() if check.isChecked()]
        if not grounds:
            return tr("申请回避时，请勾选回避情形。")
        if any(g in BIDDER_GROUNDS for g in grounds) and not self.named_bidders():
            return tr("申请回避时，请在投标人名单中勾选与您存在利害关系的投标人。")
        if not self.statement.text().strip():
            return tr("申请回避时，请填写说明。")
        return ""

    def _update(self) -> None:
        """Enable what the current choice needs; the bidders are ticked only for a declared conflict."""
        conflict = self._open and self.conflict.isChecked()
        self.no_conflict.setEnabled(self._open)
        self.conflict.setEnabled(self._open)
        self.grounds_box.setEnabled(conflict)
        self.statement.setEnabled(conflict)
        flags = Qt.ItemFlag.ItemIsEnabled | (Qt.ItemFlag.ItemIsUserCheckable if conflict else Qt.ItemFlag.NoItemFlags)
        for row in range(self.bidders.rowCount()):
            item = self.bidders.item(row, CONFLICT_COLUMN)
            if item is not None:
                item.setFlags(flags)
                if self._open and not conflict and item.checkState() != Qt.CheckState.Unchecked:
                    item.setCheckState(Qt.CheckState.Unchecked)
        self.button.setEnabled(self._open and self.choice.checkedButton() is not None)

    def submit(self) -> None:
        if not self._open or self.choice.checkedButton() is None:
            set_notice(self.message, tr("请先选择：不需回避，或申请回避。"), BAD_COLOUR)
            return
        conflict = self.conflict.isChecked()
        grounds = [key for key, check in self.grounds.items() if check.isChecked()] if conflict else []
        statement = self.statement.text().strip() if conflict else ""
        bidders = self.named_bidders() if conflict else []
        if conflict and (missing := self._missing()):
            set_notice(self.message, missing, BAD_COLOUR)
            return
        names = dict(zip(self._bidder_ids, (self.bidders.item(r, 1).text() for r in range(self.bidders.rowCount())),
                         strict=True))
        if conflict:
            lines = [tr("您申请回避。"), ""]
            if bidders:
                lines.append(tr("存在利害关系的投标人：") + "、".join(names.get(b, b) for b in bidders))
            lines += [tr("回避情形：") + "；".join(tr(GROUNDS[g]) for g in grounds), tr("说明：") + statement, "",
                      tr("提交后您将退出本项目的评审，此操作不能撤销；您的席位由候补专家补充。")]
            yes, heading = tr("确认回避（不可撤销）"), tr("确认申请回避")
        else:
            lines = [tr("您声明：本人与上述投标人均无利害关系，不需回避。"), "",
                     tr("投标人名单：") + "、".join(names.values()), "",
                     tr("声明提交后记入账本，不能修改；评审中如发现利害关系，应立即告知现场工作人员。")]
            yes, heading = tr("确认提交"), tr("确认回避声明")
        member = self.member

        def send() -> None:
            DbOp(self.client, lambda room: room.workstation(member).declare(conflict, grounds, statement, bidders),
                parent=self).failure(
                lambda exc: set_notice(self.message, describe(exc), BAD_COLOUR)).run_in_background()

        self.confirmation = confirm(self, heading, "\n".join(lines), yes, send, warning=conflict)

    # -- the session ------------------------------------------------------------------------------------
    def _fill(self, view: RoomView) -> None:
        late = set(view.opening["late"]) if view.opening else set()
        bidders = [b for b in view.case.bidders if b.id not in late]
        if [b.id for b in bidders] == self._bidder_ids:
            return
        self._bidder_ids = [b.id for b in bidders]
        self.bidders.setRowCount(len(bidders))
        for row, bidder in enumerate(bidders):
            self.bidders.setItem(row, 0, QTableWidgetItem(str(row + 1)))
            self.bidders.setItem(row, 1, QTableWidgetItem(bidder.name))
            check = QTableWidgetItem("")
            check.setCheckState(Qt.CheckState.Unchecked)
            self.bidders.setItem(row, CONFLICT_COLUMN, check)
        fit_rows(self.bidders)  # every bidder to declare on, never two rows in a peephole
        self._update()

    def show_view(self, view: RoomView) -> None:
        self._fill(view)
        me = view.member(self.member)
        self._open = me.letter and not me.declared
        if me.declared:  # what was declared: the bidders named, read-only
            for row, bidder in enumerate(self._bidder_ids):
                item = self.bidders.item(row, CONFLICT_COLUMN)
                wanted = Qt.CheckState.Checked if bidder in me.conflict_with else Qt.CheckState.Unchecked
                if item is not None and item.checkState() != wanted:
                    item.setCheckState(wanted)
        self._update()
        if me.conflict:
            names = {b.id: b.name for b in view.case.bidders}
            named = "、".join(names.get(b, b) for b in me.conflict_with)
            set_notice(self.message,
                       tr("您已申请回避，不再参加本项目评审。请告知现场工作人员。") + (f"（{named}）" if named else ""),
                       BAD_COLOUR)
        elif me.declared:
            set_notice(self.message, tr("回避声明已提交：不需回避。"), OK_COLOUR)
        elif not me.letter:
            set_notice(self.message, tr("请先签署承诺书。"))
        elif self.choice.checkedButton() is None:
            set_notice(self.message, tr("请选择：本人与上述投标人均无利害关系，或申请回避。"))
