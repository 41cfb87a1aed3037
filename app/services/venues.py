"""Remote cross-region evaluation (远程异地评标) at the main venue's console (主场): add a remote venue (副场),
send a text to a venue, watch the venues' links through the center, and the current R-SUS-6/7 timers.

- :func:`add_venue` and :func:`send_message` append ``venue.added`` / ``venue.message`` (venue_fold.py).
- :class:`LinkWatch` polls the center's ``GET /v1/sessions/{id}/venues`` (each venue's last contact and
  link status) and turns each *change* of a remote venue's link into ``venue.link_lost`` /
  ``venue.link_restored``. It compares with the link status the ledger already holds, so every transition
  is written exactly once, also across restarts of the console and whatever the polling rate.
- :func:`timers` judges every outage at ``now`` (the wall clock of the GUI's countdown; the fold itself only
  reads event times) with the session's limits: remaining time, outcome and the rule's message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Protocol

from app.crypto.keys import KeyFileError, VerifyingKey
from app.domain.remote import Outage, judge
from app.ledger.events import SignedEvent, parse_stamp, utc_stamp
from app.ledger.state import SessionState
from app.services.session import Session


class VenueError(ValueError):
    """Bad input for a venue action; ``zh`` is shown in the GUI, the English text after it."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = f"{zh} / {en}"


class VenueSource(Protocol):
    """What LinkWatch needs of :class:`app.sync.client.CenterClient`."""

    def request(self, method: str, path: str, payload: Any = None) -> Any: ...


@dataclass(frozen=True)
class Timer:
    """One outage judged at ``now``: R-SUS-6 or R-SUS-7, the deadline, what follows, the time left."""

    venue: str
    rule: str
    start: datetime
    end: datetime | None
    deadline: datetime
    outcome: str
    remaining: timedelta
    message: str
    during: bool
    decision: dict[str, Any] | None


def add_venue(session: Session, room: str, name: str, public_key_pem: bytes, members: list[str] | None = None) -> SignedEvent:
    """Add a remote venue with its console's public key (PEM, as ``room.pub.pem``)."""
    room, name = room.strip(), name.strip()
    if not room or not name:
        raise VenueError("请填写副场编号和名称", "the venue's id and name are required")
    try:
        key = VerifyingKey.from_pem(public_key_pem)
    except (KeyFileError, ValueError) as exc:
        raise VenueError("副场主控台公钥不是有效的 PEM 公钥", f"the venue console key is not a PEM public key ({exc})") from exc
    return session.add_venue(room, name, key, members)


def send_message(session: Session, to: str, text: str) -> SignedEvent:
    """A text from the main venue to a remote venue, kept in the ledger."""
    text = text.strip()
    if not text:
        raise VenueError("消息内容不能为空", "the message is empty")
    if to not in session.state.remote.venues or to == session.state.room:
        raise VenueError(f"{to} 不是本会话的副场", f"{to} is not a remote venue of this session")
    return session.venue_message(to, text)


def timers(state: SessionState, now: datetime) -> list[Timer]:
    """Every outage of the session judged at ``now`` (the ledger's decision, if any, beside it)."""
    remote = state.remote
    start = parse_stamp(remote.scheduled_start) if remote.scheduled_start else None
    out = []
    for o in remote.outages:
        end = parse_stamp(o.end) if o.end else None
        verdict = judge(Outage(o.venue, parse_stamp(o.start), end, o.during), max(now, end or now), start, remote.limits)
        outcome, message = verdict.outcome, verdict.message
        if o.outcome != "waiting" and o.outcome != outcome:  # the ledger already decided (e.g. a stop): it stands
            outcome, message = o.outcome, o.message
        out.append(Timer(o.venue, verdict.rule, parse_stamp(o.start), end, verdict.deadline, outcome,
                         verdict.remaining if end is None else timedelta(0), message, o.during, o.decision))
    return out


class LinkWatch:
    """Turns the center's link status of the remote venues into ledger events, once per transition."""

    def __init__(self, session: Session, center: VenueSource,
                 now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.session, self.center, self.now = session, center, now

    def status(self) -> dict[str, dict[str, Any]]:
        """The center's view of each venue of this session, by room id."""
        answer = self.center.request("GET", f"/v1/sessions/{self.session.store.session_id}/venues")
        return {row["room"]: row for row in answer.get("venues", []) if isinstance(row, dict) and "room" in row}

    def poll(self) -> list[SignedEvent]:
        """One look at the center; returns the events written (none when nothing changed)."""
        rows = self.status()
        now = self.now()
        written: list[SignedEvent] = []
        state = self.session.state
        for venue in list(state.remote.venues.values()):
            row = rows.get(venue.room)
            if venue.role != "remote" or row is None:
                continue  # the center does not know this venue yet: nothing observed
            up = bool(row.get("link_up"))
            if up == venue.link_up:
                continue
            contact = row.get("last_contact")
            seen = datetime.fromtimestamp(contact, timezone.utc) if isinstance(contact, (int, float)) else now
            at = utc_stamp(min(seen, now))
            if up:
                outage = state.remote.open_outage(venue.room)
                at = max(at, outage.start) if outage else at
                written.append(self.session.link_restored(venue.room, at))
            else:
                last_end = max((o.end for o in state.remote.outages if o.venue == venue.room and o.end), default="")
                written.append(self.session.link_lost(venue.room, max(at, last_end)))
        return written
