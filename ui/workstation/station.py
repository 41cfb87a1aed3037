"""One expert's workstation after login: the steps in their fixed order, the idle lock, and a header
with the expert's name, role and the session's stage."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.checkin.commitment_page import CommitmentPage, bidder_names
from ui.common import BAD_COLOUR, OK_COLOUR, notice, scrolled, set_notice, stage_name
from ui.errors import describe
from ui.i18n import tr
from ui.ops import DbOp
from ui.report.member_page import MemberReportPage
from ui.room_client import RoomClient
from ui.widgets.idle_lock import IdleLock
from ui.workstation.chair_page import ChairPage
from ui.workstation.declaration_page import DeclarationPage
from ui.workstation.preliminary_page import PreliminaryPage
from ui.workstation.scoring_page import ScoringPage

if TYPE_CHECKING:
    from app.services.room_view import RoomView
    from app.services.templates import FilledTemplate

STEP_STAGES = {1: ("checkin", "committee"), 2: ("preliminary",), 3: ("scoring", "summary", "report", "archived")}
STEPS = (QT_TR_NOOP("① 承诺书"), QT_TR_NOOP("② 回避声明"), QT_TR_NOOP("③ 初步评审"), QT_TR_NOOP("④ 详细评审"),
         QT_TR_NOOP("组长事项"), QT_TR_NOOP("⑤ 评标报告"))


class Station(QWidget):
    def __init__(self, client: RoomClient, member: str, idle_minutes: float = 10,
                 check_pin: Callable[[str], bool] | None = None, letter: FilledTemplate | None = None) -> None:
        """``check_pin``: the idle lock's PIN check (default: the PIN given at the one-window login; an expert's
        own PC passes the PIN set at pairing). ``letter``: the 承诺书 read beforehand in the background (else
        read now in the background, shown once read)."""
        super().__init__()
        self.client, self.member = client, member
        self._pin_check = check_pin
        if check_pin is None:  # the login's PIN check (a hash compare, no disk), fetched from the database thread
            DbOp(client, lambda room: room.workstation(member).check_pin, parent=self).without_snapshot().success(
                self._have_pin_check).run_in_background()
        self.header = QLabel()
        self.header.setStyleSheet("font-size: 16px; padding: 6px; background: #eef3f9;")
        self.steps = QTabWidget()
        # the letter says the bidder list was read: it is shown first, above the letter
        self.letter = CommitmentPage(letter, bidders=bidder_names(client.view) if client.view is not None else ())
        self.letter_status = notice()
        if letter is None:
            DbOp(client, lambda room: room.workstation(member).letter(), parent=self).without_snapshot().success(
                self.letter.set_letter).failure(lambda exc: set_notice(self.letter_status, describe(exc),
                                                                       BAD_COLOUR)).run_in_background()
        letter_tab = QWidget()
        letter_layout = QVBoxLayout(letter_tab)
        letter_layout.addWidget(self.letter)
        letter_layout.addWidget(self.letter_status)
        self.declaration = DeclarationPage(client, member)
        self.preliminary = PreliminaryPage(client, member)
        self.scoring = ScoringPage(client, member)
        self.chair = ChairPage(client, member)
        self.report = MemberReportPage(client, member)
        # each step in its own scroll area: the tabs ask for the room of the step shown, not of the longest one
        for page in (letter_tab, self.declaration, self.preliminary, self.scoring, self.chair, self.report):
            self.steps.addTab(scrolled(page), "")
        self.time_button = QPushButton()  # R-SCR-6: more than a third asking forces it
        self._asked = False
        self.time_button.clicked.connect(self._ask_time)
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.time_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.steps, 1)
        self.lock = IdleLock(self, self._check_pin, idle_minutes)
        self.letter.signed.connect(self._sign)
        self.retranslate()
        client.changed.connect(self.show_view)
        if client.view is not None:  # pages built now catch up with the current snapshot
            for page in (self, self.declaration, self.preliminary, self.scoring, self.chair):
                page.show_view(client.view)

    def retranslate(self) -> None:
        for index, name in enumerate(STEPS):
            self.steps.setTabText(index, tr(name))
        self._time_text()

    def _time_text(self) -> None:
        asked, ask = tr("已申请延长评标时间，待招标人决定"), tr("评标时间不足，申请延长")
        self.time_button.setText(asked if self._asked else ask)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _have_pin_check(self, check: Callable[[str], bool]) -> None:
        self._pin_check = check

    def _check_pin(self, pin: str) -> bool:
        # the check is a pure comparison with the PIN hash the login keeps: the room is not touched here
        return self._pin_check is not None and self._pin_check(pin)

    def _sign(self, png: bytes, strokes: str, version: str) -> None:
        member = self.member
        DbOp(self.client, lambda room: room.workstation(member).sign_letter(png, strokes, version),
            parent=self).success(lambda _v: set_notice(self.letter_status, tr("承诺书已签署。"), OK_COLOUR)).failure(
            lambda exc: set_notice(self.letter_status, describe(exc), BAD_COLOUR)).run_in_background()

    def _ask_time(self) -> None:
        member = self.member
        self.time_button.setEnabled(False)
        DbOp(self.client, lambda room: room.workstation(member).request_extension(), parent=self).run_in_background()

    def show_view(self, view: RoomView) -> None:
        me = view.member(self.member)
        self.letter.set_bidders(bidder_names(view))
        role = tr("评标委员会组长") if me.chair else tr("评审专家") if me.role == "expert" else tr("采购人/招标人代表")
        state = tr("（已中止）") if view.paused else ""
        header = tr("<b>{name}</b>（{id}）　{role}　　当前环节：{stage}{paused}　　{project} · 标段 {lot}")
        self.header.setText(header.format(
            name=me.name, id=me.id, role=role, stage=stage_name(view), paused=state, project=view.case.project.name,
            lot=view.case.lot.code))
        signed = me.letter
        self.letter.setEnabled(not signed)
        if signed:
            set_notice(self.letter_status, tr("承诺书已签署。"), OK_COLOUR)
        ready = signed and me.declared and not me.conflict
        self.steps.setTabEnabled(1, signed)
        self.steps.setTabEnabled(2, ready and view.stage in ("preliminary", "scoring", "summary", "report", "archived"))
        self.steps.setTabEnabled(3, ready and view.stage in STEP_STAGES[3])
        self.steps.setTabVisible(4, me.chair)
        asked = view.report is not None and any(r[0] == self.member for r in view.report.time_requests)
        self._asked = asked
        self._time_text()
        self.time_button.setEnabled(ready and not asked and not me.recused
                                    and view.stage in ("preliminary", "scoring", "summary"))
        self.steps.setTabEnabled(5, ready and view.report is not None and view.report.draft is not None)
