"""The recorder's live preview and health in the GUI (issue #5 §5): one :class:`RecordingMonitor` per
room client, and :class:`CameraPreview` widgets that show it.

The monitor polls from a QTimer: twice a second it reads the recorder's status on the database thread (a
:class:`ui.ops.DbOp`, the room is touched there only), then reads and decodes the preview JPEGs on the pool (a
:class:`ui.ops.PoolOp`, never the GUI thread) into QImages (no OpenCV in the GUI); once a second it asks the
database thread to chain the recorder's new events into the session (``Room.recording_tick``), without a
snapshot unless something was chained.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TR_NOOP, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.common import BAD_COLOUR, OK_COLOUR, WARN_COLOUR
from ui.i18n import tr
from ui.ops import DbOp, PoolOp

if TYPE_CHECKING:
    from app.services.recording import CameraStatus, RecordingStatus
    from ui.room_client import RoomClient

log = logging.getLogger(__name__)

STATE_NAMES = {"starting": QT_TR_NOOP("录像启动中"), "recording": QT_TR_NOOP("录像中"),
               "fault": QT_TR_NOOP("摄像头故障"), "disk_low": QT_TR_NOOP("磁盘空间不足"),
               "ended": QT_TR_NOOP("视频源结束"), "stopped": QT_TR_NOOP("录像已停止"),
               "gone": QT_TR_NOOP("录像进程无响应")}
#: the microphone's health, shown beside the picture's for the camera whose segments carry the sound
SOUND_NAMES = {"starting": QT_TR_NOOP("声音启动中"), "recording": QT_TR_NOOP("有声音"),
               "fault": QT_TR_NOOP("无声音（麦克风故障）"), "stopped": QT_TR_NOOP("录音已停止")}
STATE_COLOURS = {"recording": OK_COLOUR, "starting": WARN_COLOUR, "stopped": WARN_COLOUR, "ended": WARN_COLOUR}


@dataclass
class MonitorUpdate:
    status: RecordingStatus | None  # None: the room records nothing (or no session yet)
    images: dict[str, QImage] = field(default_factory=dict)
    alarm_log: list[tuple[float, bool, str]] = field(default_factory=list)  # (time, raised, text)
    elsewhere: bool = False  # an expert's or supervisor's own PC: the console records, this PC shows no video


def _status(room: Any) -> MonitorUpdate:
    """(the database thread) The recorder's status and alarm log, no pictures yet."""
    if not hasattr(room, "recording"):  # an expert's or supervisor's own PC records nothing
        return MonitorUpdate(None, elsewhere=True)
    recording = room.recording
    if recording is None:
        return MonitorUpdate(None)
    return MonitorUpdate(recording.status(), alarm_log=list(recording.alarm_log))


def _pictures(update: MonitorUpdate) -> MonitorUpdate:
    """(the pool) The preview JPEGs the status names, decoded into QImages (no OpenCV in the GUI)."""
    for camera in update.status.cameras if update.status is not None else ():
        if camera.preview is None:
            continue
        try:
            data = camera.preview.read_bytes()
        except OSError:
            continue
        image = QImage.fromData(data, "JPG")
        if not image.isNull():
            update.images[camera.camera] = image
    return update


def _recording_tick(room: Any) -> RecordingStatus | None:
    """(the database thread) Chain the recorder's new events into the session; a member's own PC records nothing."""
    tick = getattr(room, "recording_tick", None)
    return tick() if tick is not None else None


class RecordingMonitor(QObject):
    """Polls the room's recorder for every preview, alarm bar and panel of one window."""

    updated = Signal(object)  # MonitorUpdate

    def __init__(self, client: RoomClient, interval_ms: int = 500) -> None:
        super().__init__(client)
        self.client = client
        self.last: MonitorUpdate | None = None
        self._reading = False
        self._ticking = False
        self._ticks = 0
        self._segments = -1
        self._closed = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.poll)
        self.timer.start(interval_ms)
        client.on_close.append(self.close)

    def poll(self) -> None:
        if self._closed or self.client.view is None:
            return  # no session yet
        self._ticks += 1
        if not self._reading:
            self._reading = True
            DbOp(self.client, _status).without_snapshot().polling().success(self._read_pictures).failure(
                self._read_failed).run_in_background()
        if self._ticks % 2 == 0 and not self._ticking:
            self._ticking = True
            DbOp(self.client, _recording_tick).without_snapshot().polling().success(self._ticked).failure(
                self._tick_failed).run_in_background()

    def _read_pictures(self, update: MonitorUpdate) -> None:
        if self._closed:
            self._reading = False
            return
        PoolOp(lambda: _pictures(update)).success(self._deliver).failure(self._read_failed).run_in_background()

    def _read_failed(self, exc: BaseException) -> None:
        self._reading = False
        log.warning("recording preview: %s", exc)

    def _deliver(self, update: MonitorUpdate) -> None:
        self._reading = False
        if not self._closed:
            self.last = update
            self.updated.emit(update)

    def _ticked(self, status: RecordingStatus | None) -> None:
        self._ticking = False
        if self._closed:
            return
        if status is not None and status.segments != self._segments:
            self._segments = status.segments
            self.client.refresh()  # the event stream shows the segments just chained

    def _tick_failed(self, exc: BaseException) -> None:
        self._ticking = False
        log.warning("chaining the recording into the session failed: %s", exc)

    def close(self) -> None:
        self._closed = True
        self.timer.stop()


def monitor_for(client: RoomClient) -> RecordingMonitor:
    """The one monitor of a room client (made on first use)."""
    monitor = getattr(client, "recording_monitor", None)
    if monitor is None:
        monitor = RecordingMonitor(client)
        client.recording_monitor = monitor  # type: ignore[attr-defined]
    return monitor


def state_line(camera: CameraStatus | None, status: RecordingStatus | None,
               elsewhere: bool = False) -> tuple[str, str]:
    """The caption under a preview and its colour."""
    if elsewhere:
        return tr("录像由主控台进行；本机不显示监控画面"), WARN_COLOUR
    if status is None or camera is None:
        return tr("本会话未启用录像"), WARN_COLOUR
    name = tr(STATE_NAMES.get(camera.state, camera.state))
    when = datetime.fromtimestamp(camera.preview_time).strftime("%H:%M:%S") if camera.preview_time else "—"
    dot = "●" if camera.state == "recording" else "■"
    colour = BAD_COLOUR if camera.alarm else STATE_COLOURS.get(camera.state, WARN_COLOUR)
    text = f"{dot} {name} · {camera.camera} · {when}"
    if camera.sound is not None:
        text += f" · {sound_name(camera.sound)}"
        if camera.sound == "fault":
            colour = BAD_COLOUR
    return text, colour


def sound_name(state: str) -> str:
    """The microphone's state as shown (Chinese first, English through tr())."""
    return tr(SOUND_NAMES.get(state, state))


class CameraPreview(QWidget):
    """One camera's preview picture with its state line, fed by the monitor."""

    def __init__(self, client: RoomClient, width: int = 360, height: int = 203, camera: str | None = None) -> None:
        super().__init__()
        self.camera_name = camera
        self.picture = QLabel(tr("（监控画面）"))
        self.picture.setFixedSize(width, height)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setStyleSheet("background: #111; color: #aaa;")
        self.caption = QLabel()
        self.caption.setStyleSheet("font-size: 14px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.picture)
        layout.addWidget(self.caption)
        layout.addStretch()
        self.monitor = monitor_for(client)
        self.monitor.updated.connect(self.show_update)
        if self.monitor.last is not None:
            self.show_update(self.monitor.last)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            if self.picture.pixmap().isNull():
                self.picture.setText(tr("（监控画面）"))
            if self.monitor.last is not None:
                self.show_update(self.monitor.last)
        super().changeEvent(event)

    def show_update(self, update: MonitorUpdate) -> None:
        status = update.status
        cameras = status.cameras if status is not None else ()
        camera = next((c for c in cameras if c.camera == self.camera_name), cameras[0] if cameras else None)
        text, colour = state_line(camera, status, update.elsewhere)
        self.caption.setText(text)
        self.caption.setStyleSheet(f"font-size: 14px; color: {colour};")
        image = update.images.get(camera.camera) if camera is not None else None
        if image is not None and self.isVisible():
            self.picture.setPixmap(QPixmap.fromImage(image).scaled(
                self.picture.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))
        elif (image is None and camera is not None and camera.state in ("gone", "stopped")
              and self.picture.pixmap().isNull()):
            self.picture.setText(tr(STATE_NAMES[camera.state]))
