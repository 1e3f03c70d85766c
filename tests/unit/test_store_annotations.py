"""Mentions, dates, durations and canonical entities in the store; their export and CLI.

Everything runs on SQLite and on a real PostgreSQL server (the ``store`` and
``db_url`` fixtures). The annotations are built from real seed text: every span
is found in the article's text, so ``text[start:end] == mention.text`` holds.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from click.testing import Result
from typer.testing import CliRunner

from paths import seed
from storyline.assemble.linking import EntityLinker
from storyline.cli import app
from storyline.document import Article, RawDocument
from storyline.errors import StoreError
from storyline.export import records, write_csv, write_json, write_jsonl
from storyline.nlp.annotations import Annotations, DateMention, DurationMention, EntityMention
from storyline.records import CanonicalEntity
from storyline.store import ArticleAnnotations, Store
from storyline.store.db import WRITE, alembic_config, migrate

TABLES = ("entity", "mention", "date_mention", "duration_mention")

# ---------------------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def ru_text() -> str:
    return seed("000").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def uk_text() -> str:
    return seed("001").read_text(encoding="utf-8")


def span(text: str, surface: str, nth: int = 0) -> tuple[int, int]:
    """The ``nth`` occurrence of ``surface`` in ``text`` (it must be there)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def ent(
    text: str,
    surface: str,
    type_: Any,
    normal: str,
    lang: str,
    *,
    nth: int = 0,
    role: str | None = None,
) -> EntityMention:
    start, end = span(text, surface, nth)
    return EntityMention(start, end, surface, type_, normal, lang, role=role, source="test")


def make(key: str, text: str, lang: str) -> tuple[RawDocument, Article]:
    doc = RawDocument(source=f"seeds/{key}.txt", data=f"document {key}".encode())
    article = Article(
        id=doc.article_id, source=doc.source, text=text, lang=lang, title=f"Title {key}"
    )
    return doc, article


def ru_annotations(article_id: str, text: str) -> Annotations:
    return Annotations(
        article_id=article_id,
        lang="ru",
        entities=(
            ent(text, "Брюсселе", "LOC", "Брюссель", "ru"),
            ent(text, "Йенса Столтенберга", "PER", "Йенс Столтенберг", "ru"),
            ent(text, "Столтенберг", "PER", "Столтенберг", "ru", nth=1),
            ent(text, "Дмитрий Песков", "PER", "Дмитрий Песков", "ru", role="Пресс-секретарь"),
        ),
        dates=(
            DateMention(*span(text, "12 января"), "12 января", "2022-01-12", "day", inferred=True),
            DateMention(
                *span(text, "12 января", 1), "12 января", "2022-01-12", "day", kind="partial"
            ),
        ),
        durations=(
            DurationMention(
                *span(text, "около четырех часов"), "около четырех часов", "PT4H", approximate=True
            ),
        ),
    )


STOLTENBERG = CanonicalEntity(
    id="e_stoltenberg",
    type="PER",
    name="Jens Stoltenberg",
    names={"ru": "Йенс Столтенберг"},
    aliases=("Йенса Столтенберга", "Столтенберг"),
)
BRUSSELS = CanonicalEntity("e_brussels", "LOC", "Brussels", {"ru": "Брюссель"}, ("Брюсселе",))
PESKOV = CanonicalEntity(
    "e_peskov", "PER", "Dmitry Peskov", {"ru": "Дмитрий Песков"}, ("Дмитрий Песков",)
)
RU_IDS = ["e_brussels", "e_stoltenberg", "e_stoltenberg", "e_peskov"]


def add_ru(store: Store, text: str, key: str = "ru") -> Article:
    doc, article = make(key, text, "ru")
    assert store.add_article(
        doc,
        article,
        annotations=ru_annotations(article.id, text),
        entity_ids=RU_IDS,
        entities=[BRUSSELS, STOLTENBERG, PESKOV],
    )
    return article


def add_uk(store: Store, text: str) -> Article:
    """The Ukrainian seed: Stoltenberg again (a new form, a role), NATO new, one unlinked."""
    doc, article = make("uk", text, "uk")
    annotations = Annotations(
        article_id=article.id,
        lang="uk",
        entities=(
            ent(text, "Столтенберга", "PER", "Столтенберг", "uk"),
            ent(text, "НАТО", "ORG", "НАТО", "uk"),
            ent(text, "Альянс", "ORG", "Альянс", "uk"),
        ),
        dates=(DateMention(*span(text, "26 січня"), "26 січня", "2022-01-26", "day"),),
    )
    stoltenberg = CanonicalEntity(
        "e_stoltenberg",
        "PER",
        "Jens Stoltenberg",
        {"uk": "Єнс Столтенберг"},
        ("Столтенберга",),
        ("NATO Secretary General",),
    )
    nato = CanonicalEntity("e_nato", "ORG", "NATO", {"uk": "НАТО"}, ("НАТО",))
    assert store.add_article(
        doc,
        article,
        annotations=annotations,
        entity_ids=["e_stoltenberg", "e_nato", ""],
        entities=[stoltenberg, nato],
    )
    return article


def count(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


# ---------------------------------------------------------------------------- migration


def test_fresh_database_has_the_annotation_tables(db_url: str) -> None:
    with Store.open(db_url) as store:
        assert store.schema_revision() == Store.head_revision()
        inspector = sa.inspect(store.engine)
        assert set(TABLES) <= set(inspector.get_table_names())
        indexed = {
            (t, tuple(ix["column_names"])) for t in TABLES for ix in inspector.get_indexes(t)
        }
        assert ("mention", ("entity_id",)) in indexed
        assert ("date_mention", ("value",)) in indexed
        assert inspector.get_pk_constraint("mention")["constrained_columns"] == [
            "article_id",
            "seq",
        ]
        fks = {fk["name"]: fk for fk in inspector.get_foreign_keys("mention")}
        assert fks["fk_mention_article_id_article"]["options"].get("ondelete") == "CASCADE"
        assert fks["fk_mention_entity_id_entity"]["referred_table"] == "entity"


def test_upgrade_from_0001_keeps_the_articles(db_url: str, ru_text: str) -> None:
    with Store(db_url) as store:
        migrate(store.engine, "0001")
        assert store.schema_revision() == "0001"
        assert not set(TABLES) & set(sa.inspect(store.engine).get_table_names())
        old_doc, old = make("old", ru_text, "ru")
        assert store.add_article(old_doc, old)  # no annotations: the 0001 tables only

    with Store.open(db_url) as store:
        assert store.schema_revision() == Store.head_revision()
        assert [a.id for a in store.articles()] == [old.id]
        assert store.article(old.id) == old.with_(doc_sha256=old_doc.sha256)
        assert store.article_annotations(old.id) == ([], [], [])
        add_ru(store, ru_text, key="new")
        assert store.count_articles() == 2 and count(store, "mention") == 4


def test_downgrade_to_0001_and_back(db_url: str, ru_text: str) -> None:
    with Store.open(db_url) as store:
        add_ru(store, ru_text)
    with Store(db_url) as store, store.engine.connect() as conn:
        conn.execution_options(**{WRITE: True})
        with conn.begin():
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0001")
        assert store.schema_revision() == "0001"
        assert not set(TABLES) & set(sa.inspect(store.engine).get_table_names())
    with Store.open(db_url) as store:
        assert store.count_articles() == 1 and store.count_entities() == 0


# ---------------------------------------------------------------------------- round trip


def test_annotations_round_trip(store: Store, ru_text: str) -> None:
    article = add_ru(store, ru_text)
    expected = ru_annotations(article.id, ru_text)
    for m in (*expected.entities, *expected.dates, *expected.durations):
        assert ru_text[m.start : m.end] == m.text

    got = store.annotations(article.id)
    assert got is not None
    assert got.entities == expected.entities
    assert got.dates == expected.dates
    assert got.durations == expected.durations
    assert got.lang == "ru"
    assert store.mention_entity_ids(article.id) == RU_IDS
    assert store.annotations("a_missing") is None

    entities, dates, quotes = store.article_annotations(article.id)
    assert quotes == []
    start, end = span(ru_text, "Йенса Столтенберга")
    assert entities[1] == {
        "start": start,
        "end": end,
        "text": "Йенса Столтенберга",
        "type": "PER",
        "entity_id": "e_stoltenberg",
    }
    assert [e["entity_id"] for e in entities] == RU_IDS
    assert all(ru_text[e["start"] : e["end"]] == e["text"] for e in entities)
    start, end = span(ru_text, "12 января")
    assert dates[0] == {
        "start": start,
        "end": end,
        "text": "12 января",
        "value": "2022-01-12",
        "grain": "day",
        "inferred": True,
    }
    assert "inferred" not in dates[1]  # only when inferred
    assert store.load_entities() == [BRUSSELS, STOLTENBERG, PESKOV]
    assert store.entity("e_peskov") == PESKOV


def test_no_annotations_is_the_old_call(store: Store, ru_text: str) -> None:
    doc, article = make("plain", ru_text, "ru")
    assert store.add_article(doc, article)
    assert store.article_annotations(article.id) == ArticleAnnotations([], [], [])
    assert store.annotations(article.id) == Annotations(article.id, "ru")
    assert store.count_entities() == 0


def test_an_entity_evolves_and_keeps_its_id(store: Store, ru_text: str, uk_text: str) -> None:
    add_ru(store, ru_text)
    uk = add_uk(store, uk_text)
    loaded = {e.id: e for e in store.load_entities()}
    stoltenberg = loaded["e_stoltenberg"]
    assert stoltenberg.names == {"ru": "Йенс Столтенберг", "uk": "Єнс Столтенберг"}
    assert stoltenberg.aliases == ("Йенса Столтенберга", "Столтенберг", "Столтенберга")
    assert stoltenberg.roles == ("NATO Secretary General",)
    # creation order: the Russian article's entities first, then NATO
    assert list(loaded) == ["e_brussels", "e_stoltenberg", "e_peskov", "e_nato"]
    assert store.mention_entity_ids(uk.id) == ["e_stoltenberg", "e_nato", ""]
    assert store.article_annotations(uk.id).entities[2]["entity_id"] is None
    assert count(store, "entity") == 4


def test_the_linker_rebuilt_from_the_store_links_the_same(
    store: Store, ru_text: str, uk_text: str
) -> None:
    """The ingest loop: link with a linker loaded from the store, store what it says."""
    linker = EntityLinker(store.load_entities())
    doc, ru = make("ru", ru_text, "ru")
    ann = ru_annotations(ru.id, ru_text)
    ids = linker.link_article(ru.id, ann.entities, ru_text)
    assert ids[1] == ids[2] != ""  # «Йенса Столтенберга» and «Столтенберг»
    assert store.add_article(doc, ru, annotations=ann, entity_ids=ids, entities=linker.entities())
    assert store.load_entities() == linker.entities()

    fresh = EntityLinker(store.load_entities())  # a later ingest process
    doc, uk = make("uk", uk_text, "uk")
    uk_ann = Annotations(
        uk.id, "uk", entities=(ent(uk_text, "Столтенберга", "PER", "Столтенберг", "uk"),)
    )
    uk_ids = fresh.link_article(uk.id, uk_ann.entities, uk_text)
    assert uk_ids == [ids[1]]
    touched = [e for e in fresh.entities() if e.id in uk_ids]
    assert store.add_article(doc, uk, annotations=uk_ann, entity_ids=uk_ids, entities=touched)
    again = {e.id: e for e in store.load_entities()}
    assert "uk" in again[ids[1]].names and "Столтенберга" in again[ids[1]].aliases
    assert [e.id for e in store.load_entities()] == [e.id for e in linker.entities()]


def test_re_adding_writes_nothing(store: Store, ru_text: str) -> None:
    article = add_ru(store, ru_text)
    doc, _ = make("ru", ru_text, "ru")
    changed = CanonicalEntity("e_brussels", "LOC", "CHANGED", {"en": "x"}, ("x",))
    assert not store.add_article(
        doc,
        article,
        annotations=ru_annotations(article.id, ru_text),
        entity_ids=RU_IDS,
        entities=[changed],
    )
    assert store.entity("e_brussels") == BRUSSELS
    assert count(store, "mention") == 4 and count(store, "date_mention") == 2


def test_programming_errors_are_refused_before_writing(store: Store, ru_text: str) -> None:
    doc, article = make("ru", ru_text, "ru")
    ann = ru_annotations(article.id, ru_text)
    with pytest.raises(ValueError, match="4 entity mentions"):
        store.add_article(doc, article, annotations=ann, entity_ids=["e_brussels"])
    with pytest.raises(ValueError, match="another article"):
        store.add_article(doc, article, annotations=ru_annotations("a_other", ru_text))
    assert store.count_articles() == 0


# ---------------------------------------------------------------------------- one transaction


def _nothing_stored(store: Store, doc: RawDocument) -> None:
    assert not store.has_document(doc.sha256)
    assert store.count_articles() == 0
    for table in (*TABLES, "document"):
        assert count(store, table) == 0, table


def test_a_link_to_an_unknown_entity_leaves_nothing(store: Store, ru_text: str) -> None:
    doc, article = make("ru", ru_text, "ru")
    ann = ru_annotations(article.id, ru_text)
    bad_ids = ["e_brussels", "e_stoltenberg", "e_stoltenberg", "e_nobody"]
    with pytest.raises(StoreError) as info:
        store.add_article(
            doc, article, annotations=ann, entity_ids=bad_ids, entities=[BRUSSELS, STOLTENBERG]
        )
    assert "\n" not in str(info.value) and "add an article" in str(info.value)
    _nothing_stored(store, doc)
    # the store is still usable, and the fixed call goes in
    assert store.add_article(
        doc, article, annotations=ann, entity_ids=RU_IDS, entities=[BRUSSELS, STOLTENBERG, PESKOV]
    )


def test_a_bad_date_after_the_mentions_leaves_nothing(store: Store, ru_text: str) -> None:
    doc, article = make("ru", ru_text, "ru")
    ann = ru_annotations(article.id, ru_text)
    week = DateMention(*span(ru_text, "12 января"), "12 января", "2022-W02", "week")
    bad = Annotations(article.id, "ru", entities=ann.entities, dates=(ann.dates[0], week))
    with pytest.raises(StoreError):  # CHECK constraint on the grain
        store.add_article(
            doc,
            article,
            annotations=bad,
            entity_ids=RU_IDS,
            entities=[BRUSSELS, STOLTENBERG, PESKOV],
        )
    _nothing_stored(store, doc)


def test_a_crash_before_the_durations_leaves_nothing(store: Store, ru_text: str) -> None:
    doc, article = make("ru", ru_text, "ru")

    def explode(_conn, _cursor, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO DURATION_MENTION"):
            raise RuntimeError("simulated crash in the middle of the annotations")

    sa.event.listen(store.engine, "before_cursor_execute", explode)
    try:
        with pytest.raises(RuntimeError, match="simulated crash"):
            add_ru(store, ru_text)
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", explode)
    _nothing_stored(store, doc)
    assert add_ru(store, ru_text).id == article.id


def test_deleting_an_article_deletes_its_mentions(store: Store, ru_text: str) -> None:
    article = add_ru(store, ru_text)
    with store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM article WHERE id = :id"), {"id": article.id})
    for table in ("mention", "date_mention", "duration_mention"):
        assert count(store, table) == 0
    assert count(store, "entity") == 3  # entities outlive the articles that named them


# ---------------------------------------------------------------------------- entity queries


def test_entity_rows_counts_filters_and_order(store: Store, ru_text: str, uk_text: str) -> None:
    add_ru(store, ru_text)
    add_uk(store, uk_text)
    rows = store.entity_rows()
    # Stoltenberg: 3 mentions in 2 articles; then 1 article each, by mentions then name
    assert [(r.id, r.mentions, r.articles) for r in rows] == [
        ("e_stoltenberg", 3, 2),
        ("e_brussels", 1, 1),  # Brussels < Dmitry Peskov < NATO
        ("e_peskov", 1, 1),
        ("e_nato", 1, 1),
    ]
    top = rows[0]
    assert top.name == "Jens Stoltenberg" and top.type == "PER"
    assert top.entity == store.entity("e_stoltenberg")

    assert [r.id for r in store.entity_rows(type="PER")] == ["e_stoltenberg", "e_peskov"]
    assert [r.id for r in store.entity_rows(lang="uk")] == ["e_stoltenberg", "e_nato"]
    assert store.entity_rows(type="ORG", lang="ru") == []
    assert [r.id for r in store.entity_rows(limit=2, offset=1)] == [r.id for r in rows[1:3]]
    assert list(store.iter_entity_rows()) == rows
    assert store.count_entities() == 4
    assert store.count_entities("PER") == 2
    assert store.count_entities(lang="uk") == 2
    assert store.count_entities(type="LOC", lang="uk") == 0
    with pytest.raises(ValueError):
        store.entity_rows(limit=-1)


def test_entity_detail(store: Store, ru_text: str, uk_text: str) -> None:
    ru = add_ru(store, ru_text)
    uk = add_uk(store, uk_text)
    detail = store.entity_detail("e_stoltenberg")
    assert detail is not None
    assert detail.entity.names == {"ru": "Йенс Столтенберг", "uk": "Єнс Столтенберг"}
    assert (detail.summary.mentions, detail.summary.articles) == (3, 2)
    by_article = {occ.article_id: occ for occ in detail.occurrences}
    assert set(by_article) == {ru.id, uk.id}
    assert [m.text for m in by_article[ru.id].mentions] == ["Йенса Столтенберга", "Столтенберг"]
    assert by_article[ru.id].title == "Title ru" and by_article[ru.id].lang == "ru"
    first = by_article[ru.id].mentions[0]
    assert "Йенса Столтенберга" in first.context and "брифинг" in first.context
    assert len(first.context) <= 201 and "\n" not in first.context
    limited = store.entity_detail("e_stoltenberg", limit=1)
    assert limited is not None and len(limited.occurrences) == 1
    assert store.entity_detail("e_nobody") is None


# ---------------------------------------------------------------------------- export


def test_export_records_follow_the_contract(store: Store, ru_text: str, uk_text: str) -> None:
    ru = add_ru(store, ru_text)
    add_uk(store, uk_text)
    items = list(records(store))
    kinds = [r["kind"] for r in items]
    assert kinds == ["article", "article", "entity", "entity", "entity", "entity"]
    art = next(r for r in items if r["kind"] == "article" and r["id"] == ru.id)
    assert art["quotes"] == []
    assert art["entities"] == store.article_annotations(ru.id).entities
    for e in art["entities"]:
        assert set(e) == {"start", "end", "text", "type", "entity_id"}
        assert art["text"][e["start"] : e["end"]] == e["text"]
    for d in art["dates"]:
        assert set(d) - {"inferred"} == {"start", "end", "text", "value", "grain"}
        assert art["text"][d["start"] : d["end"]] == d["text"]
    entity = next(r for r in items if r["kind"] == "entity" and r["id"] == "e_stoltenberg")
    assert entity == {
        "kind": "entity",
        "schema": 1,
        "id": "e_stoltenberg",
        "type": "PER",
        "name": "Jens Stoltenberg",
        "names": {"ru": "Йенс Столтенберг", "uk": "Єнс Столтенберг"},
        "aliases": ["Йенса Столтенберга", "Столтенберг", "Столтенберга"],
        "roles": ["NATO Secretary General"],
        "mentions": 3,
        "articles": 2,
    }
    assert [r["kind"] for r in records(store, "entities")] == ["entity"] * 4
    assert [r["kind"] for r in records(store, "articles")] == ["article"] * 2

    # JSONL: one object a line, the same records
    buf = io.StringIO()
    assert write_jsonl(records(store), buf) == 6
    assert [json.loads(line) for line in buf.getvalue().splitlines()] == items
    # JSON: grouped by kind
    buf = io.StringIO()
    write_json(records(store), buf)
    grouped = json.loads(buf.getvalue())
    assert grouped["schema"] == 1 and len(grouped["entities"]) == 4
    assert grouped["entities"][0] == items[2] and grouped["articles"][0] == items[0]


def test_export_csv_has_entities_and_json_lists(
    store: Store, ru_text: str, uk_text: str, tmp_path: Path
) -> None:
    add_ru(store, ru_text)
    add_uk(store, uk_text)
    assert write_csv(records(store), tmp_path) == 6
    with (tmp_path / "entities.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "kind", "schema", "id", "type", "name", "names", "aliases", "roles", "mentions", "articles"
    ]  # fmt: skip
    top = rows[0]
    assert top["id"] == "e_stoltenberg" and top["mentions"] == "3" and top["articles"] == "2"
    assert json.loads(top["names"])["uk"] == "Єнс Столтенберг"
    assert json.loads(top["aliases"])[0] == "Йенса Столтенберга"
    with (tmp_path / "articles.csv").open(encoding="utf-8", newline="") as handle:
        arts = {row["lang"]: row for row in csv.DictReader(handle)}
    assert json.loads(arts["uk"]["entities"])[2]["entity_id"] is None
    assert json.loads(arts["ru"]["dates"])[0]["inferred"] is True


# ---------------------------------------------------------------------------- CLI


@pytest.fixture
def cli_db(sqlite_url: str, ru_text: str, uk_text: str) -> str:
    with Store.open(sqlite_url) as store:
        add_ru(store, ru_text)
        add_uk(store, uk_text)
        markup = CanonicalEntity("e_markup", "MISC", "[bold]not markup[/]", {"ru": "[red]x[/]"})
        doc, art = make("markup", "[bold]not markup[/] in a text", "en")
        mention = EntityMention(0, 18, "[bold]not markup[/]", "MISC", "[bold]", "en")
        assert store.add_article(
            doc,
            art,
            annotations=Annotations(art.id, "en", entities=(mention,)),
            entity_ids=["e_markup"],
            entities=[markup],
        )
    return sqlite_url


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def test_cli_entities(cli_db: str) -> None:
    result = invoke("entities", "--db", cli_db)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "5 of 5 entities" in text
    lines = text.splitlines()
    stoltenberg = next(line for line in lines if "e_stoltenberg" in line)
    assert "Jens Stoltenberg" in stoltenberg and "Йенс Столтенберг" in stoltenberg
    cells = [cell.strip() for cell in stoltenberg.split("│")]
    assert cells[-3:-1] == ["3", "2"]  # mentions, articles
    assert "[bold]not markup[/]" in text  # scraped text is escaped, not interpreted

    result = invoke("entities", "--db", cli_db, "--type", "PER", "--lang", "uk")
    assert result.exit_code == 0
    assert "1 of 1 entities" in result.stdout
    assert "e_peskov" not in result.stdout

    result = invoke("entities", "--db", cli_db, "--limit", "2")
    assert "2 of 5 entities" in result.stdout

    result = invoke("entities", "--db", cli_db, "--type", "GPE")
    assert result.exit_code == 2


def test_cli_entity(cli_db: str) -> None:
    result = invoke("entity", "e_stoltenberg", "--db", cli_db)
    assert result.exit_code == 0, result.output
    text = result.stdout
    for expected in (
        "Jens Stoltenberg",
        "PER",
        "Єнс Столтенберг",
        "Йенса Столтенберга",
        "NATO Secretary General",
        "3 in 2 articles",
        "Title ru",
        "Title uk",
    ):
        assert expected in text, expected
    ru_line = next(line for line in text.splitlines() if "Title ru" in line)
    assert "Йенса Столтенберга, Столтенберг" in ru_line

    result = invoke("entity", "e_markup", "--db", cli_db)
    assert result.exit_code == 0
    assert "[bold]not markup[/]" in result.stdout and "[red]x[/]" in result.stdout

    result = invoke("entity", "e_nobody", "--db", cli_db)
    assert result.exit_code == 1
    assert "no entity e_nobody" in result.output
