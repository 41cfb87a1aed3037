"""The red recording alarm bar of the console and supervisor screens: a camera fault, low disk, or the
recorder gone; hidden again when the recorder reports the fault restored. (The alarms are logged by
the recording service: the application log and the recording folder's ``run/alarms.log``.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel

from ui.i18n import one_language, tr
from ui.widgets.camera_preview import MonitorUpdate, monitor_for

if TYPE_CHECKING:
    from ui.room_client import RoomClient


class AlarmBar(QLabel):
    def __init__(self, client: RoomClient) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setStyleSheet("background: #b00020; color: white; font-size: 16px; font-weight: bold; padding: 8px 12px;"
                           " border-radius: 4px;")
        self.alarms: tuple[str, ...] = ()
        self.setVisible(False)
        monitor = monitor_for(client)
        monitor.updated.connect(self.show_update)
        if monitor.last is not None:
            self.show_update(monitor.last)

    def show_update(self, update: MonitorUpdate) -> None:
        alarms = update.status.alarms if update.status is not None else ()
        if alarms != self.alarms:
            self.alarms = alarms
            self.setText("⚠ " + tr("录像告警：{alarms}").format(alarms=tr("；").join(one_language(a) for a in alarms)))
        self.setVisible(bool(alarms))
