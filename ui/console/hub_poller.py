"""The console's room hub, kept going from the GUI: once the room is open the hub child starts (the settings'
``hub_listen``), then every second one background exchange on the database thread (:meth:`Room.tick_hub`:
restart a dead hub, sync both ways, answer pairings). What the PCs sent redraws the pages; the hub's state
reaches the status bar and the check-in desk through ``ticked``. Nothing here runs on the network from the GUI
thread."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from shiboken6 import isValid

from ui.errors import describe
from ui.ops import DbOp
from ui.room_client import RoomClient

TICK_MS = 1000


class HubPoller(QObject):
    ticked = Signal(object)  # app.services.room_hub.HubTick, or None before the session opens
    failed = Signal(str)  # the hub could not start, in Chinese

    def __init__(self, client: RoomClient, listen: str, parent: QObject | None = None,
                 interval_ms: int = TICK_MS) -> None:
        super().__init__(parent)
        self.client, self.listen = client, listen
        self.info: dict[str, Any] | None = None  # hub_info(): its addresses and the room CA's fingerprint
        self.last: Any = None
        self._pulled = 0  # events taken in from the hub so far: more, and the pages redraw
        self._busy = self._stopped = False
        client.on_close.append(self.stop)
        client.hub_poller = self  # the check-in desk and the progress page find the hub here
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.poll)
        self.timer.start(interval_ms)
        QTimer.singleShot(0, self.poll)

    def poll(self) -> None:
        if self._busy or self._stopped:
            return
        self._busy = True
        listen = self.listen

        def tick(room: Any) -> tuple[Any, dict[str, Any] | None]:
            if room.hub is None:
                room.start_hub(listen)
            return room.tick_hub(), room.hub_info()

        def done(answer: tuple[Any, dict[str, Any] | None]) -> None:
            self._busy = False
            if not isValid(self):
                return
            self.last, self.info = answer
            result = self.last
            pulled = result.sync.pulled if result is not None and result.sync is not None else self._pulled
            if result is not None and (result.pairings or pulled != self._pulled):
                self.client.refresh()  # a PC checked in, or its events arrived: the pages redraw
            self._pulled = pulled
            self.ticked.emit(result)

        def failed(exc: BaseException) -> None:
            self._busy = False
            if isValid(self):
                self.failed.emit(describe(exc))

        DbOp(self.client, tick).without_snapshot().polling().success(done).failure(failed).run_in_background()

    def stop(self) -> None:
        self._stopped = True
        self.timer.stop()


__all__ = ["HubPoller", "TICK_MS"]
