"""Initial schema: document and article.

Revision ID: 0001
Revises:
Create Date: 2026-05-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("content_type", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=False), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name="pk_document"),
    )
    op.create_table(
        "article",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("doc_sha256", sa.String(64), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("lang", sa.String(16), nullable=True),
        sa.Column("lang_confidence", sa.Float(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("lead", sa.Text(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=False), nullable=True),
        sa.Column("published_utcoffset", sa.Integer(), nullable=True),
        sa.Column("published_precision", sa.String(8), nullable=True),
        sa.Column("published_inferred", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("content_hash", sa.String(128), server_default="", nullable=False),
        sa.Column("duplicate_of", sa.String(40), nullable=True),
        sa.Column("minhash", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=False), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_article"),
        sa.ForeignKeyConstraint(
            ["doc_sha256"], ["document.sha256"], name="fk_article_doc_sha256_document"
        ),
        sa.ForeignKeyConstraint(
            ["duplicate_of"],
            ["article.id"],
            name="fk_article_duplicate_of_article",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint("doc_sha256", name="uq_article_doc_sha256"),
        sa.CheckConstraint(
            "published_precision IS NULL OR published_precision IN "
            "('minute', 'hour', 'day', 'month', 'year')",
            name="ck_article_published_precision",
        ),
    )
    op.create_index("ix_article_lang", "article", ["lang"])
    op.create_index("ix_article_outlet", "article", ["outlet"])
    op.create_index("ix_article_published", "article", ["published"])
    op.create_index("ix_article_content_hash", "article", ["content_hash"])
    op.create_index("ix_article_duplicate_of", "article", ["duplicate_of"])


def downgrade() -> None:
    op.drop_table("article")
    op.drop_table("document")
