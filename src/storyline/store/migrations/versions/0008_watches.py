"""Watches: an entity, a story or a search query a reader follows (``storyline watch``).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "watch",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("target", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_watch"),
        sa.UniqueConstraint("kind", "target", name="uq_watch_kind_target"),
        sa.CheckConstraint("kind IN ('entity', 'story', 'query')", name="ck_watch_kind"),
    )


def downgrade() -> None:
    op.drop_table("watch")
