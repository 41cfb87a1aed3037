"""The GUI's handle on the room services: it owns the room's one database thread (the session file has one
connection), on which every :class:`ui.ops.DbOp` runs, and publishes a fresh snapshot to the GUI thread through
``changed`` after a burst of them.

Errors reach one place: ``failure`` callbacks or the one error presenter (``ui/errors.py``), so nothing fails
silently.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ui.ops import DatabaseThread, DbOp, post

if TYPE_CHECKING:  # the services load on the database thread, so the window paints first
    from app.services.recording import RecordingSettings
    from app.services.room import Room
    from app.services.room_view import RoomView

log = logging.getLogger(__name__)


def _open_room(home: Path, room_id: str, recording: RecordingSettings | bool | None, passphrase: bytes | None,
               demo: bool) -> Room:
    import dataclasses

    from app.services.recording import RecordingSettings
    from app.services.room import Room

    if recording is True:  # the default recorder: the synthetic camera when the room has none
        recording = RecordingSettings()
    if recording and demo:  # a demo's recorder ends with the demo, however it ends
        recording = dataclasses.replace(recording, ends_with_console=True)
    from app import settings

    return Room(home, room_id, passphrase=passphrase, recording=recording or None, demo=demo,
                settings=settings.current())


def _has_session(room: Any) -> bool:
    """A snapshot can be taken: the console's room has a session open (a member's replica always has one)."""
    return getattr(room, "session", room) is not None


class RoomClient(QObject):
    """Runs room actions off the GUI thread and publishes snapshots."""

    changed = Signal(object)  # RoomView

    def __init__(self, home: Path, room_id: str = "demo-room", parent: QObject | None = None,
                 recording: RecordingSettings | bool | None = None, passphrase: bytes | None = None,
                 demo: bool = False, opener: Callable[[], Any] | None = None, hub_listen: str | None = None) -> None:
        """``recording``: the session's recorder settings (True: the default, synthetic camera; None: none).
        ``passphrase``: the room key's (the start screen asks for it); ``demo``: ``evalroom demo``, whose key
        alone may be under the public demo passphrase. ``opener``: makes the room on the database thread
        instead of the console's own :class:`~app.services.room.Room` (an expert's or supervisor's PC: its
        ``MemberRoom``, with the same ``view()``, ``workstation()``, ``supervisor()`` and ``close()``).
        ``hub_listen``: the console runs the room hub on HOST:PORT (the window's :class:`ui.console.hub_poller.
        HubPoller` starts and keeps it); None: no hub (the one-window demo)."""
        super().__init__(parent)
        self.hub_listen = hub_listen
        self.hub_poller: Any = None  # ui.console.hub_poller.HubPoller, set by it when the window runs the hub
        self._opener = opener
        self._recording = recording
        self._passphrase, self._demo = passphrase, demo
        self.on_close: list[Callable[[], None]] = []  # run first by close(), e.g. the recording monitor
        self.db = DatabaseThread()
        self._home, self._room_id = home, room_id
        self._room: Future[Room] | None = None
        self.view: RoomView | None = None
        self.pending = 0
        self._queued = 0  # actions submitted and not yet started, counted under _lock by both threads
        self._lock = threading.Lock()
        self._closed = False  # after close() a late poll or delivery is dropped, never submitted
        #: where an unhandled failure's message goes instead of the presenter's dialog (None: the dialog); tests and
        #: the walkthrough collect them
        self.show_error: Callable[[QWidget | None, str], None] | None = None

    def open(self) -> None:
        """Open the room (keys, data folder) on the database thread; the first call does it."""
        if self._room is None:
            if self._opener is not None:
                self._room = self.db.submit(self._opener)
            else:
                home, room_id, recording, passphrase, demo = (self._home, self._room_id, self._recording,
                                                              self._passphrase, self._demo)
                self._room = self.db.submit(lambda: _open_room(home, room_id, recording, passphrase, demo))

    def _opened(self) -> bool:
        """(the database thread, after an action) The room is open: a room that failed to open has no snapshot."""
        future = self._room
        return future is not None and future.done() and not future.cancelled() and future.exception() is None

    def open_failed(self) -> BaseException | None:
        """Why the room could not be opened (None: open, opening, or not asked yet)."""
        future = self._room
        if future is None or not future.done() or future.cancelled():
            return None
        return future.exception()

    def retry_open(self) -> None:
        """Open the room again after a failed opening (a member's PC whose replica needs the hub once)."""
        if self.open_failed() is not None and not self._closed:
            self._room = None
            self.open()

    @property
    def room(self) -> Room:
        """The room services, on the database thread only (or once the client is closed)."""
        if not self._closed and not self.db.is_current():
            raise RuntimeError("the room is reached on its database thread only (ui.ops.DbOp)")
        self.open()
        assert self._room is not None
        return self._room.result()

    # -- operations -------------------------------------------------------------------------------
    def submit(self, op: DbOp[Any]) -> bool:
        """(``DbOp.run_in_background``) Queue ``op`` on the database thread; its answer and the snapshot taken
        after the last queued operation come back on the GUI thread. After close() (a timer or a queued
        delivery that outlived the window) nothing runs: False."""
        if self._closed:
            return False
        self.open()
        counted = op.counted
        if counted:
            self.pending += 1
            with self._lock:
                self._queued += 1

        def job() -> None:
            value: Any = None
            error: BaseException | None = None
            view: RoomView | None = None
            if counted:
                with self._lock:
                    self._queued -= 1
            try:
                value = op.fn(self.room)
            except Exception as exc:  # delivered to the GUI thread
                error = exc
            try:
                # one snapshot for a burst of actions: the last queued action publishes it
                with self._lock:
                    last = self._queued == 0
                if last and op.snapshot and self._opened() and _has_session(self.room):
                    view = self.room.view()
            except Exception as exc:  # a snapshot failure is an error too, never silent
                log.exception("snapshot failed")
                error = error or exc
            post(lambda: self._deliver(op, value, error, view))

        self.db.submit(job)
        return True

    def _deliver(self, op: DbOp[Any], value: Any, error: BaseException | None, view: RoomView | None) -> None:
        if op.counted:
            self.pending -= 1
        if view is not None:
            self.view = view
            self.changed.emit(view)
        op.finish(value, error)

    def refresh(self) -> None:
        DbOp(self, lambda room: None).run_in_background()

    def redraw(self) -> None:
        """Every page draws the snapshot it has again now (a language switch); a new one when there is none yet."""
        if self.view is not None:
            self.changed.emit(self.view)
        else:
            self.refresh()

    def close(self) -> None:
        """Stop the pollers, then close the room on its thread (an orderly close stops its recorder)."""
        if self._closed:
            return
        for stop in self.on_close:
            stop()
        self._closed = True
        self.db.shutdown(None if self._room is None else self._close_room)

    def _close_room(self) -> None:
        """(the database thread, last) Close the room; one that never opened (its key refused) has nothing to
        close."""
        if self._opened():
            self.room.close()
