"""The one background-operation API of the GUI: work runs off the GUI thread, its answer comes back on it.

    DbOp(client, lambda room: room.open_bids()).success(shown).failure(refused).run_in_background()
    PoolOp(lambda: render_pages(pdf, width), lane=PDFIUM).success(show).run_in_background()

- :class:`DbOp` runs ``fn(room)`` on the room's one database thread (a :class:`DatabaseThread`, owned by the
  :class:`ui.room_client.RoomClient`; the session file has one connection), then the client publishes a fresh
  snapshot through ``client.changed`` (``.without_snapshot()``: none; ``.polling()``: a background poll the
  busy indicator does not count).
- :class:`PoolOp` runs other work — PDF rendering, preview pictures, the network, deriving a key — on a small
  shared pool, the network's lane (``lane=NETWORK``: long waits), or a :class:`Lane` of one thread for work
  that must not overlap (``PDFIUM``).
- ``success``, ``failure`` and ``with_progress`` callbacks run on the GUI thread; ``op.report(value)`` (any
  thread) hands a progress value to the progress callback. A failure with no ``failure`` callback goes to the
  one error presenter, :func:`ui.errors.present_error` (for database work, to the client's ``show_error`` when a
  test or walkthrough collects them there), so no failure is silent. Nothing waits: whoever needs the answer
  passes a callback (a test waits with ``qtbot.waitUntil``).

No other module of ui/ starts threads or executors (``tests/ui/test_background.py`` counts them).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QWidget
from shiboken6 import isValid

from ui.errors import present_error

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from typing import Self

    from app.services.room import Room
    from ui.room_client import RoomClient

T = TypeVar("T")
POOL_THREADS = 2  # quick work: preview pictures, keys; the network and PDFium have lanes of their own
NETWORK_THREADS = 4  # the network waits (a pairing up to a minute for the console), so a few


class _Relay(QObject):
    """Lives on the GUI thread: a callable emitted from any thread runs there (a queued connection)."""

    run = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.run.connect(self._call)

    @Slot(object)
    def _call(self, fn: Callable[[], None]) -> None:
        fn()


_relay: _Relay | None = None


def on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def _gui_relay() -> _Relay:
    global _relay
    if _relay is None:
        if not on_gui_thread():
            raise RuntimeError("background operations are started from the GUI thread")
        _relay = _Relay()
    return _relay


def post(fn: Callable[[], None]) -> None:
    """Run ``fn`` on the GUI thread (from any thread; after what the GUI thread is doing now)."""
    _gui_relay().run.emit(fn)


class Lane:
    """One worker thread of its own, for work that must run one at a time (PDFium is not thread-safe)."""

    def __init__(self, name: str, threads: int = 1) -> None:
        self.name, self._threads = name, threads
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(self, fn: Callable[[], Any]) -> Future[Any]:
        with self._lock:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=self._threads,
                                                    thread_name_prefix=f"evalroom-{self.name}")
            return self._executor.submit(fn)


POOL = Lane("pool", POOL_THREADS)  # PoolOp's default: preview pictures, keys
NETWORK = Lane("network", NETWORK_THREADS)  # the LAN and the center: long waits keep POOL free
PDFIUM = Lane("pdfium")  # PDFium is not thread-safe: every render on one thread


class DatabaseThread:
    """The one thread a room's database work runs on, in submission order (RoomClient holds one)."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evalroom-db", initializer=self._mark)

    def _mark(self) -> None:
        self._thread = threading.current_thread()

    def is_current(self) -> bool:
        """Called on this database thread."""
        return self._thread is not None and threading.current_thread() is self._thread

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        return self._executor.submit(fn)

    def shutdown(self, last: Callable[[], None] | None = None) -> None:
        """Run the work queued so far and then ``last`` (the room's orderly close), end the thread, and raise what
        ``last`` raised. The one wait on this thread: the window is closing."""
        closing = self._executor.submit(last) if last is not None else None
        self._executor.shutdown(wait=True)
        if closing is not None:
            closing.result()


class _Op(Generic[T]):
    """The builder both kinds share: callbacks, progress, and delivery on the GUI thread."""

    def __init__(self, parent: QWidget | None) -> None:
        self._parent = parent
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_progress: Callable[[Any], None] | None = None

    def success(self, callback: Callable[[T], None] | None) -> Self:
        """``callback(result)`` on the GUI thread once the work returned."""
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None] | None) -> Self:
        """``callback(error)`` on the GUI thread instead of the error presenter."""
        self._on_failure = callback
        return self

    def with_progress(self, callback: Callable[[Any], None]) -> Self:
        """``callback(value)`` on the GUI thread for each ``report(value)`` the work makes."""
        self._on_progress = callback
        return self

    def report(self, value: Any) -> None:
        """(any thread) A progress value for the progress callback."""
        callback = self._on_progress
        if callback is not None:
            post(lambda: callback(value))

    def finish(self, value: Any, error: BaseException | None) -> None:
        """(the GUI thread) Hand the answer to its callback, or a failure to the presenter; a parent widget
        deleted meanwhile (its page closed) gets no answer, and its failure goes to :meth:`orphaned`."""
        if self._parent is not None and not isValid(self._parent):
            self._parent = None  # its callbacks would touch the deleted widget
            if error is not None:
                self.orphaned(error)
            return
        if error is None:
            if self._on_success is not None:
                self._on_success(value)
        elif self._on_failure is not None:
            self._on_failure(error)
        else:
            self.present(error)

    def present(self, error: BaseException) -> None:
        present_error(self._parent, error)

    def orphaned(self, error: BaseException) -> None:
        """The failure of an operation whose page was closed meanwhile: shown (a database action the person
        asked for did not happen, and must not go unsaid)."""
        self.present(error)


class PoolOp(_Op[T]):
    """``fn()`` on the shared pool (or ``lane``); its answer on the GUI thread."""

    def orphaned(self, error: BaseException) -> None:
        """Pool work fetches or computes for its page (a picture, a page rendered, a hub looked for): with the
        page closed its failure answers no one, so it is logged, not put in front of the person as a dialog
        about a page they left (offscreen, that dialog would wait for ever)."""
        log.warning("the page of a background operation was closed before it failed: %s", error)

    def __init__(self, fn: Callable[[], T], *, parent: QWidget | None = None, lane: Lane = POOL) -> None:
        super().__init__(parent)
        self._fn, self._lane = fn, lane

    def run_in_background(self) -> None:
        post_answer = _gui_relay().run.emit  # made here, on the GUI thread

        def job() -> None:
            value: Any = None
            error: BaseException | None = None
            try:
                value = self._fn()
            except Exception as exc:  # delivered to the GUI thread, never swallowed
                error = exc
            post_answer(lambda: self.finish(value, error))

        self._lane.submit(job)


class DbOp(_Op[T]):
    """``fn(room)`` on ``client``'s database thread, then a snapshot; its answer on the GUI thread."""

    def __init__(self, client: RoomClient, fn: Callable[[Room], T], *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client, self.fn = client, fn
        self.snapshot, self.counted = True, True

    def without_snapshot(self) -> Self:
        """Publish no snapshot afterwards (a read, or a service with a view of its own)."""
        self.snapshot = False
        return self

    def polling(self) -> Self:
        """A background poll: the busy indicator does not count it."""
        self.counted = False
        return self

    def run_in_background(self) -> None:
        """Queue the work behind the room's earlier work; after the client closed, nothing runs."""
        _gui_relay()
        self.client.submit(self)

    def present(self, error: BaseException) -> None:
        present_error(self._parent, error, self.client.show_error)


__all__ = ["NETWORK", "PDFIUM", "POOL", "DatabaseThread", "DbOp", "Lane", "PoolOp", "on_gui_thread", "post"]
