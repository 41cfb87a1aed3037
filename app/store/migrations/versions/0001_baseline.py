"""Baseline: the session, its events, incidents and the fold's projections.

Revision ID: 0001
Revises: none
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "session",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("room", sa.String(), nullable=False),
        sa.Column("room_key_alg", sa.String(), nullable=False),
        sa.Column("room_key", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("pos", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("id", sa.String(64), nullable=False, unique=True),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("prev", sa.String(64), nullable=True),
        sa.Column("time", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("alg", sa.String(), nullable=False),
        sa.Column("sig", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("author", "seq", name="uq_events_author_seq"),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("record", sa.Text(), nullable=False),
    )
    op.create_table(
        "proj_session",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("stage", sa.String(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("terminated", sa.Boolean(), nullable=False),
        sa.Column("chair", sa.String(), nullable=True),
    )
    op.create_table(
        "proj_authors",
        sa.Column("key_id", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("member", sa.String(), nullable=True),
        sa.Column("revoked", sa.Boolean(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "proj_members",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("chair", sa.Boolean(), nullable=False),
        sa.Column("author", sa.String(64), nullable=True),
        sa.Column("recused", sa.Boolean(), nullable=False),
        sa.Column("submitted", sa.Boolean(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "proj_scores",
        sa.Column("expert", sa.String(), primary_key=True),
        sa.Column("bidder", sa.String(), primary_key=True),
        sa.Column("criterion", sa.String(), primary_key=True),
        sa.Column("score", sa.String(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "proj_verdicts",
        sa.Column("member", sa.String(), primary_key=True),
        sa.Column("bidder", sa.String(), primary_key=True),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "proj_decisions",
        sa.Column("bidder", sa.String(), primary_key=True),
        sa.Column("decision", sa.String(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "proj_adjustments",
        sa.Column("bidder", sa.String(), primary_key=True),
        sa.Column("idx", sa.Integer(), primary_key=True),
        sa.Column("amount", sa.String(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "proj_rejections",
        sa.Column("idx", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.String(64), sa.ForeignKey("events.id"), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
    )
    op.create_table(
        "proj_checkpoints",
        sa.Column("idx", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.String(64), sa.ForeignKey("events.id"), nullable=False),
        sa.Column("stage", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("root", sa.String(64), nullable=False),
    )
    op.create_table(
        "proj_recordings",
        sa.Column("kind", sa.String(), primary_key=True),
        sa.Column("idx", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.String(64), sa.ForeignKey("events.id"), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "proj_signatures",
        sa.Column("member", sa.String(), primary_key=True),
        sa.Column("sha256", sa.String(), nullable=False),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    for table in ("proj_signatures", "proj_recordings", "proj_checkpoints", "proj_rejections", "proj_adjustments",
                  "proj_decisions", "proj_verdicts", "proj_scores", "proj_members", "proj_authors", "proj_session",
                  "incidents", "events", "session"):
        op.drop_table(table)
