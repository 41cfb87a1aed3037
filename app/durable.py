"""Durability helpers shared by the ledger export, the recorder and the key files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable (POSIX; a no-op elsewhere)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` so a reader sees the old or the new content, never half of it."""
    temp = path.with_name(path.name + ".tmp")
    temp.write_bytes(data)
    os.replace(temp, path)


def private_folder(folder: Path) -> Path:
    """Create ``folder`` (mode 0700); a ``keys/`` folder that exists already is made 0700 too (POSIX)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix" and folder.name == "keys" and folder.stat().st_mode & 0o077:
        os.chmod(folder, 0o700)
    return folder


def write_private(path: Path, data: bytes) -> None:
    """Write a key file (or a secret) readable by its owner only (0600), atomically: a temporary file in the
    same folder, fsynced, renamed over the old one, then the folder fsynced. A reader sees the old or the
    new file, never a part; a crash leaves at most a stray ``.NAME.*.tmp``."""
    folder = private_folder(path.parent)
    fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    fsync_dir(folder)
