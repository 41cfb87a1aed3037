"""Who may write what, and when: the permission rules the fold applies (DESIGN.md §2).

Each check returns ``None`` when the event is allowed, else the reason it is refused (one phrase, quoted
in the rejection message). The rules are:

- only the room console creates the session, advances stages, registers supervisors and recorders,
  checks experts in, records the chair election, checkpoints and the archive;
- the check-in desk works during the check-in stage; after it, while the committee is formed, only for a
  reserve seated in a withdrawn member's place (withdrawals and replacements: check-in and committee);
  a member already checked in gets a new session key at any stage (until the archive) only by a check-in
  naming the key it replaces, which is then revoked;
- recording events come from the room console or a recorder key it registered;
- only a supervisor pauses, resumes or terminates;
- an expert's session key writes only its own member's verdicts, scores, submission and report signature;
  scores only while scoring is open, the session is not paused, and before its submission;
- only the chair records committee decisions (low-price decisions, adjustments, reopening a sheet);
- nothing but checkpoints after the archive; while paused nothing moves but recordings, checkpoints and
  the supervisor's own events; after a termination only recordings, checkpoints and the archive;
- remote evaluation (venue_fold.py): only the room console (主场) adds venues, records their link status
  and the tenderer's R-SUS-6 decision; a remote venue's console (副场) writes only the check-in desk
  events (identity, check-in) of the members seated at its venue, and messages between venues; the
  letters and declarations of those members are signed by their own session keys, as at the main venue;
  after an R-SUS-6/7 stop only what a termination allows, link status and messages.
"""

from __future__ import annotations

from app.ledger.state import MEMBER, RECORDER, ROOM, STAGES, SUPERVISOR, VENUE, Author, SessionState

DESIGN = "(DESIGN §2)"
ALWAYS = {"checkpoint"}
RECORDER_TYPES = {"recording.segment", "recording.fault", "recording.restored", "recording.source_ended",
                  "recorder.started", "recorder.stopped"}
SUPERVISION_TYPES = {"incident.recorded", "supervision.signed_off", "letter.signed"}
VENUE_LOG_TYPES = {"venue.link_lost", "venue.link_restored", "venue.message"}  # facts that go on whatever happens
INCIDENT_TYPES = {"clock.refused"}  # a receiver's record of what it refused: until the archive, whatever happens
WHILE_PAUSED = {"checkpoint", "session.resumed", "session.terminated", "supervisor.registered", "recorder.registered",
                *RECORDER_TYPES, *SUPERVISION_TYPES, *VENUE_LOG_TYPES, *INCIDENT_TYPES}
AFTER_TERMINATION = {"checkpoint", "session.archived", *RECORDER_TYPES, *SUPERVISION_TYPES, *INCIDENT_TYPES}
AFTER_REMOTE_STOP = {*AFTER_TERMINATION, *VENUE_LOG_TYPES}
EVALUATING = ("preliminary", "scoring", "summary", "report")  # the evaluation has started (R-SUS-6 vs R-SUS-7)
DECISION_STAGES = ("preliminary", "scoring", "summary")
# A withdrawal (回避) and the reserve who fills its seat: while the committee is formed, before the evaluation
# starts. Later the withdrawn member's opinions would be void and the new member would re-evaluate (R-SUS-1),
# which stages that only go forward cannot do: the session is stopped and a committee re-formed (R-SUS-2).
SEATING_STAGES = ("checkin", "committee")


def session_gate(state: SessionState, event_type: str) -> str | None:
    """The rules that depend only on the session's life: archived, terminated, paused."""
    if event_type in ALWAYS:
        return None
    if state.stage == "archived":
        return "the session is archived"
    stop = state.remote.stopped
    if stop is not None:
        if event_type in AFTER_REMOTE_STOP:
            return None
        return (f"the evaluation was stopped under {stop['rule']} at {stop['at']} (venue {stop['venue']}): "
                f"materials sealed at every venue, a new committee must be formed")
    if state.terminated and event_type not in AFTER_TERMINATION:
        return "the session was terminated"
    if state.paused and event_type not in WHILE_PAUSED:
        return "the session is paused"
    return None


def need_room(author: Author) -> str | None:
    return None if author.role == ROOM else f"only the room console may write this {DESIGN}"


def need_desk(state: SessionState, author: Author, member: str) -> str | None:
    """The check-in desk of the member's venue: the room console, or the console of the remote venue
    the member sits at (the seat is taken by the first desk event, or reserved by venue.added)."""
    if author.role not in (ROOM, VENUE):
        return f"only the room console or a venue console may write this {DESIGN}"
    remote = state.remote
    seat = remote.seats.get(member)
    if seat is None:
        seat = next((v.room for v in remote.venues.values() if member in v.members), None)
    here = author.venue if author.role == VENUE else state.room
    if seat is not None and seat != here:
        return f"{member} sits at venue {seat}: only that venue's console checks {member} in {DESIGN}"
    return None


def need_recorder(author: Author) -> str | None:
    if author.role in (ROOM, RECORDER):
        return None
    return f"only the room console or its registered recorder may record this {DESIGN}"


def need_supervisor(author: Author, what: str) -> str | None:
    return None if author.role == SUPERVISOR else f"only a supervisor may {what} {DESIGN}"


def need_stage(state: SessionState, *stages: str) -> str | None:
    if state.stage in stages:
        return None
    wanted = " or ".join(stages)
    return f"the session is at stage {state.stage}, not {wanted}"


def checkin_open(state: SessionState, member: str) -> str | None:
    """The check-in desk (identity, check-in): open during the check-in stage; after it, while the
    committee is still formed, only for a reserve seated in a withdrawn member's place (member.added),
    so the vacancy can be filled and the session go on (R-SUS-1/2)."""
    if state.stage == "checkin":
        return None
    if state.stage in SEATING_STAGES:
        if any(seat["id"] == member for seat in state.replacements.values()):
            return None
        return (f"check-in closed with the check-in stage: at stage {state.stage} only a reserve seated in a "
                f"withdrawn member's place (member.added) checks in (R-SUS-1/2)")
    return f"the session is at stage {state.stage}: check-in is closed"


def need_member(author: Author) -> str | None:
    return None if author.role == MEMBER else f"only a committee member's session key may write this {DESIGN}"


def own_sheet(author: Author, target: object, what: str) -> str | None:
    """An expert writes only his own scores, verdicts, submission and signature."""
    if author.role != MEMBER:
        return f"only a committee member's session key may write {what} {DESIGN}"
    if target != author.member:
        shown = target if isinstance(target, str) else repr(target)
        return f"{author.member} wrote {what} for {shown}: an expert writes only his own {what} {DESIGN}"
    return None


def need_chair(state: SessionState, author: Author) -> str | None:
    if author.role == MEMBER and author.member is not None and author.member == state.chair:
        return None
    who = "no chair has been elected" if state.chair is None else f"the chair is {state.chair}"
    return f"only the chair records committee decisions ({who}) {DESIGN}"


def scoring_open(state: SessionState, member: str) -> str | None:
    """Scores only while scoring is open and before this member's submission."""
    if state.stage != "scoring":
        return f"scoring is not open (stage {state.stage})"
    if state.members[member].submitted:
        return f"{member} has already submitted the score sheet; only the chair can reopen it"
    return None


def may_evaluate(state: SessionState, member: str) -> str | None:
    """R-CHK-3 / R-COI: a member evaluates only after signing the commitment letter and declaring no
    conflict of interest; until then the member counts as absent."""
    if member not in state.letters:
        return f"{member} has not signed the commitment letter (R-CHK-3)"
    declaration = state.declarations.get(member)
    if declaration is None:
        return f"{member} has not declared conflicts of interest after seeing the bidder list (R-COI-1/2)"
    if declaration["conflict"]:
        return f"{member} declared a conflict of interest and must withdraw (R-COI-1/2)"
    return None


def leave_stage(state: SessionState) -> str | None:
    """What must be done before the current stage may end."""
    if state.stage == "committee":
        for outage in state.remote.outages:
            if outage.end is None and not (outage.decision and outage.decision["decision"] == "evaluate"):
                return (f"venue {outage.venue} has been down since {outage.start}: the start is delayed (R-SUS-6); "
                        f"after {outage.deadline} the tenderer decides whether to evaluate")
    if state.stage == "opening":
        if state.opening is None:
            return "the bids have not been read (唱标) at the opening"
        if state.opening["refused"]:
            return (f"fewer than 3 bids were received by the deadline ({state.opening['on_time']}): the opening is "
                    "refused (R-OPEN-3)")
    return None


def forward(state: SessionState, target: object) -> str | None:
    """Stages advance one step at a time; the archive has its own event."""
    if not isinstance(target, str) or target not in STAGES:
        return f"unknown stage {target!r}"
    if target == "archived":
        return "the archive is recorded by session.archived"
    assert state.stage is not None
    expected = STAGES[STAGES.index(state.stage) + 1]
    if target != expected:
        return f"stage {target} cannot follow {state.stage} (next is {expected})"
    return None


def need_room_or_chair(state: SessionState, author: Author) -> str | None:
    """The committee's note on a refusal to sign (R-SIG-3): written by the chair or the room console."""
    if author.role == ROOM or need_chair(state, author) is None:
        return None
    return f"only the chair or the room console records this {DESIGN}"


def need_room_or_supervisor(author: Author) -> str | None:
    """Locking a signed report for re-evaluation (R-SCR-2)."""
    if author.role in (ROOM, SUPERVISOR):
        return None
    return f"only the room console or a supervisor may lock the report {DESIGN}"
