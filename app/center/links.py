"""Each paired PC's link to the room hub, for the console's progress page (issue 14: "the console shows each
workstation's link state and pending count").

A member's PC signs every request with its check-in key, so the hub knows when it last heard from each seat
(the nonce table's ``seen_at``, kept across a hub restart). The PC also says how many of its own events wait in
its outbox (``X-EvalRoom-Pending``, an unsigned, display-only figure: it decides nothing), kept here in memory.
``GET /v1/sessions/{session}/links`` lists them for the session's room (or one of its venues).
"""

from __future__ import annotations

import threading
from typing import Any

H_PENDING = "X-EvalRoom-Pending"
MAX_PENDING = 10**9


class PendingBook:
    """The last pending count each authenticated member key reported (bounded by the keys the hub knows)."""

    def __init__(self) -> None:
        self._pending: dict[str, int] = {}
        self._guard = threading.Lock()

    def report(self, who: str, header: str | None) -> None:
        if header is None or not header.isdigit() or len(header) > 10:
            return
        with self._guard:
            self._pending[who] = min(int(header), MAX_PENDING)

    def get(self, who: str) -> int | None:
        with self._guard:
            return self._pending.get(who)


def link_rows(keys: list[Any], seen: dict[str, int], pending: PendingBook, prefix: str) -> list[dict[str, Any]]:
    """``keys``: the session's declared member keys (``key_id``, ``label``); ``seen``: last request time (epoch
    seconds) by requester id."""
    rows = []
    for key in keys:
        who = prefix + key.key_id
        rows.append({"key_id": key.key_id, "label": key.label, "last_heard": seen.get(who),
                     "pending": pending.get(who)})
    return rows
