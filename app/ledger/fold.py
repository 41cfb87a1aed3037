"""The fold: session state as a pure function of the set of valid events (DESIGN.md §2).

Order: events are folded sorted by ``(time, author, seq)``. Each feed's times never go backwards (the
verifier reports a feed whose do), so this order is a linear extension of every feed, and it is total
and independent of the order events were received or synced in: the merge of feeds is a set union.
The stamps of different machines are compared directly; the room's hub keeps workstation clocks in step
(a causal reference to the last seen room event would remove that assumption, see the issue note).

Every event either takes effect or is *rejected*: kept as evidence, listed in ``state.rejections`` with
a precise message, and without effect. :class:`Folder` applies one event at a time and returns what
changed, so the store can update its projections incrementally; :func:`fold` is the whole fold.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from app.domain.case_parse import parse_case
from app.domain.errors import CaseError
from app.ledger import permissions as P
from app.ledger.authors import binding_valid, key_from_json
from app.ledger.clock import TOLERANCE, after_mark, span
from app.ledger.committee_fold import CommitteeFold
from app.ledger.events import SignedEvent
from app.ledger.refusal import Refused, new_key
from app.ledger.refusal import check as _check
from app.ledger.refusal import text as _text
from app.ledger.report_fold import ReportFold
from app.ledger.room_fold import RoomFold
from app.ledger.screen_fold import ScreenFold
from app.ledger.state import (
    MEMBER,
    RECORDER,
    ROOM,
    SUPERVISOR,
    Author,
    CheckpointMark,
    MemberState,
    Rejection,
    SessionState,
)
from app.ledger.venue_fold import VenueFold

Tag = tuple[Any, ...]


class Folder(ReportFold, CommitteeFold, RoomFold, ScreenFold, VenueFold):
    """Applies events one by one to a :class:`SessionState`.

    ``room_author`` pins the room console's key id (from a trusted ``room.pub.pem``); without it the
    author of the first ``session.created`` is taken as the room.
    """

    def __init__(self, room_author: str | None = None) -> None:
        self.state = SessionState()
        self.room_author = room_author
        self._score_checks: dict[tuple[str, str], str | None] = {}
        self._handlers: dict[str, Callable[[SignedEvent, Author | None], set[Tag]]] = {
            "session.created": self._created,
            "stage.advanced": self._stage,
            "supervisor.registered": self._supervisor,
            "checkin": self._checkin,
            "recusal": self._recusal,
            "chair.elected": self._chair,
            "preliminary.verdict": self._verdict,
            "score.set": self._score_set,
            "score.submitted": self._submitted,
            "score.reopened": self._reopened,
            "low_price.decided": self._low_price,
            "adjustment.recorded": self._adjustment,
            "session.paused": self._paused,
            "session.resumed": self._resumed,
            "session.terminated": self._terminated,
            "recorder.registered": self._recorder,
            "recording.segment": self._recording,
            "recording.fault": self._fault,
            "recording.restored": self._recorder_log,
            "recording.source_ended": self._recorder_log,
            "recorder.started": self._recorder_log,
            "recorder.stopped": self._recorder_log,
            "report.signed": self._report_signed,
            "report.drafted": self._report_drafted,
            "report.dissent": self._report_dissent,
            "report.refused_to_sign": self._report_refused,
            "report.finalized": self._report_finalized,
            "report.locked": self._report_locked,
            "reevaluation.opened": self._reevaluation_opened,
            "time.extension_requested": self._extension_requested,
            "time.extension_decided": self._extension_decided,
            "session.archived": self._archived,
            "checkpoint": self._checkpoint,
            "opening.read": self._opening_read,
            "opening.decrypted": self._decrypted,
            "opening.decryption_failed": self._decryption_failed,
            "opening.objection": self._objection,
            "opening.confirmed": self._confirmed,
            "screen.findings": self._screened,
            "screen.decided": self._screen_decided,
            "identity.verified": self._identity,
            "letter.signed": self._letter,
            "coi.declared": self._declaration,
            "incident.recorded": self._incident,
            "supervision.signed_off": self._signed_off,
            "member.added": self._member_added,
            "low_price.explanation_requested": self._explanation_requested,
            "low_price.explanation_received": self._explanation_received,
            "venue.added": self._venue_added,
            "venue.link_lost": self._link_lost,
            "venue.link_restored": self._link_restored,
            "venue.outcome": self._outcome,
            "venue.message": self._venue_message,
            "clock.refused": self._clock_refused,
        }

    # -- driver ---------------------------------------------------------------------------------
    def apply(self, ev: SignedEvent) -> set[Tag]:
        """Fold one event; return the tags of what changed (a rejection is a change too)."""
        state = self.state
        state.applied += 1
        state.last_key = ev.order_key()
        author = state.authors.get(ev.author)
        clock: set[Tag] = set()
        try:
            handler = self._handlers.get(ev.type)
            if handler is None:
                raise Refused(f"unknown event type {ev.type!r}")
            if ev.type != "session.created":
                if not state.created:
                    raise Refused("the session has not been created yet")
                if ev.session != state.session:
                    raise Refused(f"it belongs to session {ev.session!r}, not {state.session!r}")
                if author is None:
                    raise Refused("its author is not a key registered in this session")
                if author.revoked:
                    raise Refused(f"the key of {author.label} was revoked")
                if author.role != ROOM:  # the room's own events never follow its checkpoints (its feed is monotone)
                    self._within_checkpoints(ev)  # before its time reaches any R-SUS-6/7 deadline
                clock = self._venue_clock(ev)  # R-SUS-6/7 deadlines this event's time has reached
                _check(P.session_gate(state, ev.type))
            return handler(ev, author) | clock
        except Refused as refusal:
            label = state.label(ev.author)
            message = f"event {ev.short} by {label}: {ev.type} refused: {refusal}"
            state.rejections.append(Rejection(ev.id, ev.author, ev.seq, ev.type, message))
            return {("rejection", len(state.rejections) - 1)} | clock

    def _within_checkpoints(self, ev: SignedEvent) -> None:
        """Refuse an event stamped more than the tolerance after the first checkpoint that covers it: the room
        had received it when it signed that checkpoint, so its author's clock ran ahead (app/ledger/clock.py).
        Such an event folds after that checkpoint (time order), so the checkpoint is already here."""
        marks = self.state.checkpoints
        newest = marks[-1].frontier.get(ev.author, 0) if marks else 0
        if not isinstance(newest, int) or newest < ev.seq:  # no folded checkpoint covers it (the usual case)
            return
        mark = next(m for m in marks if isinstance(m.frontier.get(ev.author), int) and m.frontier[ev.author] >= ev.seq)
        late = after_mark(ev.time, mark.time)
        if late is not None:
            raise Refused(f"its time {ev.time} is {span(late)} after checkpoint {mark.event_id[:8]} ({mark.time}), "
                          f"which already covers it: its author's clock ran ahead (tolerance {span(TOLERANCE)})")

    # -- room console ----------------------------------------------------------------------------
    def _created(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        state = self.state
        if state.created:
            raise Refused(f"the session {state.session!r} already exists")
        body = ev.body
        try:
            key = key_from_json(body.get("room_key"))
        except ValueError as exc:
            raise Refused(f"body.room_key: {exc}") from exc
        if key.key_id != ev.author:
            raise Refused("body.room_key is not the key of the event's author")
        if self.room_author is not None and ev.author != self.room_author:
            raise Refused(f"its author {ev.author[:8]} is not the trusted room key {self.room_author[:8]}")
        room = _text(body, "room")
        package = body.get("package")
        try:
            base = parse_case(package)
            assert isinstance(package, dict)  # parse_case accepted it: an object
        except CaseError as exc:
            raise Refused(f"the session package is not a valid case: {exc}") from exc
        state.session, state.room, state.room_author = ev.session, room, ev.author
        state.package, state.base_case, state.stage = package, base, "created"
        state.criteria = {c.id: c for c in base.method.criteria}
        state.bidders = frozenset(b.id for b in base.bidders)
        state.authors[ev.author] = Author(ev.author, key, ROOM, "room")
        for m in base.committee:
            state.members[m.id] = MemberState(m.id, m.name, m.role, m.chair)
        return {("session",), *{("member", m) for m in state.members}, ("author", ev.author)}

    def _stage(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        state = self.state
        _check(P.need_room(author))
        target = ev.body.get("to")
        _check(P.forward(state, target))
        _check(P.leave_stage(state))
        if target == "summary" and state.criterion_ids():
            waiting = [m.id for m in state.members.values() if not m.recused and not m.submitted]
            if waiting:
                raise Refused(f"scoring cannot close: {', '.join(waiting)} not submitted")
        state.stage = target
        if target == "opening":
            state.opening_started = ev.time  # R-OPEN-10: the decryption time limit runs from here
        return {("session",)}

    def _checkin(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        """Bind a session key to a member. A member already checked in gets a new key only by a check-in
        that names the key it replaces (``replaces``: a workstation restarted or replaced, its login code
        issued again at the desk); the old key is revoked, so one member never has two keys at once."""
        assert author is not None
        state = self.state
        member_id = _text(ev.body, "member")
        _check(P.need_desk(state, author, member_id))  # the room, or the console of the member's venue
        member = state.members.get(member_id)
        replaces = ev.body.get("replaces")
        if member is not None and member.author is not None and replaces is not None:
            if replaces != member.author:
                raise Refused(f"body.replaces is not the session key {member_id} holds now")
        else:
            _check(P.checkin_open(state, member_id))  # the check-in stage, or a reserve filling a vacancy
        if member is None:
            raise Refused(f"{member_id} is not a member of the committee")
        if member.recused:
            raise Refused(f"{member_id} has recused")
        if member.author is not None and replaces is None:
            raise Refused(f"{member_id} is already checked in")
        if member.author is None and replaces is not None:
            raise Refused(f"{member_id} is not checked in: there is no session key to replace")
        key = new_key(ev.body, state.authors)
        assert state.session is not None
        if not binding_valid(key, state.session, member_id, ev.body.get("binding")):
            raise Refused(f"the binding is not signed by {member_id}'s session key")
        tags: set[Tag] = {("member", member_id), ("author", key.key_id)}
        if member.author is not None:  # the key it replaces writes nothing more
            state.authors[member.author].revoked = True
            tags.add(("author", member.author))
        member.author = key.key_id
        member.certificate = _certificate_subject(ev.body.get("certificate"))
        state.authors[key.key_id] = Author(key.key_id, key, MEMBER, member_id, member=member_id)
        self._seat(author, member_id)
        return tags

    def _chair(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        state = self.state
        _check(P.need_room(author))
        _check(P.need_stage(state, "committee"))
        member_id = _text(ev.body, "member")
        member = state.members.get(member_id)
        if member is None or member.recused or member.author is None:
            raise Refused(f"{member_id} is not a checked-in member of the committee")
        previous = state.chair
        state.chair = member_id
        for m in state.members.values():
            m.chair = m.id == member_id
        return {("session",), ("member", member_id)} | ({("member", previous)} if previous else set())

    def _supervisor(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        return self._register(ev, author, SUPERVISOR)

    def _recorder(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        return self._register(ev, author, RECORDER)

    def _register(self, ev: SignedEvent, author: Author | None, role: str) -> set[Tag]:
        assert author is not None
        _check(P.need_room(author))
        name = _text(ev.body, "name")
        key = new_key(ev.body, self.state.authors)
        self.state.authors[key.key_id] = Author(key.key_id, key, role, f"{role} {name}")
        return {("author", key.key_id)}

    def _recording(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_recorder(author))
        self.state.recordings.append({"event": ev.id, **ev.body})
        return {("recording", len(self.state.recordings) - 1)}

    def _fault(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_recorder(author))
        self.state.faults.append({"event": ev.id, **ev.body})
        return {("fault", len(self.state.faults) - 1)}

    def _recorder_log(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_recorder(author))
        self.state.recorder_log.append({"event": ev.id, "type": ev.type, **ev.body})
        return {("recorder_log", len(self.state.recorder_log) - 1)}

    def _archived(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        state = self.state
        _check(P.need_room(author))
        if not state.terminated:
            _check(P.need_stage(state, "report"))
        state.stage = "archived"
        return {("session",)}

    def _checkpoint(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_room(author))
        body = ev.body
        size, root, frontier = body.get("size"), body.get("root"), body.get("frontier")
        if not isinstance(size, int) or not isinstance(root, str) or not isinstance(frontier, dict):
            raise Refused("body needs size, root and frontier")
        given = body.get("stage")
        stage = given if isinstance(given, str) else str(self.state.stage)
        self.state.checkpoints.append(CheckpointMark(ev.id, stage, size, root, dict(frontier), ev.time))
        return {("checkpoint", len(self.state.checkpoints) - 1)}

    # -- supervisor ------------------------------------------------------------------------------
    def _paused(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_supervisor(author, "pause the session"))
        if self.state.paused:
            raise Refused("the session is already paused")
        self.state.paused = True
        return {("session",)}

    def _resumed(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_supervisor(author, "resume the session"))
        if not self.state.paused:
            raise Refused("the session is not paused")
        self.state.paused = False
        return {("session",)}

    def _clock_refused(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        """A receiver (this author's node) refused another author's event for a time ahead of its clock: an
        incident, recorded in the receiver's own feed; it changes nothing else."""
        assert author is not None
        body = ev.body
        refused, seq, stamp = body.get("author"), body.get("seq"), body.get("time")
        whole = isinstance(seq, int) and not isinstance(seq, bool)
        if not (isinstance(refused, str) and whole and isinstance(stamp, str)):
            raise Refused("body needs author, seq and time")
        self.state.clock_refusals.append({"event": ev.id, "by": author.label, "author": refused, "seq": seq,
                                          "time": stamp, "received_at": body.get("received_at")})
        return {("session",)}

    def _terminated(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_supervisor(author, "terminate the session"))
        _text(ev.body, "reason")
        self.state.terminated = True
        self.state.paused = False
        return {("session",)}

def fold(events: Iterable[SignedEvent], room_author: str | None = None) -> SessionState:
    """The session state of a set of valid events (signatures and chains already checked)."""
    folder = Folder(room_author)
    for ev in sorted(events, key=SignedEvent.order_key):
        folder.apply(ev)
    return folder.state


def _certificate_subject(value: Any) -> str | None:
    """The subject of a check-in's recorded certificate (None: none, or one that cannot be read)."""
    if value is None:
        return None
    from app.ledger import certified

    try:
        return str(certified.parse(value)[0].subject.rfc4514_string())
    except ValueError:
        return None
