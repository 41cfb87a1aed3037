"""Supervisor (监督人员): live progress (who checked in, signed, submitted), the ledger's event stream,
the recorder's live preview and its alarms, pause/resume (中止/恢复) with a reason, incident records, the
letter and the sign-off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ui.checkin.commitment_page import CommitmentPage, bidder_names
from ui.common import (
    BAD_COLOUR,
    OK_COLOUR,
    WARN_COLOUR,
    big_button,
    fill,
    follow,
    notice,
    scrolled,
    set_notice,
    stage_name,
    table,
    title,
    yes,
)
from ui.errors import describe
from ui.i18n import one_language, tr
from ui.ops import DbOp
from ui.room_client import RoomClient
from ui.widgets.alarm_bar import AlarmBar
from ui.widgets.camera_preview import CameraPreview

if TYPE_CHECKING:
    from app.services.room_view import RoomView

SUPERVISOR_NAME = "现场监督员"  # the ledger's name of the room's own supervisor (i18n: not a text)
PROGRESS = [QT_TR_NOOP("编号"), QT_TR_NOOP("姓名"), QT_TR_NOOP("签到"), QT_TR_NOOP("承诺书"), QT_TR_NOOP("回避声明"),
            QT_TR_NOOP("提交评分")]
EVENTS = [QT_TR_NOOP("时间"), QT_TR_NOOP("记录人"), QT_TR_NOOP("事项"), QT_TR_NOOP("内容"), QT_TR_NOOP("结果")]
TABS = [QT_TR_NOOP("评审进度"), QT_TR_NOOP("事件记录"), QT_TR_NOOP("监督人员承诺书")]
#: the ledger's events as the supervisor reads them (app.services.room_view.EventView.type)
EVENT_NAMES = {
    "session.created": QT_TR_NOOP("建立会话"), "stage.advanced": QT_TR_NOOP("进入环节"),
    "supervisor.registered": QT_TR_NOOP("监督人员登记"), "opening.read": QT_TR_NOOP("唱标"),
    "opening.objection": QT_TR_NOOP("开标异议及答复"), "opening.confirmed": QT_TR_NOOP("投标人代表确认"),
    "screen.findings": QT_TR_NOOP("围标串标预警"), "screen.decided": QT_TR_NOOP("预警认定"),
    "identity.verified": QT_TR_NOOP("身份核验"), "checkin": QT_TR_NOOP("专家签到"),
    "letter.signed": QT_TR_NOOP("签署承诺书"), "coi.declared": QT_TR_NOOP("回避声明"), "recusal": QT_TR_NOOP("回避"),
    "chair.elected": QT_TR_NOOP("推选组长"), "preliminary.verdict": QT_TR_NOOP("初步评审结论"),
    "score.set": QT_TR_NOOP("评分"), "score.submitted": QT_TR_NOOP("提交评分"),
    "score.reopened": QT_TR_NOOP("退回评分"), "low_price.decided": QT_TR_NOOP("低价处理决定"),
    "adjustment.recorded": QT_TR_NOOP("价格调整"), "session.paused": QT_TR_NOOP("中止"),
    "session.resumed": QT_TR_NOOP("恢复"), "session.terminated": QT_TR_NOOP("终止"),
    "incident.recorded": QT_TR_NOOP("情况记录"), "supervision.signed_off": QT_TR_NOOP("监督签字"),
    "recording.segment": QT_TR_NOOP("录像片段"), "recording.fault": QT_TR_NOOP("录像故障"),
    "checkpoint": QT_TR_NOOP("检查点"), "report.signed": QT_TR_NOOP("报告签字"),
    "report.drafted": QT_TR_NOOP("报告草稿"), "report.dissent": QT_TR_NOOP("报告签字（有不同意见）"),
    "report.refused_to_sign": QT_TR_NOOP("拒签说明"), "report.finalized": QT_TR_NOOP("报告定稿"),
    "time.extension_requested": QT_TR_NOOP("申请延长评标时间"), "time.extension_decided": QT_TR_NOOP("评标时间决定"),
    "session.archived": QT_TR_NOOP("归档"), "venue.added": QT_TR_NOOP("添加副场"),
    "venue.link_lost": QT_TR_NOOP("副场链路中断"), "venue.link_restored": QT_TR_NOOP("副场链路恢复"),
    "venue.outcome": QT_TR_NOOP("招标人决定（R-SUS-6）"), "venue.message": QT_TR_NOOP("场地间消息"),
}


class SupervisorPage(QWidget):
    def __init__(self, client: RoomClient, name: str = SUPERVISOR_NAME, letter_first: bool = False) -> None:
        """``letter_first``: the supervisor's own PC opens on the letter until it is signed (its first step)."""
        super().__init__()
        self.client, self.name = client, name
        self._letter_first = letter_first
        self.progress = table([""] * len(PROGRESS))
        self.events = table([""] * len(EVENTS))
        self.preview = CameraPreview(client, 360, 203)  # the recorder's preview, read off the GUI thread
        self.camera = self.preview.picture
        self.alarm = AlarmBar(client)
        self.state = notice()
        self.reason = QLineEdit()
        self.pause_button = big_button("")
        self.resume_button = big_button("")
        self.incident = QLineEdit()
        self.incident_button = big_button("")
        self.sign_off_note = QLineEdit()
        self.sign_off_button = big_button("")
        self.message = notice()
        self.letter: CommitmentPage | None = None  # built once the session is open (it names the project)
        self._letter_requested = False
        self.letter_tab = QWidget()
        QVBoxLayout(self.letter_tab)

        self.controls = controls = QGroupBox()
        grid = QGridLayout(controls)
        grid.addWidget(self.reason, 0, 0, 1, 2)
        grid.addWidget(self.pause_button, 1, 0)
        grid.addWidget(self.resume_button, 1, 1)
        self.records = records = QGroupBox()
        records_layout = QGridLayout(records)
        records_layout.addWidget(self.incident, 0, 0)
        records_layout.addWidget(self.incident_button, 0, 1)
        records_layout.addWidget(self.sign_off_note, 1, 0)
        records_layout.addWidget(self.sign_off_button, 1, 1)
        side = QVBoxLayout()
        side.addWidget(self.preview)
        side.addWidget(self.state)
        side.addWidget(controls)
        side.addWidget(records)
        side.addWidget(self.message)
        side.addStretch()
        tabs = QTabWidget()
        tabs.addTab(self.progress, "")
        tabs.addTab(self.events, "")
        tabs.addTab(scrolled(self.letter_tab), "")
        self.tabs = tabs
        body = QHBoxLayout()
        body.addWidget(tabs, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        self.heading = title("")
        layout.addWidget(self.heading)
        layout.addWidget(self.alarm)
        layout.addLayout(body, 1)

        self.pause_button.clicked.connect(self.pause)
        self.resume_button.clicked.connect(self.resume)
        self.incident_button.clicked.connect(self.record_incident)
        self.sign_off_button.clicked.connect(lambda: self._act(
            lambda room: room.supervisor(self.name).sign_off(self.sign_off_note.text()), tr("监督签字已记录。")))
        follow(self, client)
        self.retranslate()

    def retranslate(self) -> None:
        self.progress.setHorizontalHeaderLabels([tr(h) for h in PROGRESS])
        self.events.setHorizontalHeaderLabels([tr(h) for h in EVENTS])
        self.reason.setPlaceholderText(tr("中止/恢复的理由"))
        self.pause_button.setText(tr("中止评标"))
        self.resume_button.setText(tr("恢复评标"))
        self.incident.setPlaceholderText(tr("情况记录（时间、经过、处理）"))
        self.incident_button.setText(tr("记录"))
        self.sign_off_note.setPlaceholderText(tr("监督意见"))
        self.sign_off_button.setText(tr("监督签字"))
        self.controls.setTitle(tr("中止 / 恢复"))
        self.records.setTitle(tr("情况记录与签字"))
        for index, name in enumerate(TABS):
            self.tabs.setTabText(index, tr(name))
        self.heading.setText(tr("现场监督"))
        set_notice(self.message, "")  # the last action's outcome, said in the language it was done in

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _act(self, action, done_text: str) -> None:  # type: ignore[no-untyped-def]
        DbOp(self.client, action, parent=self).success(
            lambda _v: set_notice(self.message, done_text, OK_COLOUR)).failure(
            lambda exc: set_notice(self.message, describe(exc), BAD_COLOUR)).run_in_background()

    def pause(self) -> None:
        reason = self.reason.text()
        self._act(lambda room: room.supervisor(self.name).pause(reason), tr("评标已中止。"))

    def resume(self) -> None:
        reason = self.reason.text()
        self._act(lambda room: room.supervisor(self.name).resume(reason), tr("已恢复评标。"))

    def record_incident(self) -> None:
        text = self.incident.text()
        self._act(lambda room: room.supervisor(self.name).incident(text), tr("情况记录已保存。"))
        self.incident.clear()

    def refresh_camera(self) -> None:
        """Ask for the recorder's newest preview now (it also comes twice a second by itself)."""
        self.preview.monitor.poll()

    def _build_letter(self) -> None:
        """Register this supervisor in the session and show the letter to sign (细则 §43)."""
        name = self.name
        self._letter_requested = True

        def shown(letter) -> None:  # type: ignore[no-untyped-def]
            view = self.client.view  # the letter says the bidder list was read: shown above it
            page = CommitmentPage(letter, bidders=bidder_names(view) if view is not None else ())
            page.signed.connect(lambda png, strokes, version: self._act(
                lambda room: room.supervisor(name).sign_letter(png, strokes, version), tr("监督人员承诺书已签署。")))
            self.letter_tab.layout().addWidget(page)
            self.letter = page
            signed = view is not None and f"supervisor {name}" in view.letters
            if self._letter_first and not signed:
                self.tabs.setCurrentIndex(self.tabs.count() - 1)  # 监督人员承诺书
            if view is not None:
                page.setEnabled(not signed)

        role = "监督人员"  # the letter's role, as the core names it (i18n: not a text)
        DbOp(self.client, lambda room: (room.supervisor(name), room.letter_for(name, role))[1],
             parent=self).success(shown).run_in_background()

    def show_view(self, view: RoomView) -> None:
        if self.letter is None and not self._letter_requested:
            self._build_letter()
        fill(self.progress, [[m.id, m.name, yes(m.checked_in), yes(m.letter),
                              (tr("申请回避（{bidders}）").format(bidders=tr("、").join(m.conflict_with))
                               if m.conflict_with else tr("申请回避"))
                              if m.conflict else yes(m.declared), yes(m.submitted)] for m in view.members])
        events = list(reversed(view.events))
        fill(self.events, [[e.time[11:19], e.who, tr(EVENT_NAMES[e.type]) if e.type in EVENT_NAMES else e.name,
                            e.summary,
                            tr("拒绝：{reason}").format(reason=one_language(e.rejected)) if e.rejected else tr("有效")]
                           for e in events], [BAD_COLOUR if e.rejected else None for e in events])
        if view.terminated:
            set_notice(self.state, tr("评标已终止。"), BAD_COLOUR)
        elif view.stage == "archived":
            set_notice(self.state, tr("会话已关闭并归档。"), OK_COLOUR)
        elif view.paused:
            set_notice(self.state, tr("评标已中止（当前环节：{stage}）。").format(stage=stage_name(view)), WARN_COLOUR)
        else:
            set_notice(self.state, tr("评标进行中：{stage}。").format(stage=stage_name(view)), OK_COLOUR)
        self.pause_button.setEnabled(not view.paused and not view.terminated)
        self.resume_button.setEnabled(view.paused)
        signed = f"supervisor {self.name}" in view.letters
        if self.letter is not None:
            self.letter.setEnabled(not signed)
