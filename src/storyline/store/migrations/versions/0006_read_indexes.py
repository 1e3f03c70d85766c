"""Indexes the web and API reads need at scale (plans in ``docs/postgres-plans.md``).

* ``article (published DESC NULLS LAST, id)``: the article lists' order, so a page
  is read off the index instead of sorting every article;
* ``mention (entity_id, article_id)``: an entity's distinct articles counted from
  the index alone (entity list, entity page, story surface);
* ``story (created_seq)``: the ``max(created_seq)`` every new story asks for.

Plain ``CREATE INDEX`` inside the migration's transaction: on a populated
PostgreSQL it blocks writers (not readers) while the indexes build, a few seconds
per million mentions; ``CONCURRENTLY`` cannot run in a transaction.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PLAIN = (
    ("ix_mention_entity_id_article_id", "mention", ["entity_id", "article_id"]),
    ("ix_story_created_seq", "story", ["created_seq"]),
)


def upgrade() -> None:
    for name, table, columns in _PLAIN:
        op.create_index(name, table, columns)
    # SQLite's CREATE INDEX refuses NULLS LAST; its DESC already sorts NULL last.
    nulls = " NULLS LAST" if op.get_bind().dialect.name == "postgresql" else ""
    op.create_index(
        "ix_article_published_desc_id", "article", [sa.text(f"published DESC{nulls}"), "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_article_published_desc_id", table_name="article")
    for name, table, _columns in reversed(_PLAIN):
        op.drop_index(name, table_name=table)
