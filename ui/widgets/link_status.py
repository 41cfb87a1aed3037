"""The link of an expert's or supervisor's own PC with the room hub, in the status bar (issue 14 item 3).

Calm text from the member room's ``link()`` (``LinkStatus``: online, last_sync, pending, last_error), read on
the database thread every two seconds as a background call: never a dialog, never a wait. Offline is not an
error on this PC: scores are kept and signed here and go out when the link is back.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLabel
from shiboken6 import isValid

from ui.errors import describe
from ui.i18n import tr
from ui.ops import DbOp

if TYPE_CHECKING:
    from ui.room_client import RoomClient

POLL_MS = 2000
ONLINE, OFFLINE, IDLE = "#1b5e20", "#8a6d00", "#555555"


def clock_time(moment: Any) -> str:
    """A sync time (datetime, epoch seconds or ISO-8601 text) as the local wall-clock time ("10:02:11"; another
    day: with its date)."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, int | float):
        when = datetime.fromtimestamp(moment, UTC)
    elif isinstance(moment, datetime):
        when = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    else:
        try:
            when = datetime.fromisoformat(str(moment).replace("Z", "+00:00"))
        except ValueError:
            return str(moment)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
    local = when.astimezone()
    today = datetime.now(UTC).astimezone().date()
    return local.strftime("%H:%M:%S" if local.date() == today else "%Y-%m-%d %H:%M:%S")


def link_text(status: Any) -> tuple[str, str, str]:
    """(text, colour, tooltip) for one ``LinkStatus``-like value (None: not known yet)."""
    if status is None:
        return tr("正在连接评标室服务器…"), IDLE, ""
    pending = int(getattr(status, "pending", 0) or 0)
    last = clock_time(getattr(status, "last_sync", None))
    error = str(getattr(status, "last_error", "") or "")
    problems = [str(p) for p in getattr(status, "problems", ()) or ()]
    noted = ("\n" + tr("同步发现异常（已记录为事件）：") + tr("；").join(problems)) if problems else ""
    if getattr(status, "online", False):
        text = tr("已连接评标室服务器")
        if last:
            text += " · " + tr("最后同步 {time}").format(time=last)
        if pending:
            text += " · " + tr("待同步 {n} 条").format(n=pending)
        if problems:
            text += " · ⚠"
        return text, ONLINE, tr("评分和签名先保存在本机，再同步到评标室服务器。") + noted
    if not last and not error:  # the first exchange has not answered yet
        return tr("正在连接评标室服务器…"), IDLE, tr("评分和签名先保存在本机，再同步到评标室服务器。")
    text = tr("离线：评分保存在本机，恢复连接后自动同步（待同步 {n} 条）").format(n=pending)
    tip = [tr("本机与评标室服务器的连接中断。可以继续评审：每一步都已签名保存在本机，恢复连接后自动同步。")]
    if last:
        tip.append(tr("最后同步 {time}").format(time=last))
    if error:
        tip.append(error)
    return text, OFFLINE, "\n".join(tip) + noted


class LinkStatusLabel(QLabel):
    """Shows one ``LinkStatus`` of the member room (the permanent status-bar widget of a seat's window)."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("linkStatus")
        self.status: Any = None
        self.show_status(None)

    def show_status(self, status: Any) -> None:
        self.status = status
        text, colour, tip = link_text(status)
        self.setText(text)
        self.setToolTip(tip)
        self.setStyleSheet(f"color: {colour}; padding: 0 8px;")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.LanguageChange:
            self.show_status(self.status)
        super().changeEvent(event)


class LinkStatusPoller(QObject):
    """Asks the member room for ``link()`` every ``interval_ms`` on the database thread, one request at a time
    (a background call: the busy indicator does not count it); stops when the client closes."""

    def __init__(self, client: RoomClient, label: LinkStatusLabel, interval_ms: int = POLL_MS) -> None:
        super().__init__(label)
        self.client, self.label = client, label
        self._busy = self._stopped = False
        self._received = 0  # events the replica has taken in from the hub: more, and the pages redraw
        client.on_close.append(self.stop)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.poll)
        self.timer.start(interval_ms)
        QTimer.singleShot(0, self.poll)

    def poll(self) -> None:
        if self._busy or self._stopped:
            return
        self._busy = True

        def done(answer: tuple[Any, int]) -> None:
            self._busy = False
            status, received = answer
            if received != self._received:  # the console or another PC wrote something: show it
                self._received = received
                self.client.refresh()
            if isValid(self.label):
                self.label.show_status(status)

        def failed(exc: BaseException) -> None:  # the replica could not say: shown calmly, asked again
            self._busy = False
            if isValid(self.label):
                self.label.setToolTip(describe(exc))

        def ask(room: Any) -> tuple[Any, int]:
            node = getattr(room, "node", None)
            return room.link(), int(getattr(node, "received", 0))

        DbOp(self.client, ask).without_snapshot().polling().success(done).failure(failed).run_in_background()

    def stop(self) -> None:
        self._stopped = True
        if isValid(self.timer):
            self.timer.stop()
