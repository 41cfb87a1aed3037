"""Console: the room recording (录像监控) — the recorder's live preview, its state, the segments chained
into the session ledger, and the alarms raised and cleared (the red bar itself is above every console page)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget, QVBoxLayout, QWidget

from ui.common import title
from ui.i18n import tr
from ui.widgets.camera_preview import STATE_NAMES, CameraPreview, MonitorUpdate, monitor_for, sound_name

if TYPE_CHECKING:
    from ui.room_client import RoomClient


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
        facts = QGroupBox("录像状态")
        grid = QGridLayout(facts)
        for row, (name, value) in enumerate((("状态", self.state), ("录像进程", self.process),
                                             ("已链入会话的片段", self.segments), ("最后片段结束", self.last_segment))):
            grid.addWidget(QLabel(name), row, 0)
            grid.addWidget(value, row, 1)
        alarms = QGroupBox("告警记录")
        QVBoxLayout(alarms).addWidget(self.history)
        side = QVBoxLayout()
        side.addWidget(facts)
        side.addWidget(alarms, 1)
        body = QHBoxLayout()
        body.addWidget(self.preview)
        body.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title("录像监控"))
        layout.addLayout(body, 1)
        self._logged = 0
        monitor = monitor_for(client)
        monitor.updated.connect(self.show_update)
        if monitor.last is not None:
            self.show_update(monitor.last)

    def show_update(self, update: MonitorUpdate) -> None:
        status = update.status
        if status is None:
            self.state.setText(tr("本会话未启用录像"))
            return
        self.state.setText("；".join(f"{c.camera} {tr(STATE_NAMES.get(c.state, c.state))}"
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
            self.history.insertItem(0, f"{stamp} {tr('告警') if raised else tr('已恢复')}：{text}")
        self._logged = len(log)
