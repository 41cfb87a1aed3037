"""Log files and crash reports under the data folder (Qt-free: the command line and the GUI share it).

``DATA/logs/evalroom-MODE.log`` — one rotating file per mode (console, workstation, supervisor, demo,
cli, center, hub, record, …): at most ``MAX_BYTES`` each, ``BACKUPS`` older files kept
(``evalroom-console.log.1`` …), so a room PC never fills its disk with logs.

``DATA/crashes/crash-MODE-TIME-PID.txt`` — what happened when the program failed unexpectedly: the
traceback, the version, the platform, and the effective settings with the passwords in URLs redacted.
"""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import os
import platform
import re
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

MAX_BYTES = 2_000_000  # ~ a week of a busy room at INFO
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(threadName)s] %(message)s"
OUR_LOGGERS = ("app", "ui", "evalroom")  # INFO from our code; third-party code only from WARNING

log = logging.getLogger("evalroom")


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("evalroom")
    except PackageNotFoundError:
        return "unknown"


def _mode_name(mode: str) -> str:
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", mode).strip("-")
    if not name:
        raise ValueError(f"not a mode name: {mode!r}")
    return name


def log_path(data_folder: Path, mode: str) -> Path:
    return Path(data_folder) / "logs" / f"evalroom-{_mode_name(mode)}.log"


class _ModeFileHandler(logging.handlers.RotatingFileHandler):
    """Ours, so a second ``setup()`` replaces it instead of adding another."""


def setup(mode: str, data_folder: Path, level: int = logging.INFO) -> Path | None:
    """Send the log records of this process to the mode's rotating file. Returns the file, or None
    when the folder cannot be written (the program runs on; logging is not worth failing for)."""
    path = log_path(data_folder, mode)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _ModeFileHandler)]:
        if Path(handler.baseFilename) == path.resolve():
            return path
        root.removeHandler(handler)
        handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = _ModeFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=False)
    except OSError as exc:
        print(f"evalroom: note: no log file ({path.parent}: {exc.strerror or exc})", file=sys.stderr)
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(level)
    root.addHandler(handler)
    for name in OUR_LOGGERS:
        if logging.getLogger(name).level in (logging.NOTSET,) or logging.getLogger(name).level > level:
            logging.getLogger(name).setLevel(level)
    log.info("EvalRoom %s started: mode %s, pid %d, %s", version(), mode, os.getpid(), " ".join(sys.argv))
    return path


def teardown() -> None:
    """Remove and close the mode's file handler (tests; a process normally keeps it to the end)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _ModeFileHandler)]:
        root.removeHandler(handler)
        handler.close()


def crash_folder(data_folder: Path) -> Path:
    return Path(data_folder) / "crashes"


def crash_report(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None, *,
                 mode: str, settings: Any = None, thread: str | None = None,
                 extra: dict[str, str] | None = None) -> str:
    """The text of a crash report. ``settings`` is an ``app.settings.Settings`` (shown redacted)."""
    now = dt.datetime.now(dt.UTC).astimezone()
    lines = [
        "EvalRoom crash report / 崩溃报告",
        f"time: {now.isoformat(timespec='seconds')}",
        f"version: EvalRoom {version()}",
        f"mode: {mode}",
        f"thread: {thread or 'main'}",
        f"python: {sys.version.split()[0]} ({platform.python_implementation()})",
        f"platform: {platform.platform()}",
        f"executable: {sys.executable}",
        f"pid: {os.getpid()}",
    ]
    for key, value in (extra or {}).items():
        lines.append(f"{key}: {value}")
    lines += ["", "traceback:", "".join(traceback.format_exception(exc_type, exc, tb)).rstrip(), ""]
    if settings is not None:
        import json

        lines.append("settings (passwords redacted):")
        for key, value in settings.redacted().items():
            lines.append(f"  {key} = {json.dumps(value, ensure_ascii=False)}    # "
                         f"{settings.sources.get(key, 'default')}")
    return "\n".join(lines) + "\n"


def write_crash_report(data_folder: Path, text: str, mode: str) -> Path:
    """Write the report durably and return its path (a second folder is tried if the data folder fails)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"crash-{_mode_name(mode)}-{stamp}-{os.getpid()}.txt"
    folders = [crash_folder(data_folder),
               Path(os.environ.get("TMPDIR", "/tmp" if os.name != "nt" else ".")) / "evalroom-crashes"]
    last: OSError | None = None
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            return path
        except OSError as exc:
            last = exc
    raise last or OSError("no folder for the crash report")


SERVICE_MODES = ("center", "hub", "record", "sync")  # the commands that run for long or talk to the center


def setup_for_command(command: str | None, data_folder: Callable[[], Path | None]) -> Path | None:
    """The log file of a command-line run: the services (center, hub, record, sync) each have their own,
    in the folder ``data_folder()`` gives (asked only for those; None: no file). One-shot commands
    (evaluate, verify, ledger, archive, …) write nothing beyond what they are asked to (``evaluate``
    writes no file at all; the evidence tools can run from read-only media): their stdout and stderr
    are the record. The GUI commands set up their own mode's file."""
    if command not in SERVICE_MODES:
        return None
    folder = data_folder()
    return None if folder is None else setup(command, folder)


__all__ = ["BACKUPS", "MAX_BYTES", "crash_folder", "crash_report", "log_path", "setup", "setup_for_command",
           "teardown", "write_crash_report", "version"]
