"""Fold handlers of remote cross-region evaluation (远程异地评标): venues, link outages with their
R-SUS-6/R-SUS-7 timers, the tenderer's R-SUS-6 decision, and messages between venues. Mixed into
:class:`app.ledger.fold.Folder`.

Events (all in the session's one ledger, synced through the center):

- ``venue.added`` (room console = 主场 only, before the evaluation starts): ``{room, name, role: "remote",
  key, members?}`` — a remote venue (副场) and its console's public key; ``members`` optionally reserves the
  seats of the members drawn to sit there. The key may then write the check-in desk events (identity,
  check-in) of the members seated at its venue, and messages (permissions.need_desk); an expert's venue is
  recorded by the first desk event that names him.
- ``venue.link_lost`` / ``venue.link_restored`` (room console): ``{venue, at}``; ``at`` is when the link
  went down / came back, never after the event itself. Whether the evaluation had started is derived from
  the session stage (permissions.EVALUATING), never taken from the body.
- ``venue.outcome`` (room console): ``{venue, rule: "R-SUS-6", decision: "evaluate" | "postpone", by,
  reason?}`` — the tenderer's decision once a failure before the start is not fixed 2 h after the
  scheduled start; ``postpone`` seals the materials and requires a new committee.
- ``venue.message`` (either venue's console): ``{to, text}`` — text between venues, kept in the ledger.

Time is the events' time only (never the wall clock): before each event is folded, every open outage
whose deadline is at or before the event's time gets its verdict; an R-SUS-7 outage past its deadline
stops the evaluation (materials sealed at every venue, a new committee; later events refused with the
rule id). Limits: the package's optional ``remote`` object (``before_start_minutes``, ``during_minutes``,
``scheduled_start``), else 2 h / 4 h (LJ Arts 20–21).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from app.domain.remote import STOP, TENDERER_DECIDES, WAITING, Limits, Outage, judge
from app.ledger import permissions as P
from app.ledger.events import TIME_PATTERN, SignedEvent, parse_stamp, utc_stamp
from app.ledger.refusal import Refused, new_key
from app.ledger.refusal import check as _check
from app.ledger.refusal import text as _text
from app.ledger.state import ROOM, VENUE, Author, OutageState, SessionState, VenueState

Tag = tuple[Any, ...]
ROOM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
BEFORE_EVALUATION = ("created", "opening", "checkin", "committee")
DECISIONS = ("evaluate", "postpone")
MAX_MESSAGE = 2000


def remote_settings(package: dict[str, Any]) -> tuple[Limits, str | None]:
    """The R-SUS-6/7 limits and the scheduled start of a package's optional ``remote`` object."""
    settings = package.get("remote", {})
    if not isinstance(settings, dict):
        raise Refused("package.remote must be an object")
    limits = {}
    for key, field in (("before_start_minutes", "before_start"), ("during_minutes", "during")):
        if key in settings:
            value = settings[key]
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise Refused(f"package.remote.{key} must be a positive whole number of minutes, not {value!r}")
            limits[field] = timedelta(minutes=value)
    start = settings.get("scheduled_start")
    stamp = None
    if start is not None:
        try:
            moment = datetime.fromisoformat(start) if isinstance(start, str) else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise Refused(f"package.remote.scheduled_start {start!r} is not an ISO-8601 time with an offset")
        stamp = utc_stamp(moment)
    return Limits(**limits), stamp


class VenueFold:
    state: SessionState

    # -- the clock: deadlines passed by an event's time --------------------------------------------
    def _venue_clock(self, ev: SignedEvent) -> set[Tag]:
        """Judge every open outage whose deadline this event's time has reached (pure: event times)."""
        remote = self.state.remote
        changed: set[Tag] = set()
        for outage in remote.outages:
            if outage.end is not None or outage.outcome != WAITING or ev.time < outage.deadline:
                continue
            if (ev.type == "venue.link_restored" and ev.body.get("venue") == outage.venue
                    and ev.author == self.state.room_author):
                continue  # the restoration itself says when the link came back: its handler judges
            self._judge(outage, ev.time)
            changed.add(("session",))
        return changed

    def _judge(self, outage: OutageState, now: str) -> None:
        remote = self.state.remote
        start = parse_stamp(remote.scheduled_start) if remote.scheduled_start else None
        end = parse_stamp(outage.end) if outage.end else None
        verdict = judge(Outage(outage.venue, parse_stamp(outage.start), end, outage.during), parse_stamp(now), start,
                        remote.limits)
        outage.rule, outage.deadline, outage.outcome, outage.message = verdict.rule, utc_stamp(verdict.deadline), \
            verdict.outcome, verdict.message
        if verdict.outcome == STOP and remote.stopped is None:
            self._stop(outage.rule, outage.venue, outage.deadline, verdict.message)

    def _stop(self, rule: str, venue: str, at: str, message: str) -> None:
        """R-SUS-6 postponed / R-SUS-7 exceeded: materials sealed at every venue, a new committee."""
        state = self.state
        state.remote.stopped = {"rule": rule, "venue": venue, "at": at, "message": message}
        state.terminated, state.paused = True, False

    # -- venues ----------------------------------------------------------------------------------
    def _venue_added(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        state, remote = self.state, self.state.remote
        _check(None if author.role == ROOM else "only the main venue's console (主场) adds a venue (DESIGN §2)")
        _check(P.need_stage(state, *BEFORE_EVALUATION))
        room, name = _text(ev.body, "room"), _text(ev.body, "name")
        if not ROOM_ID.fullmatch(room):
            raise Refused(f"body.room {room!r} may hold only letters, digits, '.', '_' and '-'")
        if ev.body.get("role") != "remote":
            raise Refused(f"body.role must be \"remote\" (副场), not {ev.body.get('role')!r}")
        if room == state.room or room in remote.venues:
            raise Refused(f"venue {room} is already part of this session")
        key = new_key(ev.body, state.authors)
        members = ev.body.get("members", [])
        if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
            raise Refused("body.members must be a list of member ids")
        for member in members:
            if member not in state.members:
                raise Refused(f"{member} is not a member of the committee")
            seat = remote.seats.get(member) or next(
                (v.room for v in remote.venues.values() if member in v.members), None)
            if seat is not None:
                raise Refused(f"{member} already sits at venue {seat}")
        if not remote.venues:
            remote.limits, remote.scheduled_start = remote_settings(state.package)
            assert state.room is not None and state.room_author is not None
            remote.venues[state.room] = VenueState(state.room, "主场", "main", state.room_author)
        remote.venues[room] = VenueState(room, name, "remote", key.key_id, ev.id, tuple(dict.fromkeys(members)))
        state.authors[key.key_id] = Author(key.key_id, key, VENUE, f"venue {room}", venue=room)
        return {("session",), ("author", key.key_id)}

    def _seat(self, author: Author, member: str) -> None:
        """The first desk event naming a member records the venue he sits at."""
        venue = author.venue if author.role == VENUE else self.state.room
        assert venue is not None
        self.state.remote.seats.setdefault(member, venue)

    def _remote_venue(self, body: dict[str, Any]) -> VenueState:
        venue = _text(body, "venue")
        found = self.state.remote.venues.get(venue)
        if found is None or found.role != "remote":
            raise Refused(f"{venue} is not a remote venue of this session")
        return found

    def _moment(self, ev: SignedEvent, key: str) -> str:
        value = ev.body.get(key)
        if not isinstance(value, str) or not TIME_PATTERN.fullmatch(value):
            raise Refused(f"body.{key} is not a UTC time YYYY-MM-DDTHH:MM:SS.ffffffZ")
        if value > ev.time:
            raise Refused(f"body.{key} {value} is after the event itself ({ev.time})")
        return value

    # -- link status (observed by the main venue's console) --------------------------------------
    def _link_lost(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        state, remote = self.state, self.state.remote
        _check(None if author.role == ROOM else "only the main venue's console (主场) records link status (DESIGN §2)")
        venue = self._remote_venue(ev.body)
        at = self._moment(ev, "at")
        if remote.open_outage(venue.room) is not None:
            raise Refused(f"the link of venue {venue.room} is already down")
        last = max((o.end for o in remote.outages if o.venue == venue.room and o.end), default="")
        if at < last:
            raise Refused(f"body.at {at} is before the link of venue {venue.room} was restored ({last})")
        during = state.stage in P.EVALUATING
        outage = OutageState(venue.room, at, during, ev.id, "", "", WAITING, "")
        remote.outages.append(outage)
        venue.link_up = False
        self._judge(outage, ev.time)
        return {("session",)}

    def _link_restored(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        remote = self.state.remote
        _check(None if author.role == ROOM else "only the main venue's console (主场) records link status (DESIGN §2)")
        venue = self._remote_venue(ev.body)
        at = self._moment(ev, "at")
        outage = remote.open_outage(venue.room)
        if outage is None:
            raise Refused(f"the link of venue {venue.room} is not down")
        if at < outage.start:
            raise Refused(f"body.at {at} is before the link went down ({outage.start})")
        outage.end, outage.restored_event = at, ev.id
        venue.link_up = True
        if outage.outcome == WAITING:  # once a deadline passed, a late restoration does not undo its verdict
            self._judge(outage, ev.time)
        return {("session",)}

    def _outcome(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        """R-SUS-6: not fixed 2 h after the scheduled start → the tenderer decides; record the decision."""
        assert author is not None
        remote = self.state.remote
        _check(None if author.role == ROOM
               else "only the main venue's console (主场) records the tenderer's decision (DESIGN §2)")
        venue = self._remote_venue(ev.body)
        rule = ev.body.get("rule")
        if rule != "R-SUS-6":
            raise Refused(f"body.rule must be R-SUS-6: only a failure before the start needs the tenderer's decision "
                          f"(R-SUS-7 decides by itself), not {rule!r}")
        decision = ev.body.get("decision")
        if decision not in DECISIONS:
            raise Refused(f"body.decision must be {' or '.join(DECISIONS)}, not {decision!r}")
        by = _text(ev.body, "by")
        reason = ev.body.get("reason", "")
        if not isinstance(reason, str):
            raise Refused("body.reason must be a string")
        candidates = [o for o in remote.outages if o.venue == venue.room and o.rule == "R-SUS-6" and o.decision is None]
        if not candidates:
            raise Refused(f"venue {venue.room} has no failure before the start awaiting a decision (R-SUS-6)")
        outage = candidates[-1]
        if outage.outcome != TENDERER_DECIDES:
            raise Refused(f"the tenderer decides only when the failure is not fixed by {outage.deadline} "
                          f"(2 h after the scheduled start, R-SUS-6); now: {outage.outcome}")
        outage.decision = {"event": ev.id, "time": ev.time, "decision": decision, "by": by, "reason": reason}
        if decision == "postpone":
            self._stop("R-SUS-6", venue.room, ev.time,
                       "R-SUS-6: 招标人决定推迟评标，封存资料并重新组建评标委员会 / the tenderer postponed: "
                       "materials sealed, a new committee is formed")
        return {("session",)}

    # -- messages between venues -------------------------------------------------------------------
    def _venue_message(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        state, remote = self.state, self.state.remote
        if author.role == ROOM:
            sender = state.room
        elif author.role == VENUE:
            sender = author.venue
        else:
            raise Refused("only a venue's console sends messages between venues (DESIGN §2)")
        if not remote.venues:
            raise Refused("the session has no remote venue")
        given = ev.body.get("from")
        if given is not None and given != sender:
            raise Refused(f"body.from {given!r} is not the author's venue {sender}")
        to = _text(ev.body, "to")
        if to not in remote.venues or to == sender:
            raise Refused(f"body.to {to!r} is not another venue of this session")
        text = _text(ev.body, "text").strip()
        if not text or len(text) > MAX_MESSAGE:
            raise Refused(f"body.text must hold 1 to {MAX_MESSAGE} characters")
        remote.messages.append({"event": ev.id, "time": ev.time, "from": sender, "to": to, "text": text})
        return {("session",)}
