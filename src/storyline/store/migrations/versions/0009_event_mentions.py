"""Event mentions found at ingest, so a story's account is merged from rows when read.

* ``event_part``: per article and text (body, title, lead), the date reference its
  mentions were found against and its entity mentions with their canonical ids;
* ``event_mention``: one row per clause reporting a happening, place and
  participants as entity ids (see :mod:`storyline.store.events`).

Articles stored before have no rows: a reader finds their mentions itself (see
:mod:`storyline.store.events`).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_part",
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("part", sa.String(8), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("entities", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "part", name="pk_event_part"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name="fk_event_part_article_id_article",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "event_mention",
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("part", sa.String(8), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("sentence_start", sa.Integer(), nullable=False),
        sa.Column("sentence_end", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("date", sa.String(32), nullable=True),
        sa.Column("grain", sa.String(8), nullable=True),
        sa.Column("date_inferred", sa.Boolean(), nullable=False),
        sa.Column("place", sa.String(40), nullable=True),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("planned", sa.Boolean(), nullable=False),
        sa.Column("antecedent", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("article_id", "part", "seq", name="pk_event_mention"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name="fk_event_mention_article_id_article",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("event_mention")
    op.drop_table("event_part")
