"""Supervisor (监督人员): live progress (who checked in, signed, submitted), the ledger's event stream,
the recorder's live preview and its alarms, pause/resume (中止/恢复) with a reason, incident records, the
letter and the sign-off."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
    table,
    title,
    yes,
)
from ui.errors import describe
from ui.i18n import tr
from ui.ops import DbOp
from ui.room_client import RoomClient
from ui.widgets.alarm_bar import AlarmBar
from ui.widgets.camera_preview import CameraPreview

if TYPE_CHECKING:
    from app.services.room_view import RoomView

SUPERVISOR_NAME = "现场监督员"


class SupervisorPage(QWidget):
    def __init__(self, client: RoomClient, name: str = SUPERVISOR_NAME, letter_first: bool = False) -> None:
        """``letter_first``: the supervisor's own PC opens on the letter until it is signed (its first step)."""
        super().__init__()
        self.client, self.name = client, name
        self._letter_first = letter_first
        self.progress = table(["编号", "姓名", "签到", "承诺书", "回避声明", "提交评分"])
        self.events = table(["时间", "记录人", "事项", "内容", "结果"])
        self.preview = CameraPreview(client, 360, 203)  # the recorder's preview, read off the GUI thread
        self.camera = self.preview.picture
        self.alarm = AlarmBar(client)
        self.state = notice()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("中止/恢复的理由")
        self.pause_button = big_button("中止评标")
        self.resume_button = big_button("恢复评标")
        self.incident = QLineEdit()
        self.incident.setPlaceholderText("情况记录（时间、经过、处理）")
        self.incident_button = big_button("记录")
        self.sign_off_note = QLineEdit()
        self.sign_off_note.setPlaceholderText("监督意见")
        self.sign_off_button = big_button("监督签字")
        self.message = notice()
        self.letter: CommitmentPage | None = None  # built once the session is open (it names the project)
        self._letter_requested = False
        self.letter_tab = QWidget()
        QVBoxLayout(self.letter_tab)

        controls = QGroupBox("中止 / 恢复")
        grid = QGridLayout(controls)
        grid.addWidget(self.reason, 0, 0, 1, 2)
        grid.addWidget(self.pause_button, 1, 0)
        grid.addWidget(self.resume_button, 1, 1)
        records = QGroupBox("情况记录与签字")
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
        tabs.addTab(self.progress, "评审进度")
        tabs.addTab(self.events, "事件记录")
        tabs.addTab(scrolled(self.letter_tab), "监督人员承诺书")
        self.tabs = tabs
        body = QHBoxLayout()
        body.addWidget(tabs, 1)
        body.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(title("现场监督"))
        layout.addWidget(self.alarm)
        layout.addLayout(body, 1)

        self.pause_button.clicked.connect(self.pause)
        self.resume_button.clicked.connect(self.resume)
        self.incident_button.clicked.connect(self.record_incident)
        self.sign_off_button.clicked.connect(lambda: self._act(
            lambda room: room.supervisor(self.name).sign_off(self.sign_off_note.text()), "监督签字已记录。"))
        follow(self, client)

    def _act(self, action, done_text: str) -> None:  # type: ignore[no-untyped-def]
        DbOp(self.client, action, parent=self).success(
            lambda _v: set_notice(self.message, done_text, OK_COLOUR)).failure(
            lambda exc: set_notice(self.message, describe(exc), BAD_COLOUR)).run_in_background()

    def pause(self) -> None:
        reason = self.reason.text()
        self._act(lambda room: room.supervisor(self.name).pause(reason), "评标已中止。")

    def resume(self) -> None:
        reason = self.reason.text()
        self._act(lambda room: room.supervisor(self.name).resume(reason), "已恢复评标。")

    def record_incident(self) -> None:
        text = self.incident.text()
        self._act(lambda room: room.supervisor(self.name).incident(text), "情况记录已保存。")
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
                lambda room: room.supervisor(name).sign_letter(png, strokes, version), "监督人员承诺书已签署。"))
            self.letter_tab.layout().addWidget(page)
            self.letter = page
            signed = view is not None and f"supervisor {name}" in view.letters
            if self._letter_first and not signed:
                self.tabs.setCurrentIndex(self.tabs.count() - 1)  # 监督人员承诺书
            if view is not None:
                page.setEnabled(not signed)

        DbOp(self.client, lambda room: (room.supervisor(name), room.letter_for(name, "监督人员"))[1],
             parent=self).success(shown).run_in_background()

    def show_view(self, view: RoomView) -> None:
        if self.letter is None and not self._letter_requested:
            self._build_letter()
        fill(self.progress, [[m.id, m.name, yes(m.checked_in), yes(m.letter),
                              (tr("申请回避") + (f"（{'、'.join(m.conflict_with)}）" if m.conflict_with else ""))
                              if m.conflict else yes(m.declared), yes(m.submitted)] for m in view.members])
        events = list(reversed(view.events))
        fill(self.events, [[e.time[11:19], e.who, e.name, e.summary, "拒绝：" + e.rejected if e.rejected else "有效"]
                           for e in events], [BAD_COLOUR if e.rejected else None for e in events])
        if view.terminated:
            set_notice(self.state, "评标已终止。", BAD_COLOUR)
        elif view.paused:
            set_notice(self.state, f"评标已中止（当前环节：{view.stage_name}）。", WARN_COLOUR)
        else:
            set_notice(self.state, f"评标进行中：{view.stage_name}。", OK_COLOUR)
        self.pause_button.setEnabled(not view.paused and not view.terminated)
        self.resume_button.setEnabled(view.paused)
        signed = f"supervisor {self.name}" in view.letters
        if self.letter is not None:
            self.letter.setEnabled(not signed)
