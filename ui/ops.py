"""The one background-operation API of the GUI: run work off the GUI thread, then call back on it.

    Operation(parent, lambda: service.save(...)).success(on_saved).failure(on_error).run()

Errors not handled by ``failure`` go to the single error presenter (a dialog), so the GUI thread
never blocks on disk, camera or network and no failure is silent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

T = TypeVar("T")
log = logging.getLogger(__name__)


class _Relay(QObject):
    # values travel boxed in a list, so a None result is an ordinary element, never a bare signal argument
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn, self._relay = fn, relay

    def run(self) -> None:
        try:
            value = self._fn()
        except Exception as exc:  # delivered to the GUI thread, never swallowed
            self._relay.failed.emit([exc])
        else:
            self._relay.done.emit([value])


def present_error(parent: QWidget | None, exc: BaseException) -> None:
    """The error channel of the GUI: one clear dialog, in Chinese first."""
    log.error("operation failed: %s", exc, exc_info=exc)
    message = getattr(exc, "zh", None) or str(exc) or type(exc).__name__
    QMessageBox.warning(parent, "操作未完成 / Operation failed", message)


class Operation(Generic[T]):
    """A unit of work for the thread pool with success/failure callbacks on the GUI thread."""

    _live: set[Operation[Any]] = set()  # keeps relays alive until the job reports back

    def __init__(self, parent: QWidget | None, fn: Callable[[], T], pool: QThreadPool | None = None) -> None:
        self._parent, self._fn = parent, fn
        self._pool = pool or QThreadPool.globalInstance()
        self._on_success: Callable[[T], None] = lambda _value: None
        self._on_failure: Callable[[BaseException], None] = lambda exc: present_error(self._parent, exc)

    def success(self, callback: Callable[[T], None]) -> Operation[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Operation[T]:
        self._on_failure = callback
        return self

    def run(self) -> None:
        relay = _Relay()
        relay.done.connect(lambda box: self._finish(self._on_success, box[0]))
        relay.failed.connect(lambda box: self._finish(self._on_failure, box[0]))
        self._relay = relay
        Operation._live.add(self)
        self._job = _Job(self._fn, relay)  # held until it reports: a runnable collected early never runs
        self._job.setAutoDelete(False)
        self._pool.start(self._job)

    def _finish(self, callback: Callable[[Any], None], value: Any) -> None:
        Operation._live.discard(self)
        callback(value)
