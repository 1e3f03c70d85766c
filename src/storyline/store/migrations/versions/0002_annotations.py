"""Annotations: canonical entities, entity/date/duration mentions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-10
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TYPES = "type IN ('PER', 'ORG', 'LOC', 'EVT', 'MISC')"


def upgrade() -> None:
    op.create_table(
        "entity",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("type", sa.String(8), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("created_seq", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=False), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=False), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_entity"),
        sa.CheckConstraint(_TYPES, name="ck_entity_type"),
    )
    op.create_index("ix_entity_created_seq", "entity", ["created_seq"])

    op.create_table(
        "mention",
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("type", sa.String(8), nullable=False),
        sa.Column("normal", sa.Text(), nullable=False),
        sa.Column("lang", sa.String(16), nullable=False),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.String(40), nullable=True),
        sa.PrimaryKeyConstraint("article_id", "seq", name="pk_mention"),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name="fk_mention_article_id_article", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["entity_id"], ["entity.id"], name="fk_mention_entity_id_entity"),
        sa.CheckConstraint(_TYPES, name="ck_mention_type"),
    )
    op.create_index("ix_mention_entity_id", "mention", ["entity_id"])

    op.create_table(
        "date_mention",
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("value", sa.String(64), nullable=False),
        sa.Column("grain", sa.String(8), nullable=False),
        sa.Column("inferred", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "seq", name="pk_date_mention"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name="fk_date_mention_article_id_article",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint("grain IN ('day', 'month', 'year')", name="ck_date_mention_grain"),
    )
    op.create_index("ix_date_mention_value", "date_mention", ["value"])

    op.create_table(
        "duration_mention",
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("value", sa.String(64), nullable=False),
        sa.Column("approximate", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("article_id", "seq", name="pk_duration_mention"),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name="fk_duration_mention_article_id_article",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("duration_mention")
    op.drop_table("date_mention")
    op.drop_index("ix_mention_entity_id", table_name="mention")
    op.drop_table("mention")
    op.drop_index("ix_entity_created_seq", table_name="entity")
    op.drop_table("entity")
