"""Stories: clusters of articles, their reading surface and their history.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "story",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("titles", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("outlets", sa.JSON(), nullable=False),
        sa.Column("first_published", sa.String(10), nullable=True),
        sa.Column("last_published", sa.String(10), nullable=True),
        sa.Column("top_entities", sa.JSON(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("merged_into", sa.String(40), nullable=True),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("created_seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=False), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=False), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_story"),
        sa.ForeignKeyConstraint(["merged_into"], ["story.id"], name="fk_story_merged_into_story"),
    )
    op.create_index("ix_story_score", "story", ["score"])
    op.create_index("ix_story_stale", "story", ["stale"])
    op.create_index("ix_story_merged_into", "story", ["merged_into"])

    op.create_table(
        "story_article",
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("story_id", sa.String(40), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("features", sa.JSON(), nullable=True),
        sa.Column("assigned_by", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("article_id", name="pk_story_article"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name="fk_story_article_article_id_article",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["story_id"], ["story.id"], name="fk_story_article_story_id_story"),
    )
    op.create_index("ix_story_article_story_id", "story_article", ["story_id"])
    op.create_index("ix_story_article_seq", "story_article", ["seq"])

    op.create_table(
        "story_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("story_id", sa.String(40), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("other_story_id", sa.String(40), nullable=True),
        sa.Column("article_ids", sa.JSON(), nullable=False),
        sa.Column("automatic", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=False), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_story_history"),
    )
    op.create_index("ix_story_history_story_id", "story_history", ["story_id"])


def downgrade() -> None:
    op.drop_index("ix_story_history_story_id", table_name="story_history")
    op.drop_table("story_history")
    op.drop_index("ix_story_article_seq", table_name="story_article")
    op.drop_index("ix_story_article_story_id", table_name="story_article")
    op.drop_table("story_article")
    op.drop_index("ix_story_merged_into", table_name="story")
    op.drop_index("ix_story_stale", table_name="story")
    op.drop_index("ix_story_score", table_name="story")
    op.drop_table("story")
