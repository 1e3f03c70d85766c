"""Search in the store, on SQLite (FTS5) and PostgreSQL (tsvector): same answers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from paths import seed
from storyline.config import Settings
from storyline.document import Article, RawDocument
from storyline.ingest import ingest
from storyline.store import Store
from storyline.store.db import WRITE, alembic_config, migrate


def _ingest(store: Store, url: str, *prefixes: str) -> list[str]:
    paths = [str(seed(p)) for p in prefixes]
    return ingest(paths, store, Settings.from_env(db_url=url)).article_ids


def test_search_finds_inflected_forms_and_names_across_scripts(db_url: str) -> None:
    with Store.open(db_url) as store:
        ids = _ingest(store, db_url, "000", "002")
        stoltenberg = [a for a in ids if "Столтенберга" in (store.article(a) or "").text]
        assert stoltenberg
        by_form = store.search("Столтенберг")
        assert {h.article_id for h in by_form.hits} >= set(stoltenberg)
        assert not any(h.via_entity for h in by_form.hits)
        by_name = store.search("Stoltenberg")
        assert by_name.entity_ids and {h.article_id for h in by_name.hits} == set(stoltenberg)
        assert all(h.via_entity for h in by_name.hits)
        assert store.search("Столтенберг", lang="en").total == 0
        both = store.search("переговоры")
        assert both.total == len(both.hits) >= 1
        assert store.search("переговоры", limit=1, offset=both.total).hits == ()


@pytest.mark.parametrize(
    "query", ["", "   ", "NOT", '"', "OR AND", "a*b:c", "'; DROP TABLE article; --"]
)
def test_odd_queries_are_just_words(store: Store, query: str) -> None:
    assert store.search(query).total == 0
    assert store.count_articles() == 0


def test_upgrade_from_0003_indexes_stored_articles(db_url: str) -> None:
    text = seed("000").read_text(encoding="utf-8")
    doc = RawDocument(source="old.txt", data=text.encode())
    article = Article(id=doc.article_id, source="old.txt", text=text, lang="ru")
    with Store(db_url) as store:
        migrate(store.engine, "0003")
        assert store.add_article(doc, article)  # no index yet: nothing to write it to
        assert "article_search" not in sa.inspect(store.engine).get_table_names()
    with Store.open(db_url) as store:
        assert [h.article_id for h in store.search("Столтенберг").hits] == [article.id]
    with Store(db_url) as store, store.engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0003")
        assert "article_search" not in sa.inspect(store.engine).get_table_names()


def test_a_name_an_entity_learns_later_becomes_searchable(db_url: str) -> None:
    """Entities are re-indexed when an article changes them, not for every mention."""
    with Store.open(db_url) as store:
        (ru,) = _ingest(store, db_url, "000")  # «Йенса Столтенберга»
        before = store.search("Єнс").entity_ids
        (uk,) = _ingest(store, db_url, "001")  # «Єнс Столтенберг» joins the same entity
        found = store.search("Єнс")
        assert not before and found.entity_ids
        assert ru in {h.article_id for h in found.hits}
        assert uk in {h.article_id for h in found.hits}
