"""Forging an evaluation report for the verify tests: the real ledger, one printed figure changed."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from app.crypto.keys import VerifyingKey
from app.ledger.events import SignedEvent
from app.ledger.fold import fold
from app.ledger.state import SessionState
from app.ledger.verify import read_feed_dir, verify_events
from app.reports import report
from app.reports.context import Context


class _Altered:
    """A rule-engine result with one figure changed: what a forger would print."""

    def __init__(self, real: Any, change: Any) -> None:
        self.real, self.change = real, change

    def to_json(self) -> dict[str, Any]:
        data = copy.deepcopy(self.real.to_json())
        self.change(data)
        return data


def ledger(bag: Path) -> tuple[list[SignedEvent], SessionState]:
    located, _ = read_feed_dir(bag / "data" / "ledger")
    key = VerifyingKey.from_pem((bag / "data" / "keys" / "room.pub.pem").read_bytes())
    state = verify_events(located, key, []).state
    assert state is not None
    return sorted((ev for ev, _ in located), key=SignedEvent.order_key), state


def forged_final(bag: Path, change: Any, checkpoint: str | None = None) -> bytes:
    """The final report rendered from the real ledger but with ``change`` applied to the printed result."""
    events, state = ledger(bag)
    rep = state.report
    cut = next(i for i, ev in enumerate(events) if ev.id == rep.final_event)
    draft_cut = next(i for i, ev in enumerate(events) if ev.id == rep.draft_event)
    before = fold(events[:cut], state.room_author)
    if checkpoint is not None:
        before.report.checkpoint = checkpoint
    return report.render(Context(before, _Altered(before.result(), change), {}), events[:draft_cut], final=True)  # type: ignore[arg-type]


def raise_total(data: dict[str, Any]) -> None:
    data["bidders"][0]["total"] = "99.99"
