"""Outbox: what this node still has to deliver to the center (issue #7).

One row per appended event, written in the same transaction as the event (so a committed event is
always either delivered with a receipt or still pending), and one per archive to upload. Rows are never
deleted: ``acked_at`` and the center's signed ``receipt`` mark delivery.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_try_at", sa.Float(), nullable=False, server_default="0"),
        sa.Column("acked_at", sa.String(), nullable=True),
        sa.Column("receipt", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
    )
    # Existing events of a file made before the outbox: all still to deliver.
    op.execute("INSERT INTO outbox (kind, ref) SELECT 'event', id FROM events ORDER BY pos")


def downgrade() -> None:
    op.drop_table("outbox")
