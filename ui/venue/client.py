"""The remote console's handle on :class:`app.services.venues.VenueConsole`: every call is a
:class:`ui.ops.DbOp` on the console's one database thread (a :class:`ui.room_client.RoomClient` it holds, which
opens the console there), and joining the session retries in the background with back-off, so an unreachable
center never holds up the window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QObject, QTimer, Signal

from ui.errors import describe
from ui.i18n import tr
from ui.ops import DbOp
from ui.room_client import RoomClient

if TYPE_CHECKING:
    from app.services.venues import RemoteView, VenueConsole
    from app.settings import Settings

REFRESH_MS = 1000  # the view (check-ins, messages, link) is read again every second
RETRY_S = (2, 4, 8, 15, 30)  # joining: the waits between attempts


def reason(exc: BaseException) -> str:
    """The message a person in the room reads (in the GUI's language)."""
    return describe(exc)


class VenueClient(QObject):
    """Runs the remote console's actions on its database thread (``rooms``); ``joining`` reports the join's
    progress (a message, and whether it is a problem), ``updated`` the console's snapshot once joined."""

    joining = Signal(str, bool)
    sessions_found = Signal(list)  # several sessions name this room as a venue: the window asks which
    updated = Signal(object)  # RemoteView

    def __init__(self, chosen: Settings, passphrase: bytes | None = None, interval: float = 2.0) -> None:
        super().__init__()
        self.settings, self._passphrase, self._interval = chosen, passphrase, interval
        #: the console's database thread: it opens the VenueConsole there (its own view: no room snapshots)
        self.rooms = RoomClient(chosen.data_folder, chosen.room_id, self, opener=self._make)
        self.joined: str | None = None
        self.remote: RemoteView | None = None
        self.failures = 0
        self.next_try: float | None = None
        self._closed = False
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.attempt)
        self._refresh = QTimer(self)
        self._refresh.timeout.connect(self.poll)
        self._polling = False

    def _make(self) -> VenueConsole:
        """(the database thread) The console, opened with its key."""
        from app.services.venues import VenueConsole

        chosen = self.settings
        camera = chosen.cameras[0].source if chosen.cameras else None
        return VenueConsole(chosen.data_folder, chosen.room_id, chosen.center_url, chosen.center_cafile,
                            self._passphrase, camera, self._interval, hub_listen=chosen.hub_listen,
                            passphrase_file=chosen.key_passphrase_file, settings=chosen)

    def run(self, action: Callable[[VenueConsole], Any], done: Callable[[Any], None] | None = None,
            failed: Callable[[BaseException], None] | None = None, background: bool = False) -> None:
        """``action(console)`` as a DbOp (no room snapshot: the console has its own view)."""
        op = DbOp(self.rooms, cast("Callable[[Any], Any]", action)).without_snapshot().success(done).failure(
            failed or (lambda exc: self.joining.emit(reason(exc), True)))
        if background:
            op.polling()
        op.run_in_background()

    # -- joining ------------------------------------------------------------------------------------
    def start(self) -> None:
        """Join in the background (the first attempt at once)."""
        if self.settings.center_url is None or not str(self.settings.center_url).strip():
            self.joining.emit(tr("未配置交易中心地址（设置文件 center_url）：副场主控台须经交易中心加入主场的会话。"),
                              True)
            return
        self.joining.emit(tr("正在连接交易中心 {center} …").format(center=self.settings.center_url), False)
        self.attempt()

    def attempt(self, session: str | None = None) -> None:
        if self._closed or self.joined is not None:
            return

        def run(console: VenueConsole) -> tuple[str, Any]:
            from app.services.venues import VenueError

            if session is not None:
                console.join(session)
                return "joined", session
            try:
                found = console.discover()
            except VenueError as exc:
                local = console.local_sessions()
                if len(local) == 1:  # the center is away: work offline on this PC's replica, sync later
                    console.join(local[0])
                    return "offline", (local[0], describe(exc))
                raise
            if len(found) == 1:
                console.join(found[0])
                return "joined", found[0]
            return "choose" if found else "none", found

        self.run(run, self._attempted, self._attempt_failed, background=True)

    def _attempted(self, answer: tuple[str, Any]) -> None:
        what, value = answer
        if what in ("joined", "offline"):
            self.failures = 0
            self.joined = value if what == "joined" else value[0]
            note = "" if what == "joined" else tr("（交易中心暂不可达，先在本机副本上工作：{reason}）").format(
                reason=value[1])
            self.joining.emit(tr("已加入会话 {session}").format(session=self.joined) + note, what == "offline")
            self._refresh.start(REFRESH_MS)
            self.poll()
        elif what == "choose":
            self.sessions_found.emit(list(value))
            self.joining.emit(tr("本评标室是多个会话的副场，请选择要加入的会话。"), False)
        else:
            self._again(tr("本评标室 {room} 尚不是任何会话的副场：主场添加本副场（公钥 {key}）后自动加入。").format(
                room=self.settings.room_id, key=self.public_key))

    @property
    def public_key(self) -> Path:
        """This console's public key (written when its key is made): the main venue adds it, the center enrolls it."""
        return Path(self.settings.data_folder) / "keys" / "room.pub.pem"

    def _attempt_failed(self, exc: BaseException) -> None:
        from app.services.venues import VenueError

        refused = isinstance(exc, VenueError) and exc.key == "venue.not_enrolled"
        self._again(reason(exc) + ("\n" + tr("请交易中心登记本评标室的公钥 {key}").format(key=self.public_key)
                                   if refused else ""))

    def _again(self, message: str) -> None:
        if self._closed:
            return
        wait = RETRY_S[min(self.failures, len(RETRY_S) - 1)]
        self.failures += 1
        self.next_try = wait
        self.joining.emit(message + "\n" + tr("{n} 秒后重试").format(n=wait), True)
        self._retry.start(wait * 1000)

    # -- once joined ----------------------------------------------------------------------------------
    def poll(self) -> None:
        if self._polling or self._closed or self.joined is None:
            return
        self._polling = True

        def shown(view: RemoteView | None) -> None:
            self._polling = False
            if view is not None:
                self.remote = view
                self.updated.emit(view)

        def failed(exc: BaseException) -> None:
            self._polling = False
            self.joining.emit(reason(exc), True)

        def look(console: VenueConsole) -> RemoteView | None:
            console.tick_hub()  # this venue's hub: kept alive, synced both ways, its pairing requests answered
            return console.view()

        self.run(look, shown, failed, background=True)

    def refresh(self) -> None:  # the window's language switch redraws
        self.poll()

    def close(self) -> None:
        """Stop retrying and polling, then close the console on its database thread (one that never opened,
        its key refused, has nothing to close)."""
        self._closed = True
        self._retry.stop()
        self._refresh.stop()
        self.rooms.close()


__all__ = ["VenueClient", "reason"]
