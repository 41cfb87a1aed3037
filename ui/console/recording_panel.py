"""Console: the room recording (录像监控) — the recorder's live preview, its state, the segments chained
into the session ledger, and the alarms raised and cleared (the red bar itself is above every console page)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TR_NOOP, QEvent
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from ui.common import title
from ui.i18n import one_language, tr
from ui.widgets.camera_preview import STATE_NAMES, CameraPreview, MonitorUpdate, monitor_for, sound_name

if TYPE_CHECKING:
    from app.services.recording import CameraStatus
    from ui.room_client import RoomClient


FACTS = (QT_TR_NOOP("状态"), QT_TR_NOOP("录像进程"), QT_TR_NOOP("已链入会话的片段"), QT_TR_NOOP("最后片段结束"))


class RecordingPanel(QWidget):
    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.client = client
        self.preview = CameraPreview(client, 640, 360)
        self.state = QLabel("—")
        self.process = QLabel("—")
        self.segments = QLabel("0")
        self.last_segment = QLabel("—")
        self.history = QListWidget()
        self.history.setWordWrap(True)
        self.facts = facts = QGroupBox()
        grid = QGridLayout(facts)
        self.fact_labels = [QLabel() for _ in FACTS]
        for label in (*self.fact_labels, self.state, self.process):  # an English line wraps instead of widening
            label.setWordWrap(True)
        for row, value in enumerate((self.state, self.process, self.segments, self.last_segment)):
            grid.addWidget(self.fact_labels[row], row, 0)
            grid.addWidget(value, row, 1)
        self.alarms = alarms = QGroupBox()
        QVBoxLayout(alarms).addWidget(self.history)
        side = QVBoxLayout()
        side.addWidget(facts)
        side.addWidget(alarms, 1)
        body = QHBoxLayout()
        body.addWidget(self.preview)
        body.addLayout(side, 1)
        layout = QVBoxLayout(self)
        self.heading = title("")
        layout.addWidget(self.heading)
        layout.addLayout(body, 1)
        self._logged = 0
        monitor = monitor_for(client)
        monitor.updated.connect(self.show_update)
        if monitor.last is not None:
            self.show_update(monitor.last)
        self.retranslate()

    def retranslate(self) -> None:
        self.facts.setTitle(tr("录像状态"))
        for label, text in zip(self.fact_labels, FACTS, strict=True):
            label.setText(tr(text))
        self.alarms.setTitle(tr("告警记录"))
        self.heading.setText(tr("录像监控"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def show_update(self, update: MonitorUpdate) -> None:
        status = update.status
        if status is None:
            self.state.setText(tr("本会话未启用录像"))
            return
        def state(c: CameraStatus) -> str:
            return tr(STATE_NAMES[c.state]) if c.state in STATE_NAMES else c.state

        self.state.setText(tr("；").join(f"{c.camera} {state(c)}"
                                    + (f"（{sound_name(c.sound)}）" if c.sound is not None else "")
                                    for c in status.cameras))
        how = (tr("已重新连接") if status.attached else tr("运行中")) if status.running else \
            tr("录像进程无响应") if status.process_alive else tr("未运行")
        self.process.setText(f"{how} (pid {status.pid})" if status.pid else how)
        self.segments.setText(str(status.segments))
        self.last_segment.setText(status.last_segment.replace("T", " ")[:19] + " UTC" if status.last_segment else "—")
        log = update.alarm_log
        for when, raised, text in log[self._logged:]:
            stamp = datetime.fromtimestamp(when).strftime("%H:%M:%S")
            line = tr("{time} 告警：{alarm}") if raised else tr("{time} 已恢复：{alarm}")
            self.history.insertItem(0, line.format(time=stamp, alarm=one_language(text)))
        self._logged = len(log)
