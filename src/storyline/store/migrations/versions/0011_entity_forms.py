"""An entity's form counts: how often each form was linked to it, per language.

Per-language names are chosen by these counts; stored, a linker rebuilt from the
store (a resumed ingest) chooses as the live one did. Entities stored before keep
``NULL`` and are loaded from their names, as before.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("entity", sa.Column("forms", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("entity", "forms")
