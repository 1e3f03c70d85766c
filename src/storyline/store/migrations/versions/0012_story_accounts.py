"""Story accounts built at ingest, so reading a story is reading a row.

``story_account``: one row per story, the key the account was built for (its members
and their mentions' date references) and the account as JSON text; a ``NULL`` key
marks an account still to be built (see :mod:`storyline.store.accounts`).

Stories stored before have no row: a reader merges their accounts as before, and the
next ingest that changes one stores its account.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "story_account",
        sa.Column("story_id", sa.String(40), nullable=False),
        sa.Column("key", sa.String(64), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("story_id", name="pk_story_account"),
        sa.ForeignKeyConstraint(["story_id"], ["story.id"], name="fk_story_account_story_id_story"),
    )


def downgrade() -> None:
    op.drop_table("story_account")
