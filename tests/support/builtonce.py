"""Expensive session fixtures built once per test run, also when pytest-xdist runs it in several workers.

Each worker is its own process with its own session fixtures; ``built_once`` lets them share one build: the
first worker to ask builds into a folder beside the workers' temporary folders (under a file lock), the
others wait for it and reuse the result. A serial run builds into its own temporary folder as before.
The folder is shared, so its users must treat it as read-only (copy it before changing anything).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str,
               build: Callable[[Path], Any]) -> tuple[Path, Any]:
    """``build(folder)`` into an empty ``folder`` once per run; returns the folder and what ``build`` returned
    (JSON-serializable, so the other workers get it too)."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.mktemp(name)
        return folder, build(folder)
    from filelock import FileLock  # a development dependency for the parallel runs only

    root = tmp_path_factory.getbasetemp().parent  # shared by the workers of this run, and by them only
    folder, done = root / f"shared-{name}", root / f"shared-{name}.json"
    with FileLock(str(root / f"shared-{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a worker that failed half-way left
            folder.mkdir()
            done.write_text(json.dumps({"result": build(folder)}), encoding="utf-8")
    return folder, json.loads(done.read_text(encoding="utf-8"))["result"]
