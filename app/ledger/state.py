"""The session state: what the fold of the ledger yields (DESIGN.md §2).

Stages run forward only: created → opening → checkin → committee → preliminary → scoring → summary →
report → archived; ``paused`` and ``terminated`` are flags beside the stage. The state turns into an
:class:`app.domain.case.Case` (``to_case``), so the result always comes from the rule engine: one source
of rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.crypto.keys import VerifyingKey
from app.domain.case import Case, Criterion
from app.domain.case_parse import parse_case
from app.domain.decryption import bid_outcome, outcome_of
from app.domain.evaluate import evaluate
from app.domain.remote import Limits
from app.domain.result import Result

STAGES = ("created", "opening", "checkin", "committee", "preliminary", "scoring", "summary", "report", "archived")
RECORD_FIELDS = ("preliminary", "low_price_decisions", "adjustments", "scores", "decryption")

ROOM, SUPERVISOR, MEMBER, RECORDER = "room", "supervisor", "member", "recorder"
VENUE = "venue"  # the console of a remote venue (副场), declared by the room's venue.added (venue_fold.py)


def next_stage(stage: str) -> str | None:
    index = STAGES.index(stage)
    return STAGES[index + 1] if index + 1 < len(STAGES) else None


@dataclass
class Author:
    """A key allowed to write in this session, and the role it writes in."""

    key_id: str
    key: VerifyingKey
    role: str  # room | supervisor | member | recorder
    label: str  # "room", the member id ("E2"), "supervisor <name>" or "recorder <name>"
    member: str | None = None
    revoked: bool = False
    venue: str | None = None  # a venue console's room id


@dataclass
class MemberState:
    id: str
    name: str
    role: str  # expert | owner_rep
    chair: bool = False
    author: str | None = None  # key id of the session key bound at check-in
    recused: bool = False
    submitted: bool = False
    #: the subject of the certificate the check-in recorded (``app.ledger.certified``; checked by the console at
    #: check-in and by ``evalroom verify``, not by the fold); None: the session key alone
    certificate: str | None = None


@dataclass(frozen=True)
class Rejection:
    """An event that broke a rule: kept as evidence, without effect."""

    event_id: str
    author: str
    seq: int
    type: str
    message: str


@dataclass(frozen=True)
class CheckpointMark:
    """A checkpoint event as folded; its signature and root are checked by the verifier."""

    event_id: str
    stage: str
    size: int
    root: str  # hex
    frontier: dict[str, int]
    time: str = ""  # the checkpoint event's time: what it covers was received by then (app/ledger/clock.py)


@dataclass
class ReportState:
    """The evaluation report's life (app/ledger/report_fold.py): draft, each member's act, final, lock."""

    draft: str | None = None  # SHA-256 of the draft PDF every member signs
    draft_event: str | None = None
    checkpoint: str | None = None  # "#size root" printed in the report's footer
    images: dict[str, str] = field(default_factory=dict)  # member -> base64 PNG of the handwritten signature
    signed: dict[str, str] = field(default_factory=dict)  # member -> event id, for the current draft
    dissents: dict[str, str] = field(default_factory=dict)  # member -> reasons (R-SIG-2)
    refusals: dict[str, str] = field(default_factory=dict)  # member -> committee note (R-SIG-3)
    final: str | None = None  # SHA-256 of the final PDF (before the room's PAdES signature)
    final_bytes: int | None = None
    final_event: str | None = None
    locked: str | None = None  # reason: an error found after signing (R-SCR-2)
    history: list[dict[str, object]] = field(default_factory=list)  # earlier finals, locked, with reasons

    def acted(self, member: str) -> bool:
        return member in self.signed or member in self.refusals


@dataclass
class VenueState:
    """One venue of a remote evaluation: the main venue (主场, the room) or a remote venue (副场)."""

    room: str
    name: str
    role: str  # main | remote
    key_id: str  # the venue console's key (the room key for the main venue)
    event: str | None = None  # the venue.added event
    members: tuple[str, ...] = ()  # members drawn to sit at this venue (optional in venue.added)
    link_up: bool = True


@dataclass
class OutageState:
    """A remote venue's link outage with its R-SUS-6/7 verdict as of the last folded event."""

    venue: str
    start: str  # ledger stamp: when the link went down (body.at)
    during: bool  # the evaluation had started (derived from the session, not the body)
    lost_event: str
    rule: str  # R-SUS-6 | R-SUS-7
    deadline: str
    outcome: str  # app.domain.remote: waiting | resume | tenderer_decides | stop_new_committee
    message: str
    end: str | None = None
    restored_event: str | None = None
    decision: dict[str, Any] | None = None  # R-SUS-6: the tenderer's decision (venue.outcome)


@dataclass
class RemoteState:
    """Remote cross-region evaluation (远程异地评标): venues, seats, outages, messages, the stop."""

    venues: dict[str, VenueState] = field(default_factory=dict)  # by room id; the main venue first
    seats: dict[str, str] = field(default_factory=dict)  # member -> remote venue (absent: the main venue)
    outages: list[OutageState] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    scheduled_start: str | None = None  # ledger stamp of the scheduled evaluation start (R-SUS-6)
    stopped: dict[str, Any] | None = None  # R-SUS-6/7: materials sealed at every venue, a new committee

    def venue_of(self, member: str) -> str | None:
        """The room id of the member's venue (seated, else reserved by venue.added, else the main venue);
        None when the session has no remote venue."""
        if not self.venues:
            return None
        reserved = next((v.room for v in self.venues.values() if member in v.members), None)
        return self.seats.get(member) or reserved or next(v.room for v in self.venues.values() if v.role == "main")

    def open_outage(self, venue: str) -> OutageState | None:
        return next((o for o in self.outages if o.venue == venue and o.end is None), None)


@dataclass
class SessionState:
    session: str | None = None
    room: str | None = None
    room_author: str | None = None
    package: dict[str, Any] = field(default_factory=dict)
    base_case: Case | None = None
    criteria: dict[str, Criterion] = field(default_factory=dict)  # of the package, by id
    bidders: frozenset[str] = frozenset()
    stage: str | None = None
    paused: bool = False
    terminated: bool = False
    authors: dict[str, Author] = field(default_factory=dict)
    members: dict[str, MemberState] = field(default_factory=dict)
    chair: str | None = None
    verdicts: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    scores: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    low_price_decisions: dict[str, str] = field(default_factory=dict)
    adjustments: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    recordings: list[dict[str, Any]] = field(default_factory=list)
    faults: list[dict[str, Any]] = field(default_factory=list)
    recorder_log: list[dict[str, Any]] = field(default_factory=list)  # started/stopped/restored/source_ended
    report_signatures: dict[str, str] = field(default_factory=dict)
    report: ReportState = field(default_factory=ReportState)
    # R-SCR-6 (report_fold.py): members who said the evaluation time is insufficient, and the decisions
    extension_requests: dict[str, dict[str, Any]] = field(default_factory=dict)  # member → {time, reason}
    extensions: list[dict[str, Any]] = field(default_factory=list)
    # the room around the evaluation (room_fold.py)
    opening: dict[str, Any] | None = None  # 唱标: late bids, refusal (R-OPEN-3), objections, confirmations
    opening_started: str | None = None  # the time of stage.advanced to "opening" (the decryption time limit runs)
    # R-OPEN-10 (room_fold.py): encrypted bid file path → {bidder, ok, plaintext_sha256 | cause, outcome, ...}
    decryption: dict[str, dict[str, Any]] = field(default_factory=dict)
    identities: dict[str, dict[str, Any]] = field(default_factory=dict)  # member → check-in photo
    letters: dict[str, dict[str, Any]] = field(default_factory=dict)  # signer → commitment letter
    declarations: dict[str, dict[str, Any]] = field(default_factory=dict)  # member → COI declaration
    incidents: list[dict[str, Any]] = field(default_factory=list)
    # the collusion screen at opening and the committee's decisions (screen_fold.py): None = not screened
    screen: dict[str, Any] | None = None
    # events a receiver refused for a time ahead of its clock (clock.refused, app/ledger/clock.py)
    clock_refusals: list[dict[str, Any]] = field(default_factory=list)
    sign_offs: list[dict[str, Any]] = field(default_factory=list)
    score_comments: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # member → bidder → criterion
    # withdrawn member → reserve who took the seat
    replacements: dict[str, dict[str, Any]] = field(default_factory=dict)
    explanations: dict[str, dict[str, Any]] = field(default_factory=dict)  # bidder → abnormally-low-price explanation
    remote: RemoteState = field(default_factory=RemoteState)  # 主场/副场 (venue_fold.py)
    checkpoints: list[CheckpointMark] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    applied: int = 0
    last_key: tuple[str, str, int] | None = None  # order key of the last folded event

    @property
    def created(self) -> bool:
        return self.session is not None

    def label(self, author: str) -> str:
        known = self.authors.get(author)
        return known.label if known else f"unknown key {author[:8]}"

    def criterion_ids(self) -> list[str]:
        return list(self.criteria)

    def case_document(self) -> dict[str, Any]:
        """The `evalroom-case/1` document of the folded session: the package plus what was recorded.

        Only submitted score sheets count: an unsubmitted sheet is a draft, and the rule engine then
        reports its scores as missing. The committee keeps the package's order; a recused member leaves
        it; the elected chair (if any) replaces the package's chair flags.
        """
        if not self.created:
            raise ValueError("the ledger has no session.created event")
        document = {k: v for k, v in self.package.items() if k not in RECORD_FIELDS}
        committee = []
        for item in self.package.get("committee", []):
            member = self.members.get(item.get("id"))
            while member is not None and member.recused and member.id in self.replacements:
                item = self.replacements[member.id]  # the reserve drawn in the same way takes the seat (L2 Art 46)
                member = self.members.get(item["id"])  # (and the next reserve, if that one withdrew too)
            if member is None or member.recused:
                continue
            entry = dict(item)
            if self.chair is not None:
                entry["chair"] = member.id == self.chair
            committee.append(entry)
        document["committee"] = committee
        present = {m["id"] for m in committee}
        document["preliminary"] = {m: dict(v) for m, v in self.verdicts.items() if m in present and v}
        document["low_price_decisions"] = dict(self.low_price_decisions)
        document["adjustments"] = {b: list(v) for b, v in self.adjustments.items()}
        failures = self.decryption_failures()
        if failures:
            document["decryption"] = failures
        document["scores"] = {
            m: {b: dict(c) for b, c in sheet.items()}
            for m, sheet in self.scores.items()
            if m in present and self.members[m].submitted
        }
        return document

    def decryption_failures(self) -> dict[str, dict[str, str]]:
        """R-OPEN-10: bidder → {"outcome", "cause"} of every bid excluded at the decryption (the ``decryption``
        record of the case document); a bid with several failed files is withdrawn if any failed for a cause not
        the bidder's, else revoked, and shows the first cause of that outcome."""
        causes: dict[str, list[str]] = {}
        for entry in self.decryption.values():
            if not entry["ok"]:
                causes.setdefault(entry["bidder"], []).append(entry["cause"])
        out = {}
        for bidder, listed in causes.items():
            outcome = bid_outcome(listed)
            out[bidder] = {"outcome": outcome, "cause": next(c for c in listed if outcome_of(c) == outcome)}
        return out

    def decrypted(self) -> dict[str, str]:
        """Encrypted bid file path → the SHA-256 of its plaintext, for every file decrypted at opening."""
        return {path: e["plaintext_sha256"] for path, e in self.decryption.items() if e["ok"]}

    def to_case(self) -> Case:
        return parse_case(self.case_document())

    def result(self) -> Result:
        """The rule engine applied to the folded state."""
        return evaluate(self.to_case())
