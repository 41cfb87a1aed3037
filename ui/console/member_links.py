"""Each paired PC's link as the room hub last heard it, for the console's progress page (issue 14 item 3):
online or not, when last heard, what its outbox still holds, and whom closing scoring waits for.

The hub is asked by :class:`app.services.links.LinkWatcher` on its own thread (never the GUI's or the database
thread's); every two seconds one background call on the database thread folds its rows with the session state
(:func:`~app.services.links.member_links`, :func:`~app.services.links.closing_waits`: pure) and ``updated``
carries the result to the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import isValid

from ui.i18n import tr
from ui.ops import DbOp
from ui.room_client import RoomClient

POLL_MS = 2000


@dataclass(frozen=True)
class LinkReport:
    links: dict[str, Any] = field(default_factory=dict)  # member id -> app.services.links.MemberLink
    lines: dict[str, str] = field(default_factory=dict)  # member id -> the line the progress table shows
    waits: list[str] = field(default_factory=list)  # closing_waits: who has not submitted, with the link
    error: str | None = None  # the hub could not be asked (its last error)


def short_line(link: Any) -> str:
    """A member's link in a few characters for the progress table (the hub's MemberLink; None: no PC yet)."""
    if link is None or link.last_heard is None:
        return tr("未连接")
    at = link.last_heard.astimezone().strftime("%H:%M:%S")
    waiting = " · " + tr("待同步 {n}").format(n=link.pending) if link.pending else ""
    if link.online:
        return tr("在线 {time}").format(time=at) + waiting
    return tr("离线 {time}").format(time=at) + waiting  # the time last heard


class MemberLinks(QObject):
    """One per console client (:meth:`of`); polls only while the console runs its room hub."""

    updated = Signal(object)  # LinkReport

    def __init__(self, client: RoomClient, interval_ms: int = POLL_MS) -> None:
        super().__init__(client)
        self.client = client
        self.last: LinkReport | None = None
        self._watcher: Any = None
        self._busy = self._stopped = False
        client.on_close.append(self.stop)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.poll)
        self.timer.start(interval_ms)
        QTimer.singleShot(0, self.poll)

    @classmethod
    def of(cls, client: RoomClient) -> MemberLinks:
        found = getattr(client, "_member_links", None)
        if found is None or not isValid(found):
            found = cls(client)
            client._member_links = found  # type: ignore[attr-defined]
        return found  # type: ignore[no-any-return]

    def _read(self, room: Any) -> LinkReport | None:
        """On the database thread: the watcher's latest rows folded with the session state."""
        from datetime import UTC, datetime

        from app.services.links import LinkWatcher, closing_waits, member_links

        hub = getattr(room, "hub", None)
        if hub is None or not hub.alive() or room.session is None:
            return None
        state = room.state
        session = str(state.session)
        if self._watcher is None or self._watcher.session != session:
            if self._watcher is not None:
                self._watcher.stop()
            self._watcher = LinkWatcher(hub.client(room.key), session)
            self._watcher.start()
        now = datetime.now(UTC)
        links = member_links(state, self._watcher.rows(), now)
        lines = {member: link.describe(now) for member, link in links.items()}
        return LinkReport(links, lines, closing_waits(state, links, now), self._watcher.error)

    def poll(self) -> None:
        if self._busy or self._stopped:
            return
        self._busy = True

        def done(report: LinkReport | None) -> None:
            self._busy = False
            if report is not None and isValid(self):
                self.last = report
                self.updated.emit(report)

        def failed(_exc: BaseException) -> None:  # asked again at the next poll; the page keeps its last lines
            self._busy = False

        DbOp(self.client, self._read).without_snapshot().polling().success(done).failure(failed).run_in_background()

    def stop(self) -> None:
        self._stopped = True
        if isValid(self.timer):
            self.timer.stop()
        if self._watcher is not None:
            self._watcher.stop()


__all__ = ["LinkReport", "MemberLinks"]
