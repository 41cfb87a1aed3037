"""How far ahead of a receiver's clock an event's time may be (DESIGN.md §2; the fold judges R-SUS-6/7 by event times).

An event's ``time`` is its author's clock. Times order the fold, and the remote-venue outage rules (R-SUS-6:
2 h before the start, R-SUS-7: 4 h during the evaluation) are judged by them alone, so a time far ahead would
end an evaluation that is still running, or take effect after everything else. Every receiver (the center and a
hub on push, a sync node or replica on ingest, the session file on a local append) therefore refuses an event
stamped more than :data:`TOLERANCE` after its own clock, and records the refusal as an incident. The tolerance
covers ordinary drift between the room's PCs (the room's hub keeps them in step), never minutes of outage.

The fold cannot read a clock; it holds an event against the room's checkpoints instead: a checkpoint's frontier
covers events the room had received when it signed it, so an event it covers cannot honestly be stamped more than
:data:`TOLERANCE` after the checkpoint's own time (``fold.py``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.ledger.events import parse_stamp, utc_stamp

TOLERANCE = timedelta(minutes=5)


def limit(now: datetime | None = None) -> str:
    """The latest event time a receiver whose clock reads ``now`` accepts, as a ledger stamp."""
    return utc_stamp((now or datetime.now(UTC)) + TOLERANCE)


def span(delta: timedelta) -> str:
    """A duration for people: ``72 years``, ``3 days``, ``2 h 5 min``, ``7 min``, ``40 s``."""
    seconds = int(delta.total_seconds())
    if seconds >= 730 * 86400:
        return f"{seconds // (365 * 86400)} years"
    if seconds >= 2 * 86400:
        return f"{seconds // 86400} days"
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    if seconds >= 60:
        return f"{seconds // 60} min"
    return f"{seconds} s"


def ahead(stamp: str, now: datetime, receiver: str) -> str | None:
    """Why an event stamped ``stamp`` is refused by ``receiver`` whose clock reads ``now``, or None."""
    if stamp <= limit(now):
        return None
    return (f"time {stamp} is {span(parse_stamp(stamp) - now)} ahead of {receiver}'s clock ({utc_stamp(now)}; "
            f"tolerance {span(TOLERANCE)})")


def after_mark(stamp: str, mark_time: str) -> timedelta | None:
    """How far ``stamp`` is after ``mark_time`` (a checkpoint's time), when that is more than the tolerance."""
    try:
        delta = parse_stamp(stamp) - parse_stamp(mark_time)
    except ValueError:
        return None
    return delta if delta > TOLERANCE else None
