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
from storyline.store.db import WRITE, alembic_config
from storyline.store.models import Base

NEW_INDEXES = {
    "article": "ix_article_published_desc_id",
    "mention": "ix_mention_entity_id_article_id",
    "story": "ix_story_created_seq",
}


def _rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table the revision has, columns as the database has them now, in
    primary-key order: what "intact" means at any revision."""
    known = {t.name for t in Base.metadata.sorted_tables}
    with store.engine.connect() as conn:
        tables = sa.MetaData()
        tables.reflect(conn, only=lambda name, _: name in known)
        return {
            table.name: [
                tuple(row) for row in conn.execute(sa.select(table).order_by(*table.primary_key))
            ]
            for table in tables.sorted_tables
        }


def _provenance(store: Store) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        query = sa.text("SELECT id, published_evidence, cites FROM article ORDER BY id")
        return [tuple(row) for row in conn.execute(query)]


def _downgrade(store: Store, revision: str) -> None:
    with store.engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)


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


def test_upgrade_from_0005_keeps_the_data_and_adds_indexes_and_provenance(db_url: str) -> None:
    # the seeds ingested the normal way, then the store taken back to 0005 (the code
    # writes today's columns, so an older store is made by downgrading a populated one)
    with Store.open(db_url) as store:
        report = ingest([str(SEEDS)], store, Settings.from_env(db_url=db_url))
        assert report.ok and report.ingested == 5, report
        reads = _reads(store)
        evidence = _provenance(store)
        assert any(e for _, e, _ in evidence)  # the seeds are dated by some evidence
        _downgrade(store, "0005")
    with Store(db_url) as store:
        assert store.schema_revision() == "0005"
        assert not any(_has_new_indexes(store).values())
        columns = {c["name"] for c in sa.inspect(store.engine).get_columns("article")}
        assert not {"published_evidence", "cites"} & columns
        rows = _rows(store)
        assert rows["article"] and rows["mention"] and rows["story_article"]

    with Store.open(db_url) as store:
        assert store.schema_revision() == Store.head_revision()
        assert all(_has_new_indexes(store).values())
        upgraded = _rows(store)
        # every old column of every row as it was; the new ones (article provenance,
        # entity form counts) empty for old rows
        for table, old in rows.items():
            width = len(old[0]) if old else 0
            assert [r[:width] for r in upgraded[table]] == old, table
            assert all(v is None for r in upgraded[table] for v in r[width:]), table
        # tables added since 0005 start empty (old articles' event mentions are found
        # when a reader first asks for them: storyline.assemble.timeline)
        assert not any(v for k, v in upgraded.items() if k not in rows)
        assert all(e is None and c is None for _, e, c in _provenance(store))
        assert _reads(store) == reads
