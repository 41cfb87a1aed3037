"""Where a session's recording goes in its archive, shared by the builder and the verifier.

The recorder writes into ``recording/`` of the session folder (``sessions/<id>/recording/`` on the console):
``segments/<camera>/<camera>-<start>-<n>.ts``, and a ``recording.segment`` event's ``file`` is that path,
relative to the recording folder. The bag keeps the same layout under ``data/recording/``. bag-info.txt
states whether the segments are in the bag: they are left out only when the archive was built with
``--no-segments``, and a verifier that finds a segment missing from a bag that says ``included`` fails it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.archive.names import path_problem

RECORDING_DIR = "recording"
SEGMENTS_INFO, SEGMENTS_INCLUDED, SEGMENTS_OMITTED = "Recording-Segments", "included", "omitted"


def segment_path(item: Mapping[str, Any]) -> str | None:
    """A recording event's segment as a payload path (``recording/<file>``); None when ``file`` is no safe,
    portable relative path (absolute, ``..``, a backslash, a drive)."""
    name = item.get("file")
    if not isinstance(name, str) or not name or path_problem(f"data/{RECORDING_DIR}/{name}"):
        return None
    return f"{RECORDING_DIR}/{name}"
