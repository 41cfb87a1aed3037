"""Projections: the folded state written to ``proj_*`` tables, row by row as events arrive.

The fold reports what each event changed as tags (``("score", expert, bidder, criterion)``…); each tag
rewrites the matching rows from the state. ``rebuild`` empties every projection and writes all tags, so
the tables are always a cache of the events (``evalroom rebuild``).

The statements are generated once from the SQLAlchemy models and run on the driver connection: an
append is on the durable hot path, where SQLAlchemy's per-statement overhead would cost as much as
the fsync itself (bench/ledger.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from sqlalchemy import bindparam, delete, insert
from sqlalchemy.dialects import sqlite

from app.ledger.canonical import canonical_unchecked
from app.ledger.state import SessionState
from app.store.models import (
    PROJECTIONS,
    EventRow,
    ProjAdjustment,
    ProjAuthor,
    ProjCheckpoint,
    ProjDecision,
    ProjMember,
    ProjRecording,
    ProjRejection,
    ProjScore,
    ProjSession,
    ProjSignature,
    ProjVerdict,
)

Tag = tuple[Any, ...]
_DIALECT = sqlite.dialect(paramstyle="named")


class Cursor(Protocol):
    def execute(self, sql: str, parameters: dict[str, Any] = ..., /) -> Any: ...


def compile_sql(statement: Any) -> str:
    return str(statement.compile(dialect=_DIALECT))


INSERT_EVENT = compile_sql(insert(EventRow))
INSERT_OUTBOX_EVENT = "INSERT INTO outbox (kind, ref, attempts, next_try_at) VALUES ('event', :id, 0, 0)"
_UPSERT = {model: compile_sql(insert(model).prefix_with("OR REPLACE")) for model in PROJECTIONS}
_CLEAR = {model: compile_sql(delete(model)) for model in PROJECTIONS}
_CLEAR_ADJUSTMENTS = compile_sql(delete(ProjAdjustment).where(ProjAdjustment.bidder == bindparam("bidder")))


def _session(db: Cursor, s: SessionState) -> None:
    db.execute(_UPSERT[ProjSession],
               {"id": 1, "stage": s.stage, "paused": s.paused, "terminated": s.terminated, "chair": s.chair})


def _author(db: Cursor, s: SessionState, key_id: str) -> None:
    a = s.authors[key_id]
    db.execute(_UPSERT[ProjAuthor],
               {"key_id": key_id, "role": a.role, "label": a.label, "member": a.member, "revoked": a.revoked})


def _member(db: Cursor, s: SessionState, member_id: str) -> None:
    m = s.members[member_id]
    db.execute(_UPSERT[ProjMember], {"id": m.id, "name": m.name, "role": m.role, "chair": m.chair, "author": m.author,
                                     "recused": m.recused, "submitted": m.submitted})


def _score(db: Cursor, s: SessionState, expert: str, bidder: str, criterion: str) -> None:
    db.execute(_UPSERT[ProjScore], {"expert": expert, "bidder": bidder, "criterion": criterion,
                                    "score": s.scores[expert][bidder][criterion]})


def _verdict(db: Cursor, s: SessionState, member: str, bidder: str) -> None:
    v = s.verdicts[member][bidder]
    db.execute(_UPSERT[ProjVerdict],
               {"member": member, "bidder": bidder, "passed": v["pass"], "reason": v.get("reason")})


def _decision(db: Cursor, s: SessionState, bidder: str) -> None:
    db.execute(_UPSERT[ProjDecision], {"bidder": bidder, "decision": s.low_price_decisions[bidder]})


def _adjustment(db: Cursor, s: SessionState, bidder: str) -> None:
    db.execute(_CLEAR_ADJUSTMENTS, {"bidder": bidder})
    for idx, item in enumerate(s.adjustments[bidder]):
        db.execute(_UPSERT[ProjAdjustment],
                   {"bidder": bidder, "idx": idx, "amount": item["amount"], "reason": item["reason"]})


def _rejection(db: Cursor, s: SessionState, idx: int) -> None:
    r = s.rejections[idx]
    db.execute(_UPSERT[ProjRejection], {"idx": idx, "event_id": r.event_id, "message": r.message})


def _checkpoint(db: Cursor, s: SessionState, idx: int) -> None:
    c = s.checkpoints[idx]
    db.execute(_UPSERT[ProjCheckpoint],
               {"idx": idx, "event_id": c.event_id, "stage": c.stage, "size": c.size, "root": c.root})


def _recorded(kind: str | None, items: Callable[[SessionState], list[dict[str, Any]]]) -> Callable[..., None]:
    """Rows of proj_recordings; ``kind`` None: the event type (recorder start/stop/restore…)."""

    def write(db: Cursor, s: SessionState, idx: int) -> None:
        item = items(s)[idx]
        body = {k: v for k, v in item.items() if k not in ("event", "type")}
        db.execute(_UPSERT[ProjRecording], {"kind": kind or item["type"], "idx": idx, "event_id": item["event"],
                                            "body": canonical_unchecked(body).decode("utf-8")})

    return write


def _signature(db: Cursor, s: SessionState, member: str) -> None:
    db.execute(_UPSERT[ProjSignature], {"member": member, "sha256": s.report_signatures[member]})


WRITERS: dict[str, Callable[..., None]] = {
    "session": _session,
    "author": _author,
    "member": _member,
    "score": _score,
    "verdict": _verdict,
    "decision": _decision,
    "adjustment": _adjustment,
    "rejection": _rejection,
    "checkpoint": _checkpoint,
    "recording": _recorded("segment", lambda s: s.recordings),
    "fault": _recorded("fault", lambda s: s.faults),
    "recorder_log": _recorded(None, lambda s: s.recorder_log),
    "signature": _signature,
}


def write(db: Cursor, state: SessionState, tags: Iterable[Tag]) -> None:
    for tag in tags:
        WRITERS[tag[0]](db, state, *tag[1:])


def all_tags(state: SessionState) -> list[Tag]:
    tags: list[Tag] = [("session",)]
    tags += [("author", a) for a in state.authors]
    tags += [("member", m) for m in state.members]
    tags += [("score", e, b, c) for e, sheet in state.scores.items() for b, row in sheet.items() for c in row]
    tags += [("verdict", m, b) for m, row in state.verdicts.items() for b in row]
    tags += [("decision", b) for b in state.low_price_decisions]
    tags += [("adjustment", b) for b in state.adjustments]
    tags += [("rejection", i) for i in range(len(state.rejections))]
    tags += [("checkpoint", i) for i in range(len(state.checkpoints))]
    tags += [("recording", i) for i in range(len(state.recordings))]
    tags += [("fault", i) for i in range(len(state.faults))]
    tags += [("recorder_log", i) for i in range(len(state.recorder_log))]
    tags += [("signature", m) for m in state.report_signatures]
    return tags


def rebuild(db: Cursor, state: SessionState) -> None:
    """Empty every projection table and write the whole state."""
    for model in PROJECTIONS:
        db.execute(_CLEAR[model], {})
    write(db, state, all_tags(state))
