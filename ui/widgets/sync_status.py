"""The console's sync status in the status bar: last sync with the center, what is still to be delivered,
and the last error (issue #7). The status is read on the database thread (``app.services.sync.ConsoleSync``,
which reads the session file's outbox through ``app.sync.worker.read_status``), never on the GUI thread;
with no center configured the widget says so."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLabel
from shiboken6 import isValid

from ui.errors import describe
from ui.i18n import tr
from ui.ops import DbOp

if TYPE_CHECKING:
    from app.services.sync import ConsoleSync, SyncStatus
    from ui.room_client import RoomClient

POLL_MS = 5000
OK, WAITING, BAD, IDLE = "#1b5e20", "#8a6d00", "#b00020", "#555555"


def _local_time(stamp: str) -> str:
    """A ledger UTC stamp as local wall-clock time (today: time only)."""
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone()
    except ValueError:
        return stamp
    today = datetime.now(UTC).astimezone().date()
    return moment.strftime("%H:%M:%S" if moment.date() == today else "%Y-%m-%d %H:%M")


def _short_error(error: str) -> str:
    """A few words for the status bar."""
    refused = re.search(r"center refused \((\d{3})\)", error)
    if refused:
        return tr("交易中心拒绝 {code}").format(code=refused.group(1))
    if "CERTIFICATE" in error.upper() or "SSL" in error:
        return tr("证书错误")
    if any(word in error for word in ("ConnectError", "Connection refused", "Timeout", "timed out", "ReadError",
                                      "RemoteProtocolError", "Unreachable")):
        return tr("无法连接交易中心")
    return tr("同步失败")


class SyncStatusLabel(QLabel):
    """Shows one :class:`~app.services.sync.SyncStatus` (or None: no center configured)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("syncStatus")
        self.status: SyncStatus | None = None
        self.configured = False
        self._known = False  # a status (or "no center") has been shown
        self._paint(tr("同步：{state}").format(state="…"), IDLE, "")

    def _paint(self, text: str, colour: str, tip: str) -> None:
        self.setText(text)
        self.setToolTip(tip)
        self.setStyleSheet(f"color: {colour}; padding: 0 8px;")

    def show_status(self, status: SyncStatus | None) -> None:
        self.status, self.configured, self._known = status, status is not None, True
        if status is None:
            self._paint(tr("同步：{state}").format(state=tr("未配置交易中心")), IDLE,
                        tr("未配置交易中心：会话只保存在本机，之后手动同步。"))
            return
        last = (tr("上次同步 {time}").format(time=_local_time(status.last_sync)) if status.last_sync
                else tr("尚未同步"))
        parts = [last, tr("待发送 {n}").format(n=status.pending)]
        tip = tr("待发送：{events} 条事件，{archives} 个归档").format(events=status.pending_events,
                                                              archives=status.pending_archives)
        if status.last_error:
            parts.append(_short_error(status.last_error))  # the whole message is in the tooltip
            tip += "\n" + tr("错误：{error}").format(error=status.last_error)
            colour = BAD
        else:
            colour = OK if status.pending == 0 else WAITING
        self._paint(tr("同步：{state}").format(state=" · ".join(parts)), colour, tip)

    def show_failure(self, message: str) -> None:
        self._paint(tr("同步：{state}").format(state=tr("状态读取失败")), BAD, message)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange and self._known:
            self.show_status(self.status)  # the language switch: draw again through the new catalogue
        super().changeEvent(event)


class SyncStatusPoller(QObject):
    """Asks the room's :class:`~app.services.sync.ConsoleSync` for its status every ``interval_ms`` on the
    database thread (a background call: the busy indicator does not count it), one request at a time."""

    def __init__(self, client: RoomClient, label: SyncStatusLabel, sync: ConsoleSync | None = None,
                 interval_ms: int = POLL_MS) -> None:
        super().__init__(label)
        if sync is None:
            from app.services.sync import ConsoleSync

            sync = ConsoleSync()
        self.client, self.label, self.sync = client, label, sync
        self._busy = self._stopped = False
        client.on_close.append(self.stop)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.poll)
        self.timer.start(interval_ms)
        QTimer.singleShot(0, self.poll)

    def poll(self) -> None:
        if self._busy or self._stopped:  # the queued first poll may fire after the console closed
            return
        self._busy = True

        def done(status: Any) -> None:
            self._busy = False
            if isValid(self.label):  # the window may have closed meanwhile
                self.label.show_status(status)

        def failed(exc: BaseException) -> None:
            self._busy = False
            if isValid(self.label):
                self.label.show_failure(describe(exc))

        DbOp(self.client, self.sync.poll).without_snapshot().polling().success(done).failure(failed).run_in_background()

    def stop(self) -> None:
        """(the console closes) no more polls; the worker ends on the database thread."""
        self._stopped = True
        self.timer.stop()
        DbOp(self.client, lambda _room: self.sync.stop()).without_snapshot().polling().run_in_background()
