"""Morphology-aware full-text search over articles, and over entity names.

Why lemmas and not the database's own stemmer: neither SQLite nor PostgreSQL
knows Ukrainian, and their Russian stemmer cuts surnames badly; pymorphy3 (via
:mod:`storyline.nlp.morph`) already gives us dictionary forms, so the index holds,
for every word, its casefolded form and its lemma. The query gets the same
treatment under every language we have a dictionary for, so «Столтенберг» finds
«Столтенберга» without knowing the query's language.

Two index tables, both outside the SQLAlchemy models (they are dialect-specific;
:func:`include_name` keeps them out of schema comparisons):

* ``article_search`` — one row per article: title, lead and text as lemmas;
* ``entity_search`` — one row per canonical entity: its names in every
  language and its aliases, so "Stoltenberg" finds the entity, and through its
  mentions the Cyrillic articles.

On SQLite they are FTS5 tables (ranked by bm25); on PostgreSQL plain tables with
a generated ``tsvector`` over the lemma string (``'simple'`` configuration: the
lemmas are already normalized) and a GIN index. :func:`index_articles` runs inside
:meth:`Store.add_articles`'s transaction, so an article is searchable exactly when
it is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storyline.nlp import morph
from storyline.nlp.terms import WORD as _WORD
from storyline.nlp.terms import article_terms, lemma_text
from storyline.nlp.terms import fold as _fold
from storyline.store.models import entity_table
from storyline.store.rows import ARTICLE_COLUMNS, to_article

SEARCH_TABLES = frozenset({"article_search", "entity_search"})
_QUERY_LANGS = ("ru", "uk")
_MAX_TERMS = 12
"""A query longer than this is cut: nobody types more, and each term is one more OR group."""
_MAX_ENTITIES = 50
"""Entity matches followed into articles; a query matching more is too vague to follow."""


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic ``include_name`` hook: the search tables (and FTS5's shadow tables)
    are not in the models, so schema comparisons must not see them."""
    if type_ == "table" and name is not None:
        return not any(name == t or name.startswith(t + "_") for t in SEARCH_TABLES)
    return True


# ---------------------------------------------------------------------- lemmas


def query_terms(query: str) -> list[list[str]]:
    """The query as AND-ed groups of OR-ed alternatives: per word, its folded form and
    its lemma under each dictionary language."""
    groups: list[list[str]] = []
    for match in list(_WORD.finditer(query))[:_MAX_TERMS]:
        word = match.group()
        alternatives = [_fold(word)]
        if not word.isdigit():
            for lang in _QUERY_LANGS:
                if morph.analyzer(lang) is not None:
                    alternatives.extend(_fold(p) for p in _WORD.findall(morph.lemma(word, lang)))
        groups.append(list(dict.fromkeys(alternatives)))
    return groups


def entity_text(name: str, names: dict[str, str], aliases: Iterable[str]) -> str:
    """Index terms of an entity: every name and alias, lemmatized in its own language."""
    parts = [lemma_text(name, None)]
    parts.extend(lemma_text(value, lang) for lang, value in names.items() if value)
    parts.extend(lemma_text(alias, None) for alias in aliases if alias)
    return " ".join(p for p in parts if p)


# ---------------------------------------------------------------------- schema


def create_tables(conn: Connection) -> None:
    """Create the index tables for the connection's dialect (used by migration 0004)."""
    if conn.dialect.name == "postgresql":
        for table, key in (("article_search", "article_id"), ("entity_search", "entity_id")):
            conn.exec_driver_sql(
                f"CREATE TABLE {table} ({key} VARCHAR(40) PRIMARY KEY, lemmas TEXT NOT NULL, "
                "tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', lemmas)) STORED)"
            )
            conn.exec_driver_sql(f"CREATE INDEX ix_{table}_tsv ON {table} USING gin (tsv)")
        return
    # remove_diacritics 0: «й» and «ї» are letters of their own, not «и» and «і» with marks.
    tokenize = "tokenize = 'unicode61 remove_diacritics 0'"
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE article_search USING fts5(article_id UNINDEXED, lemmas, {tokenize})"
    )
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE entity_search USING fts5(entity_id UNINDEXED, lemmas, {tokenize})"
    )


def drop_tables(conn: Connection) -> None:
    for table in SEARCH_TABLES:
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")


# ---------------------------------------------------------------------- indexing


def has_index(conn: Connection) -> bool:
    """Whether the store has the search tables: one below revision 0004 has none yet,
    and the migration that creates them indexes what is stored."""
    return sa.inspect(conn).has_table("article_search")


def index_article(conn: Connection, article_id: str, lemmas: str) -> None:
    """:func:`index_articles` for one article."""
    index_articles(conn, [(article_id, lemmas)])


def index_articles(conn: Connection, rows: Sequence[tuple[str, str]]) -> None:
    """Index newly stored articles by their terms (:func:`storyline.nlp.terms.article_terms`,
    computed with the annotations, off the single writer's path), one multi-row INSERT.

    Runs inside the caller's transaction; the caller checks :func:`has_index` first
    (once per store, not per article).
    """
    if not rows:
        return
    params = [{"id": article_id, "lemmas": lemmas} for article_id, lemmas in rows]
    if conn.dialect.name == "postgresql":
        statement = (
            "INSERT INTO article_search (article_id, lemmas) VALUES (:id, :lemmas) "
            "ON CONFLICT (article_id) DO UPDATE SET lemmas = EXCLUDED.lemmas"
        )
    else:
        statement = "INSERT INTO article_search (article_id, lemmas) VALUES (:id, :lemmas)"
    conn.execute(sa.text(statement), params)


def index_entities(conn: Connection, entity_ids: Sequence[str]) -> None:
    """(Re-)index these entities' names and aliases: they may have grown since last time."""
    if not entity_ids:
        return
    e = entity_table.c
    rows = conn.execute(
        sa.select(e.id, e.created_seq, e.name, e.names, e.aliases).where(e.id.in_(entity_ids))
    ).all()
    params = [
        {
            "rowid": row.created_seq,
            "id": row.id,
            "lemmas": entity_text(row.name, dict(row.names or {}), row.aliases or ()),
        }
        for row in rows
    ]
    if not params:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(
            sa.text(
                "INSERT INTO entity_search (entity_id, lemmas) VALUES (:id, :lemmas) "
                "ON CONFLICT (entity_id) DO UPDATE SET lemmas = EXCLUDED.lemmas"
            ),
            [{"id": p["id"], "lemmas": p["lemmas"]} for p in params],
        )
    else:
        # The entity's created_seq is the FTS rowid: replacing a row is a keyed delete.
        conn.execute(
            sa.text("DELETE FROM entity_search WHERE rowid = :rowid"),
            [{"rowid": p["rowid"]} for p in params],
        )
        conn.execute(
            sa.text(
                "INSERT INTO entity_search (rowid, entity_id, lemmas) VALUES (:rowid, :id, :lemmas)"
            ),
            params,
        )


def rebuild(conn: Connection) -> int:
    """Index every stored article and entity (for a store migrated from before 0004)."""
    count = 0
    # a migration rebuilds from the table as it is then, before later columns exist
    present = {c["name"] for c in sa.inspect(conn).get_columns("article")}
    columns = [c for c in ARTICLE_COLUMNS if c.name in present]
    for row in conn.execute(sa.select(*columns)).all():
        index_article(conn, row.id, article_terms(to_article(row)))
        count += 1
    index_entities(conn, list(conn.scalars(sa.select(entity_table.c.id))))
    return count


# ---------------------------------------------------------------------- querying


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: str
    score: float
    """Lower is better (negated rank), comparable within one result only."""
    via_entity: bool
    """Found only through an entity whose name matched, not through the article's words."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    total: int
    hits: tuple[SearchHit, ...]
    entity_ids: tuple[str, ...]
    """Entities whose names or aliases matched the whole query."""


def _fts5_match(groups: list[list[str]]) -> str:
    # Every term is letters/digits only (see _WORD), so double quotes are enough to
    # keep FTS5 from reading one as an operator (AND, OR, NOT, NEAR).
    return " AND ".join("(" + " OR ".join(f'"{t}"' for t in g) + ")" for g in groups)


def _tsquery(groups: list[list[str]]) -> str:
    return " & ".join("(" + " | ".join(f"'{t}'" for t in g) + ")" for g in groups)


def matching_entities(conn: Connection, query: str) -> list[str]:
    """Entities whose names or aliases contain every query word (any form)."""
    groups = query_terms(query)
    if not groups:
        return []
    if conn.dialect.name == "postgresql":
        stmt = sa.text(
            "SELECT entity_id FROM entity_search WHERE tsv @@ to_tsquery('simple', :q) "
            "ORDER BY ts_rank(tsv, to_tsquery('simple', :q)) DESC, entity_id LIMIT :n"
        )
        params: dict[str, Any] = {"q": _tsquery(groups), "n": _MAX_ENTITIES}
    else:
        stmt = sa.text(
            "SELECT entity_id FROM entity_search WHERE entity_search MATCH :q "
            "ORDER BY bm25(entity_search), entity_id LIMIT :n"
        )
        params = {"q": _fts5_match(groups), "n": _MAX_ENTITIES}
    return list(conn.scalars(stmt, params))


def search(
    conn: Connection,
    query: str,
    *,
    lang: str | None = None,
    outlet: str | None = None,
    outlets: Sequence[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    entity: str | None = None,
    limit: int | None = 20,
    offset: int = 0,
) -> SearchResult:
    """Articles whose words match every query word (any form), then articles that
    mention an entity whose name matches; best first, one page of them. ``outlets``
    keeps articles of those outlets only (an outlet group; empty: none);
    ``since``/``until`` those published in ``[since, until)`` (wall clock, as the
    store's other filters); ``entity`` those that mention that entity."""
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must be >= 0, got {offset}")
    groups = query_terms(query)
    if not groups:
        return SearchResult(query, 0, (), ())
    entity_ids = matching_entities(conn, query)
    pg = conn.dialect.name == "postgresql"
    params: dict[str, Any] = {}
    if pg:
        words = (
            "SELECT article_id, -ts_rank(tsv, to_tsquery('simple', :q)) AS score, 0 AS via "
            "FROM article_search WHERE tsv @@ to_tsquery('simple', :q)"
        )
        params["q"] = _tsquery(groups)
    else:
        words = (
            "SELECT article_id, bm25(article_search) AS score, 0 AS via "
            "FROM article_search WHERE article_search MATCH :q"
        )
        params["q"] = _fts5_match(groups)
    parts = [words]
    if entity_ids:
        names = ", ".join(f":e{i}" for i in range(len(entity_ids)))
        params.update({f"e{i}": eid for i, eid in enumerate(entity_ids)})
        parts.append(
            "SELECT DISTINCT article_id, 0.0 AS score, 1 AS via FROM mention "
            f"WHERE entity_id IN ({names})"
        )
    filters = ""
    if lang is not None:
        filters += " AND a.lang = :lang"
        params["lang"] = lang
    if outlet is not None:
        filters += " AND a.outlet = :outlet"
        params["outlet"] = outlet
    if outlets is not None:
        names = ", ".join(f":o{i}" for i in range(len(outlets))) or "NULL"
        filters += f" AND a.outlet IN ({names})"
        params.update({f"o{i}": o for i, o in enumerate(outlets)})
    if since is not None:
        filters += " AND a.published >= :since"
        params["since"] = since
    if until is not None:
        filters += " AND a.published < :until"
        params["until"] = until
    if entity is not None:
        filters += (
            " AND EXISTS (SELECT 1 FROM mention m"
            " WHERE m.article_id = a.id AND m.entity_id = :entity)"
        )
        params["entity"] = entity
    # MATERIALIZED: SQLite refuses bm25() once the planner flattens the FTS query into
    # the outer one.
    hits = (
        f"WITH h AS MATERIALIZED ({' UNION ALL '.join(parts)}) "
        "SELECT h.article_id AS article_id, MIN(h.score) AS score, MIN(h.via) AS via, "
        "MAX(a.published) AS published FROM h JOIN article a ON a.id = h.article_id "
        f"WHERE 1 = 1{filters} GROUP BY h.article_id"
    )
    total = int(conn.execute(sa.text(f"SELECT COUNT(*) FROM ({hits}) AS t"), params).scalar_one())
    page = f"{hits} ORDER BY score, published DESC NULLS LAST, article_id"
    if limit is not None:
        page += " LIMIT :limit OFFSET :offset"
        params.update(limit=limit, offset=offset)
    rows = conn.execute(sa.text(page), params).all()
    return SearchResult(
        query=query,
        total=total,
        hits=tuple(SearchHit(r.article_id, float(r.score), bool(r.via)) for r in rows),
        entity_ids=tuple(entity_ids),
    )
