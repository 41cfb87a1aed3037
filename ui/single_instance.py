"""One running copy per mode and data folder: a second `evalroom` in the same mode on the same data
would open the same session file twice. ``QLockFile`` (QtCore; no QtNetwork in the bundle) keeps
``DATA/locks/evalroom-MODE.lock``; a lock left by a process that died is taken over automatically."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QLockFile

from app.errors import EvalRoomError

MODE_NAMES = {"console": ("主控台", "console"), "workstation": ("专家工作站", "expert workstation"),
              "supervisor": ("监督", "supervisor"), "demo": ("演示", "demo")}


class AlreadyRunning(EvalRoomError):
    """The mode already runs on this data folder: the message says so in Chinese, then English."""

    def __init__(self, mode: str, data_folder: Path, pid: int | None) -> None:
        zh, en = MODE_NAMES.get(mode, (mode, mode))
        owner = f"（进程 {pid}）" if pid else ""
        owner_en = f" (process {pid})" if pid else ""
        super().__init__(f"{zh}已在本机运行{owner}，数据目录 {data_folder}；请切换到已打开的窗口。 / "
                         f"The {en} already runs on this computer{owner_en}, data folder {data_folder}; "
                         f"switch to the open window.")
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
