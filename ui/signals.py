"""SIGTERM, SIGINT and SIGHUP end a GUI in order: its Qt event loop (and any dialog's) returns, so the code
after ``exec()`` runs its orderly close (the console stops its recorder and closes the session file)
instead of the process dying where it stands and leaving the recorder running.

Python runs a signal handler only between bytecodes, and the Qt event loop runs in C++: the signal is
written to a socket (``signal.set_wakeup_fd``) that a ``QSocketNotifier`` watches, which gives Python the
turn to run the handler at once, without polling.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import sys
from typing import Any

from PySide6.QtCore import QCoreApplication, QSocketNotifier

SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP")


def end_in_order_on_signals(app: QCoreApplication) -> None:
    """Make SIGTERM/SIGINT/SIGHUP leave ``app.exec()`` with 128 + the signal's number (POSIX only)."""
    if sys.platform == "win32":  # pragma: no cover - no SIGTERM from outside on Windows
        return
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, app)

    def drain() -> None:  # the handler itself runs as soon as Python has the turn, which this gives it
        with contextlib.suppress(OSError):
            reader.recv(64)

    def handler(signum: int, _frame: Any) -> None:
        app.exit(128 + signum)  # every running event loop returns, a modal dialog's too

    notifier.activated.connect(drain)
    for name in SIGNALS:
        signal.signal(getattr(signal, name), handler)
    _KEEP.append((reader, writer, notifier))  # alive as long as the process


_KEEP: list[tuple[socket.socket, socket.socket, QSocketNotifier]] = []
