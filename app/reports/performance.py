"""Each member's performance record (R-CRD-5: the purchaser or agency records every expert's performance in the
credit system within 5 working days; the expert may see it and comment), from the ledger only.

Facts, not judgements: when the member checked in, signed the 承诺书 and declared, whether he withdrew and why,
his verdicts, when he submitted his scores and how often the chair sent them back (with the reasons: the chair's
remarks), his act on the report (signed, dissent with reasons R-SIG-2, or refused to sign R-SIG-3), whether he said
the evaluation time was insufficient, and the incidents the supervisor recorded during the session."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.ledger.events import SignedEvent
from app.ledger.state import SessionState

FORMAT = "evalroom-performance/1"


def _first(events: list[SignedEvent], kind: str, member: str, field: str = "member") -> SignedEvent | None:
    return next((ev for ev in events if ev.type == kind and ev.body.get(field) == member), None)


def record(state: SessionState, events: Iterable[SignedEvent]) -> dict[str, Any]:
    """The record of every member of the committee (the package's order, then any reserve who took a seat)."""
    rejected = {r.event_id for r in state.rejections}
    ordered = sorted((ev for ev in events if ev.id not in rejected), key=SignedEvent.order_key)
    case = state.base_case
    assert case is not None
    package = [m.id for m in case.committee]
    ids = [i for i in package if i in state.members] + [i for i in state.members if i not in package]
    members = []
    for member_id in ids:
        member = state.members[member_id]
        checkin = next((ev for ev in ordered if ev.type == "checkin" and ev.body.get("member") == member_id), None)
        letter = state.letters.get(member_id, {})
        declaration = state.declarations.get(member_id)
        recusal = _first(ordered, "recusal", member_id)
        submitted = [ev for ev in ordered if ev.type == "score.submitted" and ev.body.get("expert") == member_id]
        reopened = [ev for ev in ordered if ev.type == "score.reopened" and ev.body.get("expert") == member_id]
        report = state.report
        if member_id in report.dissents:
            act: dict[str, Any] = {"act": "dissent", "reasons": report.dissents[member_id]}
        elif member_id in report.signed:
            act = {"act": "signed"}
        elif member_id in report.refusals:
            act = {"act": "refused_to_sign", "committee_note": report.refusals[member_id]}
        else:
            act = {"act": None}
        extension = state.extension_requests.get(member_id) or next(
            (item["requests"][member_id] for item in state.extensions if member_id in item.get("requests", {})), None)
        members.append({
            "member": member_id, "name": member.name, "role": member.role, "chair": member_id == state.chair,
            "checked_in": checkin.time if checkin else None,
            "identity_verified": member_id in state.identities,
            "letter_signed": letter.get("time") if letter else None,
            "declared": None if declaration is None else {"conflict": bool(declaration.get("conflict")),
                                                           "bidders": list(declaration.get("bidders", []))},
            "recused": {"time": recusal.time, "reason": recusal.body.get("reason", "")} if recusal else None,
            "verdicts": len(state.verdicts.get(member_id, {})),
            "submitted": submitted[-1].time if submitted and member.submitted else None,
            "sent_back": [{"time": ev.time, "reason": ev.body.get("reason", "")} for ev in reopened],
            "report": act,
            "asked_more_time": {"time": extension["time"], "reason": extension["reason"]} if extension else None,
        })
    return {"format": FORMAT, "session": state.session, "project": case.project.code, "lot": case.lot.code,
            "members": members,
            "incidents": [{"time": i.get("time"), "text": i.get("text")} for i in state.incidents]}
