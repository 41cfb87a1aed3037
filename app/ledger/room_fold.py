"""Fold handlers of what happens in the room around the evaluation: the bid opening (唱标, objections,
bidder confirmations), the check-in desk (identity photo), commitment letters (承诺书), conflict-of-interest
declarations (回避声明), the supervisor's incidents and sign-off. Mixed into :class:`app.ledger.fold.Folder`.

The opening is read from the session package itself: the event must list exactly the package's bids
with their prices, and the fold decides from the package which bids are late (R-OPEN-2) and whether
fewer than three remain (R-OPEN-3), using the rule engine's own functions.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from app.domain.decryption import CAUSES, DEFAULT_LIMIT_MINUTES, encrypted_documents, outcome_of
from app.domain.opening import is_late
from app.domain.profiles import profile_for
from app.ledger import permissions as P
from app.ledger.events import SignedEvent, parse_stamp
from app.ledger.refusal import Refused, bidder_list
from app.ledger.refusal import check as _check
from app.ledger.refusal import text as _text
from app.ledger.state import MEMBER, SUPERVISOR, Author, MemberState, SessionState

Tag = tuple[Any, ...]
HEX64 = re.compile(r"[0-9a-f]{64}")
COI_GROUNDS = ("near_relative", "employment", "director", "shareholder", "supervising_staff", "interest",
               "sanctioned", "other")


def _sha256(body: dict[str, Any], key: str, required: bool = True) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not HEX64.fullmatch(value):
        raise Refused(f"body.{key} is not a SHA-256 (64 hex digits)")
    return value


class RoomFold:
    state: SessionState

    # -- bid opening (开标) ------------------------------------------------------------------------
    def _opening_read(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        """唱标: the room reads every bid received; the fold checks the list against the package."""
        assert author is not None
        state = self.state
        _check(P.need_room(author))
        _check(P.need_stage(state, "opening"))
        if state.opening is not None:
            raise Refused("the bids were already read at this opening")
        case = state.base_case
        assert case is not None
        bids = ev.body.get("bids")
        expected = [{"bidder": b.id, "price": str(b.price)} for b in case.bidders]
        given = ([{"bidder": b.get("bidder"), "price": b.get("price")} for b in bids]
                 if isinstance(bids, list) and all(isinstance(b, dict) for b in bids) else None)
        if given != expected:
            raise Refused("body.bids must list every bid of the package with its price, in package order")
        late = [b.id for b in case.bidders if is_late(b, case.deadline)]
        on_time = len(case.bidders) - len(late)
        minimum = profile_for(case.profile, case.overlay).min_bids_to_open
        if on_time >= minimum:  # R-OPEN-10: every on-time bid's encrypted files decrypted, or the bid excluded
            undecided = self._undecided(set(late))
            if undecided:
                raise Refused("the bids cannot be read before every encrypted bid file is decrypted or its failure "
                              "recorded: " + ", ".join(f"{b} {p}" for b, p in undecided))
        state.opening = {"event": ev.id, "late": late, "on_time": on_time, "refused": on_time < minimum,
                         "objections": [], "confirmations": {}, "excluded": state.decryption_failures()}
        return {("session",)}

    def _undecided(self, late: set[str]) -> list[tuple[str, str]]:
        state = self.state
        failed = set(state.decryption_failures())
        return [(b, p) for b, p, _c, _pl in encrypted_documents(state.package)
                if b not in late and b not in failed and p not in state.decryption]

    # -- decryption at opening (R-OPEN-10) ----------------------------------------------------------
    def _decryption_target(self, ev: SignedEvent, author: Author) -> tuple[str, str, str, str | None]:
        state = self.state
        _check(P.need_room(author))
        _check(P.need_stage(state, "opening"))
        if state.opening is not None:
            raise Refused("the bids were already read: decryption comes before 唱标")
        bidder, path = _text(ev.body, "bidder"), _text(ev.body, "path")
        found = [d for d in encrypted_documents(state.package) if d[0] == bidder and d[1] == path]
        if not found:
            raise Refused(f"{bidder} has no encrypted bid file {path!r} in the package")
        if path in state.decryption:
            raise Refused(f"{path} was already decrypted or its failure recorded")
        case = state.base_case
        assert case is not None
        if any(b.id == bidder and is_late(b, case.deadline) for b in case.bidders):
            raise Refused(f"{bidder}'s bid was late (R-OPEN-2): it is refused, not decrypted")
        if bidder in state.decryption_failures():
            raise Refused(f"{bidder}'s bid is already excluded at the decryption")
        return found[0]

    def _decrypted(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        """R-OPEN-10: a bidder decrypted one of its files; the fold checks the hashes against the package's."""
        assert author is not None
        state = self.state
        bidder, path, cipher, declared = self._decryption_target(ev, author)
        if _sha256(ev.body, "ciphertext_sha256") != cipher:
            raise Refused(f"body.ciphertext_sha256 is not the package's SHA-256 of {path}")
        plain = _sha256(ev.body, "plaintext_sha256")
        if declared is not None and plain != declared:
            raise Refused(f"body.plaintext_sha256 differs from the plaintext SHA-256 the package declares for {path}")
        minutes = self._decryption_minutes()
        if state.opening_started is not None and \
                parse_stamp(ev.time) > parse_stamp(state.opening_started) + timedelta(minutes=minutes):
            raise Refused(f"after the decryption time limit ({minutes} minutes from the start of the opening)")
        state.decryption[path] = {"event": ev.id, "time": ev.time, "bidder": bidder, "ok": True,
                                  "plaintext_sha256": plain, "ciphertext_sha256": cipher}
        return {("session",)}

    def _decryption_failed(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        """R-OPEN-10: a file that could not be decrypted, with the cause; the fold derives revoked / withdrawn."""
        assert author is not None
        state = self.state
        bidder, path, _cipher, _declared = self._decryption_target(ev, author)
        cause = _text(ev.body, "cause")
        if cause not in CAUSES:
            raise Refused(f"unknown decryption failure cause {cause!r} (expected one of {', '.join(CAUSES)})")
        detail = ev.body.get("detail", "")
        if not isinstance(detail, str):
            raise Refused("body.detail must be text")
        state.decryption[path] = {"event": ev.id, "time": ev.time, "bidder": bidder, "ok": False, "cause": cause,
                                  "outcome": outcome_of(cause), "detail": detail}
        return {("session",)}

    def _decryption_minutes(self) -> int:
        case = self.state.base_case
        minutes = case.decryption_minutes if case is not None else None
        return minutes if minutes is not None else DEFAULT_LIMIT_MINUTES

    def _objection(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        """R-OPEN-6: an objection raised on the spot, with the answer given on the spot."""
        assert author is not None
        opening = self._open_record(author)
        entry = {"event": ev.id, "time": ev.time, "bidder": self._bidder_or_none(ev.body),
                 "objection": _text(ev.body, "objection"), "answer": _text(ev.body, "answer")}
        opening["objections"].append(entry)
        return {("session",)}

    def _confirmed(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        """A bidder representative confirms the opening record (R-OPEN-7)."""
        assert author is not None
        opening = self._open_record(author)
        bidder = self._bidder_or_none(ev.body)
        if bidder is None:
            raise Refused("body.bidder is missing")
        if bidder in opening["late"]:
            raise Refused(f"{bidder}'s bid was late and not read: its representative has no reading to confirm")
        if bidder in opening.get("excluded", {}):
            raise Refused(f"{bidder}'s bid was excluded at the decryption (R-OPEN-10) and not read: its "
                          "representative has no reading to confirm")
        opening["confirmations"][bidder] = {"event": ev.id, "representative": _text(ev.body, "representative"),
                                           "image_sha256": _sha256(ev.body, "image_sha256", required=False)}
        return {("session",)}

    def _open_record(self, author: Author) -> dict[str, Any]:
        _check(P.need_room(author))
        _check(P.need_stage(self.state, "opening"))
        if self.state.opening is None:
            raise Refused("the bids have not been read yet")
        return self.state.opening

    def _bidder_or_none(self, body: dict[str, Any]) -> str | None:
        bidder: str | None = body.get("bidder")
        if bidder is None:
            return None
        if bidder not in self.state.bidders:
            raise Refused(f"unknown bidder {bidder!r}")
        return bidder

    # -- check-in desk, letters, declarations -----------------------------------------------------
    def _identity(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        """R-CHK-1: identity checked against the drawn list, with a photo showing exactly one face."""
        assert author is not None
        state = self.state
        member_id = _text(ev.body, "member")
        _check(P.need_desk(state, author, member_id))  # the room, or the console of the member's venue
        _check(P.checkin_open(state, member_id))  # the check-in stage, or a reserve filling a vacancy
        member = state.members.get(member_id)
        if member is None or member.recused:
            raise Refused(f"{member_id} is not an active member of the committee")
        faces = ev.body.get("faces")
        if faces != 1:
            raise Refused(f"the check-in photo must show exactly one face, it shows {faces!r}")
        state.identities[member_id] = {"event": ev.id, "photo_sha256": _sha256(ev.body, "photo_sha256"),
                                       "document": ev.body.get("document")}
        self._seat(author, member_id)  # type: ignore[attr-defined]  # venue_fold.VenueFold
        return {("member", member_id)}

    def _letter(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        """R-CHK-3: the commitment letter, signed by the member's (or supervisor's) own key."""
        assert author is not None
        state = self.state
        signer = _text(ev.body, "signer")
        if author.role == MEMBER:
            _check(P.own_sheet(author, signer, "commitment letter"))
            _check(P.need_stage(state, *P.SEATING_STAGES))
        elif author.role != SUPERVISOR:
            raise Refused("only a committee member or a supervisor signs a commitment letter (DESIGN §2)")
        elif signer != author.label:
            raise Refused(f"a supervisor signs only his own letter ({author.label}), not {signer}'s")
        if signer in state.letters:
            raise Refused(f"{signer} has already signed the commitment letter")
        state.letters[signer] = {"event": ev.id, "time": ev.time, "role": author.role,
                                 "template": _text(ev.body, "template"),
                                 "template_sha256": _sha256(ev.body, "template_sha256"),
                                 "image_sha256": _sha256(ev.body, "image_sha256", required=False),
                                 "strokes_sha256": _sha256(ev.body, "strokes_sha256", required=False)}
        return {("member", signer)} if signer in state.members else {("session",)}

    def _declaration(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        """R-COI-1/2: after the bidder list is shown, each member declares whether a conflict exists."""
        assert author is not None
        state = self.state
        member_id = _text(ev.body, "member")
        _check(P.own_sheet(author, member_id, "conflict-of-interest declaration"))
        _check(P.need_stage(state, *P.SEATING_STAGES))
        if member_id not in state.letters:
            raise Refused(f"{member_id} must sign the commitment letter before declaring (R-CHK-3)")
        conflict = ev.body.get("conflict")
        if not isinstance(conflict, bool):
            raise Refused("body.conflict must be true or false")
        grounds = ev.body.get("grounds", [])
        if not isinstance(grounds, list) or any(g not in COI_GROUNDS for g in grounds):
            raise Refused(f"body.grounds must be a list of {', '.join(COI_GROUNDS)}")
        if conflict and not grounds:
            raise Refused("a declared conflict needs at least one ground")
        statement = ev.body.get("statement", "")
        if not isinstance(statement, str):
            raise Refused("body.statement must be a string")
        bidders = bidder_list(ev.body, state.bidders)  # whom the conflict is with (absent in older ledgers)
        if bidders and not conflict:
            raise Refused("body.bidders names the bidders of a declared conflict: there is none")
        state.declarations[member_id] = {"event": ev.id, "conflict": conflict, "grounds": list(grounds),
                                         "statement": statement, "bidders": bidders}
        return {("member", member_id)}

    def _member_added(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        """R-SUS-1 / L2 Art 46: a withdrawn member is replaced by a reserve drawn by the same method
        (the package's ``reserves``); the withdrawn member's opinions stay void."""
        assert author is not None
        state = self.state
        _check(P.need_room(author))
        _check(P.need_stage(state, *P.SEATING_STAGES))
        out, reserve_id = _text(ev.body, "replaces"), _text(ev.body, "member")
        member = state.members.get(out)
        if member is None or not member.recused:
            raise Refused(f"{out} has not withdrawn from the committee")
        if out in state.replacements:
            raise Refused(f"{out} was already replaced by {state.replacements[out]['id']}")
        reserves = {r.get("id"): r for r in state.package.get("reserves", []) if isinstance(r, dict)}
        reserve = reserves.get(reserve_id)
        if reserve is None:
            raise Refused(f"{reserve_id} is not among the drawn reserves of the package")
        if reserve_id in state.members:
            raise Refused(f"{reserve_id} already sits on the committee")
        if reserve.get("role") not in ("expert", "owner_rep") or not isinstance(reserve.get("name"), str):
            raise Refused(f"the reserve {reserve_id} has no valid name and role in the package")
        entry = {"id": reserve_id, "name": reserve["name"], "role": reserve["role"]}
        state.members[reserve_id] = MemberState(reserve_id, reserve["name"], reserve["role"])
        state.replacements[out] = entry
        return {("session",), ("member", reserve_id)}

    # -- abnormally low prices (R-LOW-1/2) ------------------------------------------------------
    def _explanation_requested(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        """The committee requires a written explanation, with evidence, within a set time."""
        assert author is not None
        _check(P.need_room(author))
        _check(P.need_stage(self.state, *P.DECISION_STAGES))
        bidder = self._bidder_or_none(ev.body)
        if bidder is None:
            raise Refused("body.bidder is missing")
        if bidder in self.state.explanations:
            raise Refused(f"a written explanation was already requested from {bidder}")
        self.state.explanations[bidder] = {"requested": ev.id, "time": ev.time, "due": _text(ev.body, "due"),
                                           "answer": None}
        return {("session",)}

    def _explanation_received(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_room(author))
        _check(P.need_stage(self.state, *P.DECISION_STAGES))
        bidder = self._bidder_or_none(ev.body)
        entry = self.state.explanations.get(bidder or "")
        if entry is None:
            raise Refused(f"no written explanation was requested from {bidder}")
        entry["answer"] = {"event": ev.id, "time": ev.time, "summary": _text(ev.body, "summary"),
                           "document_sha256": _sha256(ev.body, "document_sha256", required=False)}
        return {("session",)}

    # -- supervisor -------------------------------------------------------------------------------
    def _incident(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_supervisor(author, "record an incident"))
        self.state.incidents.append({"event": ev.id, "time": ev.time, "by": author.label,
                                     "text": _text(ev.body, "text")})
        return {("session",)}

    def _signed_off(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_supervisor(author, "sign off the supervision"))
        note = ev.body.get("note", "")
        if not isinstance(note, str):
            raise Refused("body.note must be a string")
        self.state.sign_offs.append({"event": ev.id, "time": ev.time, "by": author.label, "note": note})
        return {("session",)}
