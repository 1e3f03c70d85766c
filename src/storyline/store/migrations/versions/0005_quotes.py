"""Quotes: who said what, as the annotate stage finds it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quote_mention",
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("cue", sa.Text(), nullable=False),
        sa.Column("speaker_text", sa.Text(), nullable=True),
        sa.Column("speaker_start", sa.Integer(), nullable=True),
        sa.Column("speaker_end", sa.Integer(), nullable=True),
        sa.Column("speaker_seq", sa.Integer(), nullable=True),
        sa.Column("speaker_entity_id", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("article_id", "seq", name="pk_quote_mention"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name="fk_quote_mention_article_id_article",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["speaker_entity_id"], ["entity.id"], name="fk_quote_mention_speaker_entity_id_entity"
        ),
        sa.CheckConstraint("kind IN ('direct', 'indirect')", name="ck_quote_mention_kind"),
    )
    op.create_index("ix_quote_mention_speaker_entity_id", "quote_mention", ["speaker_entity_id"])


def downgrade() -> None:
    op.drop_index("ix_quote_mention_speaker_entity_id", table_name="quote_mention")
    op.drop_table("quote_mention")
