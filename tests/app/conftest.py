"""The two finished rooms of the center and sync tests (``centerkit.CASES``: room-a, room-b), simulated once per run
and copied for each module or test that asks, as each used to simulate its own."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import centerkit as ck
from builtonce import built_once

ROOMS = ("room-a", "room-b")


def _build(base: Path) -> None:
    for room in ROOMS:
        ck.simulate_room(base / "plain", room)
    shutil.copytree(base / "plain", base / "archived")
    for room in ROOMS:
        ck.build_real_archive(base / "archived" / room)


@pytest.fixture(scope="session")
def finished_room(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``finished_room(parent, "room-a", archived=False)``: a copy in ``parent/room-a`` of that room's finished
    session folder (as ``centerkit.simulate_room`` writes it; ``archived``: with its real archive in ``archive``, as
    ``centerkit.build_real_archive`` adds it). The rooms are built once per run; each copy is the caller's own."""
    base, _ = built_once(tmp_path_factory, "finished-rooms", _build)

    def copy(parent: Path, room: str, archived: bool = False) -> Path:
        target = Path(parent) / room
        shutil.copytree(base / ("archived" if archived else "plain") / room, target)
        return target

    return copy
