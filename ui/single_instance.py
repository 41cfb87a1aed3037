"""One running copy per mode and data folder: a second `evalroom` in the same mode on the same data
would open the same session file twice. ``QLockFile`` (QtCore; no QtNetwork in the bundle) keeps
``DATA/locks/evalroom-MODE.lock``; a lock left by a process that died is taken over automatically."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TR_NOOP, QLockFile

from app.errors import EvalRoomError
from ui.i18n import in_english

#: what a second copy of each mode is told (``{owner}``: the process holding the lock, when known)
RUNNING = {"console": QT_TR_NOOP("主控台已在本机运行{owner}，数据目录 {folder}；请切换到已打开的窗口。"),
           "workstation": QT_TR_NOOP("专家工作站已在本机运行{owner}，数据目录 {folder}；请切换到已打开的窗口。"),
           "supervisor": QT_TR_NOOP("监督已在本机运行{owner}，数据目录 {folder}；请切换到已打开的窗口。"),
           "demo": QT_TR_NOOP("演示已在本机运行{owner}，数据目录 {folder}；请切换到已打开的窗口。")}
OTHER = QT_TR_NOOP("{mode} 已在本机运行{owner}，数据目录 {folder}；请切换到已打开的窗口。")
OWNER = QT_TR_NOOP("（进程 {pid}）")


class AlreadyRunning(EvalRoomError):
    """The mode already runs on this data folder: the message says so in Chinese, then English (it is raised
    before any language is chosen)."""

    def __init__(self, mode: str, data_folder: Path, pid: int | None) -> None:
        def say(language: Callable[[str], str]) -> str:
            owner = language(OWNER).format(pid=pid) if pid else ""
            return language(RUNNING.get(mode, OTHER)).format(mode=mode, owner=owner, folder=data_folder)

        super().__init__(f"{say(str)} / {say(in_english)}")
        self.mode, self.data_folder, self.pid = mode, data_folder, pid


def lock_path(mode: str, data_folder: Path) -> Path:
    return Path(data_folder) / "locks" / f"evalroom-{re.sub(r'[^A-Za-z0-9_-]+', '-', mode)}.lock"


def acquire(mode: str, data_folder: Path) -> QLockFile:
    """Hold the mode's lock for as long as the returned object lives (or until ``unlock()``)."""
    path = lock_path(mode, data_folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)  # never stale by age: only when its process is gone
    if lock.tryLock(0):
        return lock
    info = lock.getLockInfo()  # PySide6: (pid, hostname, appname), or a falsy value when unreadable
    pid = info[0] if isinstance(info, tuple) and info and isinstance(info[0], int) and info[0] > 0 else None
    raise AlreadyRunning(mode, Path(data_folder), pid)
