"""The chair's matters (组长事项): reopen a member's sheet with a reason (R-SCR-2 corrections), the
committee's decision on an abnormally low price (R-LOW-1/2) after the written explanation, and its decision on
each warning of the collusion screen at opening (办法 §21), with the evidence shown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP, QEvent
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

#: the collusion screen's kinds of warning (app/domain/collusion.py) as the chair reads them
WARNINGS = {
    "identical_file": QT_TR_NOOP("投标文件完全相同（SHA-256 一致）"), "same_author": QT_TR_NOOP("文件作者相同"),
    "same_creator_tool": QT_TR_NOOP("文件制作工具相同"), "same_creation_time": QT_TR_NOOP("文件创建时间相同"),
    "same_xmp_document_id": QT_TR_NOOP("文件 XMP 文档标识相同"), "identical_page_text": QT_TR_NOOP("页面内容相同"),
    "identical_text_block": QT_TR_NOOP("段落文字相同"),
    "identical_price": QT_TR_NOOP("投标报价相同"), "price_equal_spacing": QT_TR_NOOP("投标报价呈等差排列"),
    "price_fixed_ratio": QT_TR_NOOP("投标报价呈固定比例排列"),
}
DECISION_STAGES = ("preliminary", "scoring", "summary")


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
        self.warning = QComboBox()
        self.evidence = notice()
        self.warning_reason = QLineEdit()
        self.collusion_button = big_button("")
        self.no_collusion_button = big_button("")
        self.warning_box = warning = QGroupBox()
        warning_layout = QVBoxLayout(warning)
        warning_layout.addWidget(self.warning)
        warning_layout.addWidget(self.evidence)
        warning_layout.addWidget(self.warning_reason)
        decide = QHBoxLayout()
        decide.addWidget(self.collusion_button)
        decide.addWidget(self.no_collusion_button)
        warning_layout.addLayout(decide)
        self._screen: dict[str, Any] | None = None
        self._names: dict[str, str] = {}
        layout = QVBoxLayout(self)
        self.heading = title("")
        layout.addWidget(self.heading)
        layout.addWidget(reopen)
        layout.addWidget(low)
        layout.addWidget(warning)
        layout.addWidget(self.message)
        layout.addStretch()
        self.reopen_button.clicked.connect(self.reopen)
        self.accept_button.clicked.connect(lambda: self.decide("accepted"))
        self.reject_button.clicked.connect(lambda: self.decide("rejected"))
        self.warning.currentIndexChanged.connect(lambda _i: self._show_evidence())
        self.collusion_button.clicked.connect(lambda: self.decide_warning(True))
        self.no_collusion_button.clicked.connect(lambda: self.decide_warning(False))
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
        self.warning_box.setTitle(tr("围标串标预警（办法第二十一条：预警不等于否决，由评标委员会认定）"))
        self.warning_reason.setPlaceholderText(tr("评标委员会的认定理由（必填）"))
        self.collusion_button.setText(tr("认定构成串通投标（按 R-PRE-1(7) 否决）"))
        self.no_collusion_button.setText(tr("认定不构成串通投标"))
        self._fill_warnings()

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

    def decide_warning(self, collusion: bool) -> None:
        finding, reason, chair = self.warning.currentData(), self.warning_reason.text(), self.member
        if finding is None:
            return
        done = tr("已记录评标委员会对该预警的认定。")
        DbOp(self.client, lambda room: room.workstation(chair).decide_finding(finding, collusion, reason),
             parent=self).success(lambda _v: (self.warning_reason.clear(), set_notice(self.message, done, OK_COLOUR))
                                  ).failure(lambda exc: set_notice(self.message, describe(exc), BAD_COLOUR)
                                            ).run_in_background()

    def _fill_warnings(self) -> None:
        """The screen's warnings, each with the committee's decision so far, keeping the one selected."""
        screen, selected = self._screen, self.warning.currentData()
        self.warning.blockSignals(True)
        self.warning.clear()
        for index, finding in enumerate(screen["findings"] if screen else []):
            decision = screen["decisions"].get(index) if screen else None
            state = (tr("尚未认定") if decision is None else
                     tr("已认定：构成串通投标") if decision["collusion"] else tr("已认定：不构成串通投标"))
            kind = tr(WARNINGS.get(finding["kind"], finding["kind"]))
            self.warning.addItem(f"{index + 1}. " + tr("{kind}（{state}）").format(kind=kind, state=state), index)
        if selected is not None and 0 <= selected < self.warning.count():
            self.warning.setCurrentIndex(selected)
        self.warning.blockSignals(False)
        self._show_evidence()

    def _show_evidence(self) -> None:
        screen, index = self._screen, self.warning.currentData()
        if screen is None:
            text = tr("本项目无电子投标文件，开标时未进行围标串标筛查。")
        elif not screen["findings"]:
            text = tr("开标时筛查了 {n} 份投标文件及投标报价，未发现预警情形。").format(n=screen["documents"])
        elif index is not None:
            finding, decision = screen["findings"][index], screen["decisions"].get(index)
            bidders = tr("、").join(f"{b} {self._names.get(b, '')}".strip() for b in finding["bidders"])
            text = (tr("投标人：{bidders}").format(bidders=bidders) + "\n"
                    + tr("证据：{evidence}").format(evidence=finding["evidence"]))
            if decision is not None:
                text += "\n" + tr("认定理由：{reason}").format(reason=decision["reason"])
        else:
            text = ""
        set_notice(self.evidence, text)

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
            button.setEnabled(bool(flagged) and view.stage in DECISION_STAGES)
        if view.screen != self._screen or names != self._names:
            self._screen, self._names = view.screen, names
            self._fill_warnings()
        warnings = bool(view.screen and view.screen["findings"])
        self.warning.setEnabled(warnings)
        self.warning_reason.setEnabled(warnings and view.stage in DECISION_STAGES)
        for button in (self.collusion_button, self.no_collusion_button):
            button.setEnabled(warnings and view.stage in DECISION_STAGES)
