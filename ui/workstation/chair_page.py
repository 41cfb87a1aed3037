"""The chair's matters (组长事项): reopen a member's sheet with a reason (R-SCR-2 corrections) and the
committee's decision on an abnormally low price (R-LOW-1/2) after the written explanation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.common import BAD_COLOUR, OK_COLOUR, big_button, notice, set_notice, title
from ui.errors import describe
from ui.i18n import tr
from ui.ops import DbOp
from ui.room_client import RoomClient

if TYPE_CHECKING:
    from app.services.room_view import RoomView


class ChairPage(QWidget):
    def __init__(self, client: RoomClient, member: str) -> None:
        super().__init__()
        self.client, self.member = client, member
        self.sheet_owner = QComboBox()
        self.reason = QLineEdit()
        self.reopen_button = big_button("")
        self.low_bidder = QComboBox()
        self.accept_button = big_button("")
        self.reject_button = big_button("")
        self.message = notice()
        self.reopen_box = reopen = QGroupBox()
        form = QFormLayout(reopen)
        self.owner_label, self.reason_label = QLabel(), QLabel()
        form.addRow(self.owner_label, self.sheet_owner)
        form.addRow(self.reason_label, self.reason)
        form.addRow("", self.reopen_button)
        self.low_box = low = QGroupBox()
        low_layout = QVBoxLayout(low)
        low_layout.addWidget(self.low_bidder)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        low_layout.addLayout(buttons)
        layout = QVBoxLayout(self)
        self.heading = title("")
        layout.addWidget(self.heading)
        layout.addWidget(reopen)
        layout.addWidget(low)
        layout.addWidget(self.message)
        layout.addStretch()
        self.reopen_button.clicked.connect(self.reopen)
        self.accept_button.clicked.connect(lambda: self.decide("accepted"))
        self.reject_button.clicked.connect(lambda: self.decide("rejected"))
        client.changed.connect(self.show_view)
        self.retranslate()

    def retranslate(self) -> None:
        self.reason.setPlaceholderText(tr("退回理由（如：客观评审因素评分不一致，须更正）"))
        self.reopen_button.setText(tr("退回该成员评分"))
        self.accept_button.setText(tr("说明合理，接受报价"))
        self.reject_button.setText(tr("不能证明合理，投标无效"))
        self.reopen_box.setTitle(tr("退回评分更正（R-SCR-2）"))
        self.owner_label.setText(tr("成员"))
        self.reason_label.setText(tr("理由"))
        self.low_box.setTitle(tr("异常低价处理（书面说明后由评标委员会认定）"))
        self.heading.setText(tr("组长事项"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def reopen(self) -> None:
        expert, reason, chair = self.sheet_owner.currentData(), self.reason.text(), self.member
        if expert is None:
            return
        done = tr("已退回 {member} 的评分。").format(member=expert)
        DbOp(self.client, lambda room: room.workstation(chair).reopen(expert, reason), parent=self).success(
            lambda _v: set_notice(self.message, done, OK_COLOUR)).failure(
            lambda exc: set_notice(self.message, describe(exc), BAD_COLOUR)).run_in_background()

    def decide(self, decision: str) -> None:
        bidder, chair = self.low_bidder.currentData(), self.member
        if bidder is None:
            return
        done = tr("已记录评标委员会的认定。")
        DbOp(self.client, lambda room: room.workstation(chair).decide_low_price(bidder, decision),
            parent=self).success(lambda _v: set_notice(self.message, done, OK_COLOUR)).failure(
            lambda exc: set_notice(self.message, describe(exc), BAD_COLOUR)).run_in_background()

    def show_view(self, view: RoomView) -> None:
        submitted = [m for m in view.active_members if m.submitted]
        if [self.sheet_owner.itemData(i) for i in range(self.sheet_owner.count())] != [m.id for m in submitted]:
            self.sheet_owner.clear()
            for m in submitted:
                self.sheet_owner.addItem(f"{m.id} {m.name}", m.id)
        flagged = [f["bidder"] for f in (view.result or {}).get("flags", []) if f["kind"] == "abnormally_low_price"]
        names = {b.id: b.name for b in view.case.bidders}
        if [self.low_bidder.itemData(i) for i in range(self.low_bidder.count())] != flagged:
            self.low_bidder.clear()
            for bidder in flagged:
                self.low_bidder.addItem(f"{bidder} {names[bidder]}", bidder)
        self.reopen_button.setEnabled(view.stage == "scoring" and bool(submitted))
        for button in (self.accept_button, self.reject_button):
            button.setEnabled(bool(flagged) and view.stage in ("preliminary", "scoring", "summary"))
