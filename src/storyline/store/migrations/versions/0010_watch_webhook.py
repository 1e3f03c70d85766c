"""A watch's webhook: where ``storyline digest --notify`` posts what is new for it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, as in 0007 (no batch rebuild of the table on SQLite).


def upgrade() -> None:
    op.add_column("watch", sa.Column("webhook", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("watch", "webhook")
