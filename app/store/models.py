"""Tables of a session file. ``events`` (and ``session``, ``incidents``) are the truth; ``proj_*`` tables
are projections of the fold, caches that ``evalroom rebuild`` recreates from the events at any time.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class SessionRow(Base):
    """The one session this file holds and its room key (the fold's trust anchor for the room role)."""

    __tablename__ = "session"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    room: Mapped[str] = mapped_column(String, nullable=False)
    room_key_alg: Mapped[str] = mapped_column(String, nullable=False)
    room_key: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class EventRow(Base):
    """A signed event: ``raw`` is the exact canonical bytes that were hashed; the other columns index it.

    ``pos`` is the order of arrival in this file (append order) and the rowid. Every index costs a page
    write per durable append, so there are just two: the event id and (author, seq).
    UNIQUE(author, seq) keeps a fork out of this table: the conflicting event goes to ``incidents``.
    """

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("author", "seq", name="uq_events_author_seq"),)
    pos: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # the rowid: no extra index
    id: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    author: Mapped[str] = mapped_column(String(64), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    prev: Mapped[str | None] = mapped_column(String(64), nullable=True)
    time: Mapped[str] = mapped_column(String, nullable=False)
    type: Mapped[str] = mapped_column(String, nullable=False)
    raw: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    alg: Mapped[str] = mapped_column(String, nullable=False)
    sig: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)


class IncidentRow(Base):
    """Evidence the events table cannot hold: a second event for an existing (author, seq) — a fork."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String, nullable=False)
    author: Mapped[str] = mapped_column(String(64), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    event_id: Mapped[str] = mapped_column(String(64), nullable=False)
    detail: Mapped[str] = mapped_column(Text, nullable=False)
    record: Mapped[str] = mapped_column(Text, nullable=False)


class OutboxRow(Base):
    """What this node still has to deliver (sync): written in the same transaction as the event it names.

    ``kind`` = event | archive, ``ref`` = the event id or the archive folder. Never deleted: ``acked_at`` and
    the center's signed ``receipt`` mark delivery (nothing local goes before a receipt).
    """

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String, nullable=False)
    ref: Mapped[str] = mapped_column(String, nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    next_try_at: Mapped[float] = mapped_column(Float, nullable=False, server_default="0")
    acked_at: Mapped[str | None] = mapped_column(String)
    receipt: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)


# -- projections (rebuildable) -----------------------------------------------------------------
class ProjSession(Base):
    __tablename__ = "proj_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # always 1
    stage: Mapped[str | None] = mapped_column(String)
    paused: Mapped[bool] = mapped_column(Boolean, nullable=False)
    terminated: Mapped[bool] = mapped_column(Boolean, nullable=False)
    chair: Mapped[str | None] = mapped_column(String)


class ProjAuthor(Base):
    __tablename__ = "proj_authors"
    __table_args__ = {"sqlite_with_rowid": False}  # keyed by text: one b-tree, not two
    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String, nullable=False)
    label: Mapped[str] = mapped_column(String, nullable=False)
    member: Mapped[str | None] = mapped_column(String)
    revoked: Mapped[bool] = mapped_column(Boolean, nullable=False)


class ProjMember(Base):
    __tablename__ = "proj_members"
    __table_args__ = {"sqlite_with_rowid": False}  # keyed by text: one b-tree, not two
    id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(String, nullable=False)
    role: Mapped[str] = mapped_column(String, nullable=False)
    chair: Mapped[bool] = mapped_column(Boolean, nullable=False)
    author: Mapped[str | None] = mapped_column(String(64))
    recused: Mapped[bool] = mapped_column(Boolean, nullable=False)
    submitted: Mapped[bool] = mapped_column(Boolean, nullable=False)


class ProjScore(Base):
    __tablename__ = "proj_scores"
    __table_args__ = {"sqlite_with_rowid": False}  # keyed by text: one b-tree, not two
    expert: Mapped[str] = mapped_column(String, primary_key=True)
    bidder: Mapped[str] = mapped_column(String, primary_key=True)
    criterion: Mapped[str] = mapped_column(String, primary_key=True)
    score: Mapped[str] = mapped_column(String, nullable=False)  # a decimal string, as in the event


class ProjVerdict(Base):
    __tablename__ = "proj_verdicts"
    __table_args__ = {"sqlite_with_rowid": False}  # keyed by text: one b-tree, not two
    member: Mapped[str] = mapped_column(String, primary_key=True)
    bidder: Mapped[str] = mapped_column(String, primary_key=True)
    passed: Mapped[bool] = mapped_column(Boolean, nullable=False)
    reason: Mapped[str | None] = mapped_column(Text)


class ProjDecision(Base):
    __tablename__ = "proj_decisions"
    __table_args__ = {"sqlite_with_rowid": False}  # keyed by text: one b-tree, not two
    bidder: Mapped[str] = mapped_column(String, primary_key=True)
    decision: Mapped[str] = mapped_column(String, nullable=False)


class ProjAdjustment(Base):
    __tablename__ = "proj_adjustments"
    __table_args__ = {"sqlite_with_rowid": False}  # keyed by text: one b-tree, not two
    bidder: Mapped[str] = mapped_column(String, primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    amount: Mapped[str] = mapped_column(String, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)


class ProjRejection(Base):
    __tablename__ = "proj_rejections"
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False)


class ProjCheckpoint(Base):
    __tablename__ = "proj_checkpoints"
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), nullable=False)
    stage: Mapped[str] = mapped_column(String, nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    root: Mapped[str] = mapped_column(String(64), nullable=False)


class ProjRecording(Base):
    """Recording events in fold order: ``kind`` = segment | fault | the recorder event type; ``body`` canonical JSON."""

    __tablename__ = "proj_recordings"
    __table_args__ = {"sqlite_with_rowid": False}  # keyed by text: one b-tree, not two
    kind: Mapped[str] = mapped_column(String, primary_key=True)
    idx: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)


class ProjSignature(Base):
    __tablename__ = "proj_signatures"
    __table_args__ = {"sqlite_with_rowid": False}  # keyed by text: one b-tree, not two
    member: Mapped[str] = mapped_column(String, primary_key=True)
    sha256: Mapped[str] = mapped_column(String, nullable=False)


PROJECTIONS = [ProjSession, ProjAuthor, ProjMember, ProjScore, ProjVerdict, ProjDecision, ProjAdjustment,
               ProjRejection, ProjCheckpoint, ProjRecording, ProjSignature]
