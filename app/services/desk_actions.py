"""What an expert's and a supervisor's seat does, whichever PC it sits at: the console's one-window room
(:class:`app.services.room.Workstation`, :class:`app.services.room.SupervisorDesk`) and a member's own PC on its
replica of the session (:mod:`app.services.member_room`) share these actions and their checks.

A seat holds its member's own key and signs every action with it; where the events go is its host's business
(:class:`SeatHost`: the room console's :class:`~app.services.room.Room`, a PC's
:class:`~app.services.member_room.MemberRoom`): the session it appends to, the lock its other writers hold (a
replica's sync node), the letter's text, where media are kept, the report desk.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from app.crypto.keys import SigningKey
from app.domain.case import Member
from app.domain.committee import check_composition, check_make_up
from app.domain.profiles import profile_for
from app.domain.result import Reason
from app.errors import Bilingual
from app.ledger.state import SessionState
from app.services.session import Session
from app.services.templates import FilledTemplate

if TYPE_CHECKING:
    from app.services.report import ReportDesk  # loaded on first use: reportlab
    from app.services.room_view import RoomView

T = TypeVar("T")

# R-COI-1/2 grounds that are relations with a bidder: a declaration on one of them names the bidder(s)
BIDDER_GROUNDS = ("near_relative", "employment", "director", "shareholder", "interest")


class DeskError(Bilingual):
    """A check-in desk or workstation action that cannot be done; ``zh`` is shown to the room."""


def desk(action: Callable[[], T]) -> T:
    """``action()``, a report desk's refusal turned into a :class:`DeskError`."""
    from app.services.report import ReportDeskError

    try:
        return action()
    except ReportDeskError as exc:
        raise DeskError.recast(exc) from exc


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def media_path(folder: Path, name: str, digest: str) -> Path:
    """Where :func:`save_media` keeps a medium: ``NAME-<sha256[:12]>.SUFFIX`` in the session's media folder."""
    return folder / f"{name}-{digest[:12]}{Path(name).suffix or ''}"


def save_media(folder: Path, name: str, data: bytes) -> str:
    """Keep ``data`` in the session's media folder (:func:`media_path`); returns its SHA-256."""
    digest = sha256(data)
    folder.mkdir(parents=True, exist_ok=True)
    media_path(folder, name, digest).write_bytes(data)
    return digest


# -- the committee as the views show it (the console's and a member's PC) ------------------------------
def composition_problems(state: SessionState) -> list[Reason]:
    """R-COM-*: the committee as it now stands (checked in, not withdrawn), with the chair."""
    case = state.base_case
    assert case is not None
    members = [Member(m.id, m.name, m.role, m.id == state.chair) for m in state.members.values()
               if not m.recused and m.author is not None]
    return check_composition(members, profile_for(case.profile, case.overlay), case.project.budget)


def make_up_problems(state: SessionState) -> list[Reason]:
    """R-COM-1/4/8 for the members checked in and not withdrawn, whoever is elected chair: what closing
    check-in now leaves to be filled from the reserves."""
    case = state.base_case
    assert case is not None
    members = [Member(m.id, m.name, m.role) for m in state.members.values() if not m.recused and m.author is not None]
    return check_make_up(members, profile_for(case.profile, case.overlay), case.project.budget)


def readiness_problems(state: SessionState) -> list[Reason]:
    """Members of the committee who cannot evaluate yet: not checked in (R-CHK-1, e.g. a reserve just
    seated), the commitment letter unsigned (R-CHK-3), no conflict-of-interest declaration (R-COI-1/2)."""
    problems = []
    for m in state.members.values():
        if m.recused:
            continue
        who = f"{m.id} {m.name}"
        if m.author is None:
            problems.append(Reason("R-CHK-1", f"{who} 尚未签到 / {m.id} has not checked in"))
        elif m.id not in state.letters:
            problems.append(Reason("R-CHK-3", f"{who} 尚未签署承诺书 / {m.id} has not signed the commitment letter"))
        elif m.id not in state.declarations:
            problems.append(Reason("R-COI-1/2",
                                   f"{who} 尚未作出回避声明 / {m.id} has not declared conflicts of interest"))
    return problems


def letter_for(state: SessionState, room: str, signer_name: str, role: str) -> FilledTemplate:
    """The 承诺书 of the session's project as ``signer_name`` signs it at room ``room``, dated now."""
    import time

    from app.services.templates import commitment_letter

    case = state.base_case
    assert case is not None
    return commitment_letter(project_name=case.project.name, project_code=case.project.code, lot_code=case.lot.code,
                             lot_name=case.lot.name, venue=f"评标室 {room}", signer_name=signer_name,
                             signer_role=role, signed_at=time.strftime("%Y-%m-%d %H:%M"))


def session_view(state: SessionState, events: list[Any], recent: int, results: ViewCache) -> RoomView:
    """The pages' snapshot of a session (the console's, or a member PC's replica), with the report's status."""
    from dataclasses import replace

    from app.services.report import report_status
    from app.services.room_view import build_view

    view = build_view(state, composition_problems(state), events, recent, results.result(state),
                      make_up=make_up_problems(state), readiness=readiness_problems(state))
    return replace(view, report=report_status(state))


class ViewCache:
    """The rule engine's result for a view, computed again only when something it reads beyond a draft score
    changed (a view is built every second)."""

    def __init__(self) -> None:
        self._key: tuple[Any, ...] | None = None
        self._result: dict[str, Any] | None = None

    def result(self, state: SessionState) -> dict[str, Any] | None:
        key = (state.stage, tuple(sorted(m.id for m in state.members.values() if m.submitted)),
               tuple(sorted(state.low_price_decisions.items())), sum(len(v) for v in state.verdicts.values()),
               state.chair, tuple(sorted(m.id for m in state.members.values() if m.recused)))
        if self._key != key:
            self._key = key
            scored = state.stage in ("scoring", "summary", "report", "archived")
            self._result = state.result().to_json() if scored else None
        return self._result


# -- a seat ------------------------------------------------------------------------------------------------
class SeatHost(Protocol):
    """Where a seat's events go: the console's room, or a member PC's replica."""

    def _session(self) -> Session: ...

    def seat_lock(self) -> AbstractContextManager[Any]:
        """Held around each action (sign, append, fold): the host's other writers of the store hold it too."""
        ...

    def letter_for(self, signer_name: str, role: str) -> FilledTemplate: ...

    def save_media(self, name: str, data: bytes) -> str: ...

    @property
    def report_desk(self) -> ReportDesk: ...


class SeatActions:
    """A seat signing with its own key (``_key``) into its host's session (``room``)."""

    room: SeatHost
    _key: SigningKey

    def _session(self) -> Session:
        return self.room._session()

    def _guard(self) -> AbstractContextManager[Any]:
        return self.room.seat_lock()

    def _signed_letter(self, signer_name: str, role: str, label: str, media: str, png: bytes, strokes: str,
                       template_sha256: str) -> None:
        """The 承诺书 as ``label`` signs it: the wording shown (its template's SHA-256) and the handwriting, whose
        image and strokes are kept as media (the event names their SHA-256)."""
        letter = self.room.letter_for(signer_name, role)
        if template_sha256 != letter.version_sha256:
            raise DeskError(key="desk.letter_changed")
        image = self.room.save_media(f"letter-{media}.png", png)
        stroke_hash = self.room.save_media(f"letter-{media}.strokes.json", strokes.encode("utf-8"))
        with self._guard():
            self._session().sign_letter(self._key, label, letter.name, letter.version_sha256, image, stroke_hash)


class MemberActions(SeatActions):
    """One committee member's actions (an expert or the purchaser's representative), signed by the member's
    session key: the letter, the declaration, verdicts, scores, the submission, the report signature and the
    chair's decisions."""

    member: str
    _pin_hash: bytes | None = None

    @property
    def session(self) -> Session:
        return self._session()

    def check_pin(self, pin: str) -> bool:
        if self._pin_hash is None:
            return False
        return hmac.compare_digest(hashlib.sha256(pin.encode()).digest(), self._pin_hash)

    def _signer(self) -> tuple[str, str]:
        member = self._session().state.members[self.member]
        return member.name, "评审专家" if member.role == "expert" else "采购人/招标人代表"

    def letter(self) -> FilledTemplate:
        return self.room.letter_for(*self._signer())

    def sign_letter(self, png: bytes, strokes: str, template_sha256: str) -> None:
        self._signed_letter(*self._signer(), self.member, self.member, png, strokes, template_sha256)

    def declare(self, conflict: bool, grounds: list[str], statement: str, bidders: list[str] | None = None) -> None:
        """The COI declaration after the bidder list is shown. A conflict names the bidder(s) it is with
        (required for the grounds that are relations with a bidder) and means withdrawal (R-COI), which
        cannot be undone."""
        named = list(dict.fromkeys(bidders or []))
        if conflict and not grounds:
            raise DeskError(key="desk.conflict_needs_ground")
        if conflict and not named and any(g in BIDDER_GROUNDS for g in grounds):
            raise DeskError(key="desk.conflict_needs_bidder")
        if not conflict and named:
            raise DeskError(key="desk.bidders_without_conflict")
        session = self._session()
        known = {b.id for b in session.state.base_case.bidders} if session.state.base_case else set()
        unknown = [b for b in named if b not in known]
        if unknown:
            raise DeskError(key="desk.unknown_bidders", bidders_zh="、".join(unknown), bidders=", ".join(unknown))
        with self._guard():
            session.declare(self._key, self.member, conflict, grounds, statement, bidders=named)
            if conflict:
                session.recuse(self._key, self.member, statement or "、".join(grounds), bidders=named)

    def verdict(self, bidder: str, passed: bool, reason: str | None) -> None:
        if not passed and not (reason or "").strip():
            raise DeskError(key="desk.fail_needs_reason")
        with self._guard():
            self._session().verdict(self._key, self.member, bidder, passed, (reason or "").strip() or None)

    def set_score(self, bidder: str, criterion: str, score: str, comment: str | None = None) -> None:
        with self._guard():
            self._session().set_score(self._key, self.member, bidder, criterion, score, comment)

    def submit(self) -> None:
        with self._guard():
            self._session().submit(self._key, self.member)

    def request_extension(self, reason: str = "") -> None:
        """R-SCR-6: this member says the evaluation time is insufficient."""
        from app.services.report import request_extension

        with self._guard():
            request_extension(self._session(), self._key, self.member, reason)

    def sign_report(self, seen: str, png: bytes, reasons: str | None = None) -> None:
        """Sign the draft shown (``seen``: its SHA-256) by hand and with this member's own key; with
        ``reasons`` a dissent (R-SIG-2). Only ever for this member: the key is his."""
        with self._guard():
            desk(lambda: self.room.report_desk.sign(self._key, self.member, seen, png, reasons))

    # -- the chair's decisions --------------------------------------------------------------------
    def reopen(self, expert: str, reason: str) -> None:
        if not reason.strip():
            raise DeskError(key="desk.reopen_needs_reason")
        with self._guard():
            self._session().reopen(self._key, expert, reason.strip())

    def decide_low_price(self, bidder: str, decision: str) -> None:
        with self._guard():
            self._session().decide_low_price(self._key, bidder, decision)

    def decide_finding(self, finding: int, collusion: bool, reason: str) -> None:
        """The committee's decision on one warning of the collusion screen (办法 §21), with its reasons; a bid
        found collusive is then rejected in the preliminary review on ground R-PRE-1(7)."""
        if not reason.strip():
            raise DeskError(key="desk.finding_needs_reason")
        with self._guard():
            self._session().decide_finding(self._key, finding, collusion, reason.strip())


class SupervisorActions(SeatActions):
    """The on-site supervisor: pause and resume (中止/恢复), incidents, the letter, the sign-off."""

    name: str

    @property
    def label(self) -> str:
        return f"supervisor {self.name}"

    def pause(self, reason: str) -> None:
        if not reason.strip():
            raise DeskError(key="desk.pause_needs_reason")
        with self._guard():
            self._session().pause(self._key, reason.strip())

    def resume(self, reason: str) -> None:
        if not reason.strip():
            raise DeskError(key="desk.resume_needs_reason")
        with self._guard():
            self._session().resume(self._key, reason.strip())

    def incident(self, text: str) -> None:
        if not text.strip():
            raise DeskError(key="desk.incident_empty")
        with self._guard():
            self._session().record_incident(self._key, text.strip())

    def sign_letter(self, png: bytes, strokes: str, template_sha256: str) -> None:
        self._signed_letter(self.name, "监督人员", self.label, "supervisor", png, strokes, template_sha256)

    def sign_off(self, note: str) -> None:
        with self._guard():
            self._session().sign_off(self._key, note.strip())


def pin_hash(pin: str) -> bytes:
    return hashlib.sha256(pin.encode()).digest()


__all__ = ["BIDDER_GROUNDS", "DeskError", "MemberActions", "SeatHost", "SupervisorActions", "ViewCache",
           "composition_problems", "desk", "letter_for", "make_up_problems", "media_path", "readiness_problems",
           "save_media", "session_view"]
