"""Search: full-text indexes of article lemmas and entity names.

Dialect-specific tables (FTS5 on SQLite, tsvector + GIN on PostgreSQL) that the
SQLAlchemy models do not describe; see :mod:`storyline.store.search`. A store
upgraded from 0003 gets its existing articles indexed here.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from storyline.store import search

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    search.create_tables(conn)
    search.rebuild(conn)


def downgrade() -> None:
    search.drop_tables(op.get_bind())
