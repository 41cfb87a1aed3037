"""Bid opening (开标): late bids (R-OPEN-2) and the three-bid minimum (R-OPEN-3)."""

from __future__ import annotations

from datetime import datetime

from .case import Bidder
from .result import Reason


def is_late(bidder: Bidder, deadline: datetime) -> bool:
    """R-OPEN-2: a bid received after the deadline is refused (at the deadline is on time)."""
    return bidder.submitted_at > deadline


def late_reason(bidder: Bidder, deadline: datetime) -> str:
    return (
        f"R-OPEN-2: 投标截止时间后递交，拒收 / received after the deadline "
        f"({bidder.submitted_at.isoformat()} > {deadline.isoformat()})"
    )


def opening_refusal(on_time: int, minimum: int) -> Reason | None:
    """R-OPEN-3: fewer than ``minimum`` (3) bids by the deadline → no opening, re-tender."""
    if on_time >= minimum:
        return None
    return Reason(
        "R-OPEN-3",
        f"投标截止时递交投标文件的投标人不足{minimum}家（{on_time}家），不得开标，应重新招标 / "
        f"fewer than {minimum} bids by the deadline ({on_time}): opening refused, re-tender",
    )
