"""Migrations run on a database that already holds articles, not only on an empty one.

A store is built at revision 0005 from the real seeds (ingested the normal way),
then upgraded to head: every row must come through unchanged, the read indexes of
0006 must exist, and the reads that use them must answer as before. Both backends.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import command

from paths import SEEDS
from storyline.config import Settings
from storyline.ingest import ingest
from storyline.store import Store
from storyline.store.db import WRITE, alembic_config, migrate
from storyline.store.models import Base

NEW_INDEXES = {
    "article": "ix_article_published_desc_id",
    "mention": "ix_mention_entity_id_article_id",
    "story": "ix_story_created_seq",
}


def _rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every modelled table, in primary-key order: what "intact" means."""
    with store.engine.connect() as conn:
        return {
            table.name: [
                tuple(row) for row in conn.execute(sa.select(table).order_by(*table.primary_key))
            ]
            for table in Base.metadata.sorted_tables
        }


def _reads(store: Store) -> tuple[Any, ...]:
    """What the reads served by the new indexes answer."""
    (entity,) = store.entity_rows(limit=1)
    return (
        [a.id for a in store.articles()],
        store.entity_rows(),
        store.entity_detail(entity.id),
        store.stories(),
    )


def _indexes(store: Store) -> dict[str, set[str]]:
    inspector = sa.inspect(store.engine)
    return {table: {ix["name"] for ix in inspector.get_indexes(table)} for table in NEW_INDEXES}


def _has_new_indexes(store: Store) -> dict[str, bool]:
    found = _indexes(store)
    return {table: name in found[table] for table, name in NEW_INDEXES.items()}


def test_upgrade_from_0005_keeps_the_data_and_adds_the_indexes(db_url: str) -> None:
    with Store(db_url) as store:
        migrate(store.engine, "0005")
        report = ingest([str(SEEDS)], store, Settings.from_env(db_url=db_url))
        assert report.ok and report.ingested == 5, report
        assert store.schema_revision() == "0005"
        assert not any(_has_new_indexes(store).values())
        rows, reads = _rows(store), _reads(store)
        assert rows["article"] and rows["mention"] and rows["story_article"]

    with Store.open(db_url) as store:
        assert store.schema_revision() == Store.head_revision()
        assert all(_has_new_indexes(store).values())
        assert _rows(store) == rows
        assert _reads(store) == reads

    with Store(db_url) as store, store.engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0005")
    with Store(db_url) as store:
        assert store.schema_revision() == "0005"
        assert not any(_has_new_indexes(store).values())
        assert _rows(store) == rows
