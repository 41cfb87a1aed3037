"""Fold handlers of the evaluation report's life (DOMAIN.md §2.7 R-SIG-*, R-SCR-2). Mixed into the Folder.

- ``report.drafted`` (room, stage report): the SHA-256 of the draft PDF and the checkpoint its footer
  prints. A new draft (the chair's 重新生成) clears every member's act on the previous one.
- ``report.signed`` (member): ``{member, sha256, signature_png?}`` over the current draft; the base64 PNG
  of the handwritten signature is inside the signed event, so the image is covered by the member's key.
- ``report.dissent`` (member): a signature with written reasons (R-SIG-2); printed in the report.
- ``report.refused_to_sign`` (room or chair): the member refused without reasons: counts as agreement,
  and the committee's note is printed (R-SIG-3).
- ``report.finalized`` (room): only when every checked-in, non-recused member has acted; carries the
  SHA-256 and size of the final PDF (the draft plus the signature page) that the room then PAdES-signs.
- ``report.locked`` (room or supervisor): an error found after signing; the report can no longer change.
- ``reevaluation.opened`` (room): after a lock, the original committee re-evaluates: back to scoring,
  every sheet reopened, the report starts over (the locked one stays in ``history``).

Without a ``report.drafted`` event, ``report.signed`` keeps its earlier meaning (any SHA-256).

The evaluation time (R-SCR-6): the tenderer sets a reasonable time; when more than a third of the
members say it is insufficient, the tenderer shall extend it.

- ``time.extension_requested`` (member, own key): ``{member, reason?}`` while evaluating (preliminary,
  scoring, summary); once per member until the next decision.
- ``time.extension_decided`` (room, for the tenderer): ``{granted, minutes (> 0 when granted), reason}``;
  refusing is refused when more than n/3 of the n active members asked. The decision, with who asked
  and whether the law required it, goes to ``extensions`` and the requests start over.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from app.ledger import permissions as P
from app.ledger.events import SignedEvent
from app.ledger.refusal import Refused
from app.ledger.refusal import check as _check
from app.ledger.refusal import text as _text
from app.ledger.state import Author, ReportState, SessionState

Tag = tuple[Any, ...]
MAX_IMAGE = 256 * 1024  # base64 characters: a signature PNG is a few KB


EVALUATING = ("preliminary", "scoring", "summary")


def extension_required(asking: int, members: int) -> bool:
    """R-SCR-6: more than a third of the members say the time is insufficient (exact: 3·asking > n)."""
    return members > 0 and 3 * asking > members


def active_members(state: SessionState) -> list[str]:
    """Members who must act on the report: checked in and not recused."""
    return [m.id for m in state.members.values() if not m.recused and m.author is not None]


def _sha(body: dict[str, Any], key: str = "sha256") -> str:
    value = _text(body, key)
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise Refused(f"body.{key} is not a lowercase hex SHA-256")
    return value


def _image(body: dict[str, Any]) -> str | None:
    value = body.get("signature_png")
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_IMAGE:
        raise Refused("body.signature_png must be base64 PNG text of at most 256 KB")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Refused("body.signature_png is not base64") from exc
    if not raw.startswith(b"\x89PNG\r\n\x1a\n"):
        raise Refused("body.signature_png is not a PNG image")
    return value


class ReportFold:
    state: SessionState

    def _report_open(self) -> ReportState:
        report = self.state.report
        _check(P.need_stage(self.state, "report"))
        if report.locked is not None:
            raise Refused(f"the report is locked ({report.locked}); only a re-evaluation can follow (R-SCR-2)")
        if report.final is not None:
            raise Refused("the report is final; an error found now locks it for re-evaluation (R-SCR-2)")
        return report

    def _member_act(self, ev: SignedEvent, author: Author | None, what: str) -> tuple[str, ReportState]:
        assert author is not None
        member = _text(ev.body, "member")
        _check(P.own_sheet(author, member, what))
        report = self._report_open()
        sha = _sha(ev.body)
        if report.draft is not None:
            if sha != report.draft:
                raise Refused(f"it signs {sha[:12]}, not the current draft {report.draft[:12]}")
            if report.acted(member):
                raise Refused(f"{member} has already acted on this draft")
        return member, report

    def _report_drafted(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_room(author))
        report = self._report_open()
        report.draft, report.draft_event = _sha(ev.body), ev.id
        report.checkpoint = _text(ev.body, "checkpoint")
        for acts in (report.images, report.signed, report.dissents, report.refusals):
            acts.clear()
        return {("session",)}

    def _report_signed(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        member, report = self._member_act(ev, author, "report signature")
        image = _image(ev.body)
        self.state.report_signatures[member] = ev.body["sha256"]
        report.signed[member] = ev.id
        report.dissents.pop(member, None)
        if image is not None:
            report.images[member] = image
        return {("signature", member)}

    def _report_dissent(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        member, report = self._member_act(ev, author, "report dissent")
        reasons = _text(ev.body, "reasons").strip()
        if not reasons:
            raise Refused("a dissent needs written reasons (R-SIG-2)")
        image = _image(ev.body)
        self.state.report_signatures[member] = ev.body["sha256"]
        report.signed[member] = ev.id
        report.dissents[member] = reasons
        if image is not None:
            report.images[member] = image
        return {("signature", member)}

    def _report_refused(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        state = self.state
        _check(P.need_room_or_chair(state, author))
        report = self._report_open()
        if report.draft is None:
            raise Refused("there is no report draft to refuse")
        member = _text(ev.body, "member")
        if member not in active_members(state):
            raise Refused(f"{member} is not a checked-in member of the committee")
        if report.acted(member):
            raise Refused(f"{member} has already acted on this draft")
        report.refusals[member] = _text(ev.body, "note")
        return {("session",)}

    def _report_finalized(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_room(author))
        report = self._report_open()
        if report.draft is None or ev.body.get("draft") != report.draft:
            raise Refused("it does not name the current draft")
        waiting = [m for m in active_members(self.state) if not report.acted(m)]
        if waiting:
            raise Refused(f"not every member has acted on the report: {', '.join(waiting)} (R-SIG-1)")
        size = ev.body.get("bytes")
        if not isinstance(size, int) or size <= 0:
            raise Refused("body.bytes must be the final PDF's size")
        report.final, report.final_bytes, report.final_event = _sha(ev.body), size, ev.id
        return {("session",)}

    def _report_locked(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_room_or_supervisor(author))
        report = self.state.report
        if report.final is None:
            raise Refused("only a final report is locked; before signing, errors are corrected on the spot (R-SCR-2)")
        if report.locked is not None:
            raise Refused("the report is already locked")
        report.locked = _text(ev.body, "reason")
        return {("session",)}

    # -- R-SCR-6: the evaluation time -------------------------------------------------------------
    def _extension_requested(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        member = _text(ev.body, "member")
        _check(P.own_sheet(author, member, "request for more evaluation time"))
        state = self.state
        _check(P.need_stage(state, *EVALUATING))
        if member not in active_members(state):
            raise Refused(f"{member} is not a checked-in member of the committee")
        if member in state.extension_requests:
            raise Refused(f"{member} has already asked for more time; the decision is pending (R-SCR-6)")
        reason = ev.body.get("reason", "")
        if not isinstance(reason, str):
            raise Refused("body.reason must be text")
        state.extension_requests[member] = {"time": ev.time, "reason": reason.strip(), "event": ev.id}
        return {("session",)}

    def _extension_decided(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_room(author))
        state = self.state
        _check(P.need_stage(state, *EVALUATING))
        granted = ev.body.get("granted")
        if not isinstance(granted, bool):
            raise Refused("body.granted must be true or false")
        minutes = ev.body.get("minutes", 0)
        if granted and (not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 < minutes <= 24 * 60):
            raise Refused("body.minutes must be a whole number of minutes between 1 and 1440")
        reason = _text(ev.body, "reason").strip()
        if not reason:
            raise Refused("a decision on the evaluation time needs a reason")
        members = len(active_members(state))
        asked = sorted(state.extension_requests)
        required = extension_required(len(asked), members)
        if required and not granted:
            raise Refused(f"{len(asked)} of {members} members say the time is insufficient (more than a third): "
                          "the time shall be extended (R-SCR-6)")
        state.extensions.append({"time": ev.time, "requesters": asked, "members": members, "granted": granted,
                                 "minutes": minutes if granted else 0, "reason": reason, "required": required,
                                 "requests": dict(state.extension_requests), "event": ev.id})
        state.extension_requests = {}
        return {("session",)}

    def _reevaluation_opened(self, ev: SignedEvent, author: Author | None) -> set[Tag]:
        assert author is not None
        _check(P.need_room(author))
        state = self.state
        old = state.report
        if old.locked is None:
            raise Refused("a re-evaluation follows a locked report (R-SCR-2)")
        reason = _text(ev.body, "reason")
        entry: dict[str, object] = {"final": old.final, "locked": old.locked, "reevaluation": reason, "event": ev.id}
        history = [*old.history, entry]
        state.report = ReportState(history=history)
        state.stage = "scoring"
        tags: set[Tag] = {("session",)}
        for member_id in active_members(state):
            state.members[member_id].submitted = False
            tags.add(("member", member_id))
        return tags
