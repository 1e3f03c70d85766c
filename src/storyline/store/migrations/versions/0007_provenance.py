"""Provenance of each article: which evidence dated it, and which outlets it cites.

* ``article.published_evidence``: the evidence that won («page», «url», «crawler»,
  «url+reporting», «storyline», …; see :mod:`storyline.extract.published`), so a
  reader can judge a date and a later pass can re-resolve the inferred ones;
* ``article.cites``: the registry ids of the outlets the page cites as sources
  («пишет ТАСС»), a JSON list; empty for the articles stored before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, not Alembic's batch mode: on SQLite a batch rebuilds the table,
# and dropping the old copy would cascade to every mention, quote and story row.


def upgrade() -> None:
    op.add_column("article", sa.Column("published_evidence", sa.String(32), nullable=True))
    op.add_column("article", sa.Column("cites", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("article", "cites")
    op.drop_column("article", "published_evidence")
