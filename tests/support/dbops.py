"""Waiting in a test for a database operation's answer: a :class:`ui.ops.DbOp` and ``qtbot.waitUntil`` (the GUI
thread keeps running its event loop; nothing in ui/ waits)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from ui.ops import DbOp
from ui.room_client import RoomClient

T = TypeVar("T")


def ask(qtbot: Any, client: RoomClient, action: Callable[[Any], T], timeout: int = 30_000) -> T:
    """``action(room)`` on the client's database thread; its value, or its error raised here."""
    box: dict[str, Any] = {}
    DbOp(client, action).success(lambda value: box.setdefault("value", value)).failure(
        lambda exc: box.setdefault("error", exc)).run_in_background()
    qtbot.waitUntil(lambda: bool(box), timeout=timeout)
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]
