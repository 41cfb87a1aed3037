"""The GUI's crash handler: an unexpected exception (in a Qt slot, on the GUI thread or any other thread)
or a fatal Qt message writes a crash report under the data folder and shows a dialog in Chinese and
English naming the report's path; then the program closes.

Recorded data is safe: every ledger append is committed and fsynced before it returns, so nothing the
room did is lost. The dialog always comes first — the program never vanishes without saying why —
except offscreen (tests, the walkthrough, CI), where it prints the path on stderr and exits at once.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QT_TR_NOOP, QObject, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from app.logs import crash_report, write_crash_report

EXIT_CRASH = 70  # EX_SOFTWARE
log = logging.getLogger("ui.crash")


def message(path: Path) -> str:
    """In the GUI's language, and in Chinese mode its English under it (whoever reads it may not read Chinese)."""
    from ui.i18n import with_english

    return with_english(QT_TR_NOOP("程序遇到意外错误，即将关闭。已记录的数据不会丢失，请重新启动。\n"
                                   "崩溃报告已保存到：\n{path}\n"), path=path)


def crash_dialog(path: Path, parent: Any = None) -> QMessageBox:
    from ui.i18n import tr

    box = QMessageBox(QMessageBox.Icon.Critical, tr("EvalRoom 评标室 — 意外错误"), message(path),
                      QMessageBox.StandardButton.Close, parent)
    from PySide6.QtCore import Qt  # here: the handler is installed before the first paint (Qt's enums: 30-40 ms)

    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the path can be copied
    box.setStyleSheet("QLabel { min-width: 560px; }")  # long paths wrap less
    return box


def _offscreen() -> bool:
    app = QApplication.instance()
    name = app.platformName() if app is not None else os.environ.get("QT_QPA_PLATFORM", "")  # type: ignore[union-attr]
    return name in ("offscreen", "minimal") or bool(os.environ.get("EVALROOM_NO_CRASH_DIALOG"))


class _Relay(QObject):
    """Carries a report's path to the GUI thread (a queued signal when the crash is on another thread)."""

    crashed = Signal(str)


class CrashHandler:
    def __init__(self, mode: str, data_folder: Path, settings: Any = None,
                 exit: Callable[[int], None] | None = None) -> None:
        self.mode, self.data_folder, self.settings = mode, Path(data_folder), settings
        self.reports: list[Path] = []
        self._exit = exit or os._exit  # after the dialog: the event loop may be the thing that broke
        self._lock = threading.Lock()
        self._relay = _Relay()
        self._relay.crashed.connect(self._show)
        self._previous: tuple[Any, Any] = (sys.excepthook, threading.excepthook)
        self._handling = False

    # -- hooks --------------------------------------------------------------------------------
    def install(self) -> CrashHandler:
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook
        qInstallMessageHandler(self._qt_message)
        return self

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous
        qInstallMessageHandler(None)

    def _sys_hook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self._previous[0](exc_type, exc, tb)
            return
        self.crash(exc_type, exc, tb, threading.current_thread().name)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        self.crash(args.exc_type, args.exc_value, args.exc_traceback, args.thread.name if args.thread else None)

    def _qt_message(self, kind: QtMsgType, context: Any, text: str) -> None:
        if kind == QtMsgType.QtFatalMsg:  # Qt aborts after this returns: report now, no dialog
            import traceback

            where = (f"{getattr(context, 'file', None) or '?'}:{getattr(context, 'line', 0)} "
                     f"{getattr(context, 'function', None) or ''}")
            extra = {"qt message": text, "qt context": where.strip(),
                     "python stack": "\n" + "".join(traceback.format_stack()[:-1]).rstrip()}
            try:
                raise RuntimeError(f"Qt fatal: {text}")
            except RuntimeError as exc:
                self.crash(RuntimeError, exc, exc.__traceback__, threading.current_thread().name, show=False,
                           extra=extra)
            return
        level = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
                 QtMsgType.QtWarningMsg: logging.WARNING,
                 QtMsgType.QtCriticalMsg: logging.ERROR}.get(kind, logging.WARNING)
        logging.getLogger("qt").log(level, "%s", text)

    # -- the crash ----------------------------------------------------------------------------
    def crash(self, exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None,
              thread: str | None = None, show: bool = True, extra: dict[str, str] | None = None) -> Path:
        with self._lock:
            text = crash_report(exc_type, exc, tb, mode=self.mode, settings=self.settings, thread=thread, extra=extra)
            path = write_crash_report(self.data_folder, text, self.mode)
            self.reports.append(path)
            first = not self._handling
            self._handling = True
        log.critical("crash: %s: %s (report %s)", exc_type.__name__, exc, path, exc_info=(exc_type, exc, tb))
        print(f"evalroom: unexpected error {exc_type.__name__}: {exc}; crash report: {path}", file=sys.stderr,
              flush=True)
        if not first:
            return path  # one dialog: a crash while the first one is shown is only reported
        if not show or _offscreen() or QApplication.instance() is None:
            self._exit(EXIT_CRASH)
            return path
        self._relay.crashed.emit(str(path))  # shown on the GUI thread
        return path

    def _show(self, path: str) -> None:
        box = crash_dialog(Path(path), QApplication.activeWindow())
        box.exec()
        self._exit(EXIT_CRASH)


def install(mode: str, data_folder: Path, settings: Any = None) -> CrashHandler:
    return CrashHandler(mode, data_folder, settings).install()
