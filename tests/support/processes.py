"""Processes a test run leaves behind."""

from __future__ import annotations

from pathlib import Path


def recorders_started_by(pid: int) -> list[str]:
    """The recorder processes (``python -m app record``) whose parent is ``pid`` (Linux /proc)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            status = (proc / "status").read_text()
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("PPid:")), None)
        if ppid == pid and b"record" in cmdline and b"app" in cmdline and "State:\tZ" not in status:
            found.append(f"{proc.name}: {b' '.join(cmdline).decode(errors='replace')}")
    return found
