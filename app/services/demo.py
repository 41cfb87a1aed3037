"""The demo's own data folder (`evalroom demo`, `make run`): kept under the per-user data folder, apart from
the room's sessions, so the last demo can be opened again; a new demo clears it first."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from platformdirs import user_data_dir

KEEP = ("locks",)  # the running demo's single-instance lock stays while the folder is cleared


def demo_folder() -> Path:
    """``<per-user data folder>/demo``: the demo session, its keys, recording, logs and crash reports."""
    return Path(user_data_dir("EvalRoom", "EvalRoom")) / "demo"


@dataclass(frozen=True)
class LastDemo:
    """The session a demo left in its folder: which one and when it was last written."""

    folder: Path
    session: str
    modified: datetime


def last_demo(home: Path) -> LastDemo | None:
    """The most recently written session of the demo folder ``home``, or None when it holds none."""
    found = [(path.stat().st_mtime, path) for path in Path(home).glob("sessions/*/session.sqlite") if path.is_file()]
    if not found:
        return None
    modified, path = max(found)
    for companion in (path.with_name("session.sqlite-wal"),):  # WAL mode: the last writes may be there
        if companion.is_file():
            modified = max(modified, companion.stat().st_mtime)
    return LastDemo(Path(home), path.parent.name, datetime.fromtimestamp(modified))


def clear_demo(home: Path, timeout: float = 20.0) -> None:
    """Remove the last demo from ``home`` (everything but the lock of the demo now starting). A recorder still
    recording into it (a demo that crashed) is asked to stop first, so none runs on for a deleted folder.
    OSError when something cannot be removed."""
    from app.services.recording import recorder_pid, stop_recorder

    home = Path(home)
    recordings = [folder for folder in home.glob("sessions/*/recording") if recorder_pid(folder) is not None]
    running = [folder for folder in recordings if not stop_recorder(folder, timeout)]
    if running:
        raise OSError(f"the recorder of the last demo did not stop ({running[0]})")
    if not home.is_dir():
        return
    for child in home.iterdir():
        if child.name in KEEP:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
