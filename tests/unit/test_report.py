"""The story dossier (``storyline.report``) built from stores ingested from real pages.

The five seeds are one story (January 2022 security talks) with the disagreements the
product brief names: talks of 7.5 vs almost 8 hours, a draft published on 15 vs 17
December. A second store holds hostile pages — ``<script>`` and ``onerror=`` in the
title, body and URL — that every format must show as text.
"""

from __future__ import annotations

import json
import re
from html import escape as html_escape
from pathlib import Path

import pytest

from storyline.assemble.surface import refresh_stories
from storyline.config import Settings
from storyline.ingest import ingest
from storyline.report import Dossier, build_dossier, render
from storyline.report.markdown import escape, link
from storyline.report.values import human_value
from storyline.store import Store
from storyline.store.stories import StoryNotFound

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
TITLE = f"{SCRIPT} Harvest fair opens {IMG}"
HOSTILE_URL = 'https://evil.example/x?q="><script>alert(2)</script>'

HOSTILE_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{html_escape(TITLE, quote=False)}</title>
<meta property="og:site_name" content="evil.example">
<meta property="article:published_time" content="2022-01-10T09:00:00">
</head><body><article>
<h1>&lt;script&gt;alert(1)&lt;/script&gt; Harvest fair opens</h1>
<p>On 10 January 2022 the annual harvest fair opened in the village square of Geneva
&lt;script&gt;alert(1)&lt;/script&gt; with talks between farmers and the mayor.</p>
<p>"We expect more visitors than ever &lt;img src=x onerror=alert(1)&gt;," said John Smith,
the mayor of the village, on Monday.</p>
<p>Farmers brought pumpkins, apples and honey from the nearby valleys | *bold* _under_
[link](javascript:alert(1)).</p>
<p>A brass band played while children judged the largest pumpkin of the year, and the talks
between farmers and the mayor lasted three hours.</p>
<p>Organisers expect the fair to draw more visitors than last autumn, when bad weather kept
many families at home.</p>
<script>alert("{SCRIPT}")</script>
</article></body></html>
"""


def _hostile_records() -> str:
    """Two unrelated pages whose URLs are hostile: one runs script, one breaks out of an
    attribute."""
    base = {
        "lang": "en",
        "outlet": "chess.example",
        "published": "2022-03-02T10:00:00",
        "text": (
            "The chess olympiad in Oslo ended on Sunday with a surprise winner from Norway.\n"
            "The young grandmaster won the final round after six hours of play.\n"
            "Organisers said the next olympiad will be held in Madrid in two years."
        ),
    }
    records = [
        {**base, "id": "js-1", "url": "javascript:alert(document.cookie)", "title": "Olympiad"},
        {
            **base,
            "id": "attr-1",
            "url": HOSTILE_URL,
            "title": "Olympiad ends in Oslo",
            "text": base["text"].replace("Sunday", "Saturday"),
        },
    ]
    return "".join(json.dumps(r) + "\n" for r in records)


def _ingested(url: str, inputs: list[str]) -> str:
    with Store.open(url) as store:
        report = ingest(inputs, store, Settings.from_env(db_url=url))
    assert report.ok, report
    return url


@pytest.fixture(scope="module")
def seeds_url(seeds_db: str) -> str:
    return seeds_db


@pytest.fixture(scope="module")
def story_id(seeds_story: str) -> str:
    return seeds_story


@pytest.fixture(scope="module")
def dossier(seeds_url: str, story_id: str) -> Dossier:
    with Store.open(seeds_url) as store:
        return build_dossier(store, story_id)


@pytest.fixture(scope="module")
def md(dossier: Dossier) -> str:
    return render(dossier, "md")


@pytest.fixture(scope="module")
def html(dossier: Dossier) -> str:
    return render(dossier, "html")


def _section(text: str, heading: str) -> str:
    """The Markdown between ``## heading`` and the next level-2 heading."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end >= 0 else None]


# --------------------------------------------------------------------------- content


def test_timeline_lists_the_talks_in_date_order(md: str, dossier: Dossier) -> None:
    timeline = _section(md, "Timeline")
    wanted = [
        "phone call, 7 Dec 2021",
        "Geneva, 10 Jan 2022",
        "Brussels, 12 Jan 2022",
        "Vienna, 13 Jan 2022",
    ]
    positions = [timeline.index(title) for title in wanted]
    assert positions == sorted(positions)
    talks = next(e for e in dossier.timeline if "Geneva, 10 Jan 2022" in e.title)
    assert set(talks.disputed) == {"date", "duration"}
    # outlets by their registry names (depo.ua is «Depo.ua»), unknown ones as None
    assert {s.article.outlet for s in talks.sources} >= {"Depo.ua", None}
    assert any("7,5 час" in s.sentence for s in talks.sources)
    assert "⚠ *sources disagree on date, duration*" in timeline
    assert "Depo.ua, Столтенберг передав Росії" in timeline


def test_conflicts_show_values_in_human_form_with_their_articles(md: str) -> None:
    conflicts = _section(md, "Where sources disagree")
    assert "**7 h 30 min** (PT7H30M)" in conflicts
    assert "**8 h** (PT8H)" in conflicts
    assert "**15 Dec 2021** (2021-12-15): Depo.ua" in conflicts
    assert "**17 Dec 2021** (2021-12-17)" in conflicts
    assert "— duration" in conflicts and "— date" in conflicts


def test_quotes_are_grouped_by_speaker(md: str, dossier: Dossier) -> None:
    quotes = _section(md, "Quotes by speaker")
    for speaker in ("Dmitry Peskov", "Vladimir Putin", "Jens Stoltenberg"):
        assert re.search(rf"^### {speaker} \(\d+\)$", quotes, re.M), speaker
    assert "«здесь нет и не может быть места ультиматумам»" in quotes
    counts = [len(s.quotes) for s in dossier.speakers]
    assert counts == sorted(counts, reverse=True)
    peskov = next(s for s in dossier.speakers if s.speaker == "Dmitry Peskov")
    assert any(q.direct for q in peskov.quotes) and any(not q.direct for q in peskov.quotes)


def test_coverage_and_articles_by_language(md: str) -> None:
    coverage = _section(md, "Coverage")
    assert "| Event | Ukrainian media | unknown |" in coverage
    assert "| Jens Stoltenberg–NATO handover, 26 Jan 2022 | ● | — |" in coverage
    assert "- **Ukrainian media:** " in coverage
    articles = _section(md, "Articles by language and outlet")
    assert articles.index("### ru") < articles.index("### uk") < articles.index("#### Depo.ua")
    # 001 prints «26 січня» and no year: its storyline dates it; 004 is known to the month
    assert "- 26 Jan 2022 · Столтенберг передав" in articles
    assert "- January 2022 · Лавров сообщил" in articles
    assert "2022-01-01" not in articles


def test_header_has_dates_languages_and_outlets(md: str) -> None:
    head = md[: md.index("\n## ")]
    assert head.startswith("# ")
    assert "- **Dates:** 9–26 Jan 2022" in head  # 26 Jan: seed 001, dated by its storyline
    assert "- **Languages:** ru (3), uk (2)" in head
    assert "Depo.ua (1)" in head and "- **Articles:** 5" in head


def test_report_language_follows_lang(seeds_url: str, story_id: str) -> None:
    with Store.open(seeds_url) as store:
        ru = render(build_dossier(store, story_id, "ru"), "md")
    assert "## Хронология" in ru
    assert "Женева, 10 января 2022" in ru
    assert "**7 ч 30 мин** (PT7H30M)" in ru and "**17 декабря 2021**" in ru


def test_unknown_story_is_an_error(seeds_url: str) -> None:
    with Store.open(seeds_url) as store, pytest.raises(StoryNotFound, match="s_missing"):
        build_dossier(store, "s_missing")


# --------------------------------------------------------------------------- html


def test_html_is_one_self_contained_file(html: str) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html.lower()
    assert not re.search(r"\son\w+\s*=", html)
    assert not re.search(r"<(link|img|iframe|object|embed)\b", html, re.I)
    assert not re.search(r"\bsrc\s*=", html, re.I)
    assert "url(" not in html and "@import" not in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith("#") for h in hrefs)  # the seeds have no URLs
    assert "Content-Security-Policy" in html
    assert '<table class="coverage">' in html and "7 h 30 min" in html


# --------------------------------------------------------------------------- hostile pages


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, str]:
    """(store URL, the story of the HTML page, the retired id merged into it)."""
    folder = tmp_path_factory.mktemp("hostile")
    pages = folder / "pages"
    pages.mkdir()
    (pages / "page.html").write_text(HOSTILE_PAGE, encoding="utf-8")
    (pages / "olympiad.jsonl").write_text(_hostile_records(), encoding="utf-8")
    url = _ingested(f"sqlite:///{folder / 'hostile.db'}", [str(pages)])
    with Store.open(url) as store:
        stories = store.stories()
        page = next(s for s in stories if "Harvest" in (s.title or ""))
        (other,) = [s for s in stories if s.id != page.id]
        refresh_stories(store, [store.merge_stories(page.id, other.id)])
    return url, page.id, other.id


def _hostile_dossier(hostile: tuple[str, str, str]) -> Dossier:
    url, _, retired = hostile
    with Store.open(url) as store:
        return build_dossier(store, retired)


def test_a_merged_away_story_gives_its_successor(hostile: tuple[str, str, str]) -> None:
    _, page, _ = hostile
    found = _hostile_dossier(hostile)
    assert found.story_id == page and found.size == 3


def test_hostile_text_is_escaped_in_html(hostile: tuple[str, str, str]) -> None:
    html = render(_hostile_dossier(hostile), "html")
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Harvest fair opens" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # body text, shown as text
    assert not re.search(r"<[^>]*\sonerror\s*=", html)
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert not any(h.lower().startswith("javascript:") for h in hrefs)
    assert "https://evil.example/x?q=&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in hrefs


def test_hostile_text_is_escaped_in_markdown(hostile: tuple[str, str, str]) -> None:
    md = render(_hostile_dossier(hostile), "md")
    assert not re.search(r"(?<!\\)<", md), "an unescaped tag opener"
    assert r"\<script\>alert\(1\)\</script\> Harvest fair opens" in md
    assert r"valleys \| \*bold\* \_under\_" not in md  # not a source sentence: not shown
    assert "javascript:" not in md
    assert "](https://evil.example/x?q=%22%3E%3Cscript%3Ealert%282%29%3C/script%3E)" in md
    coverage = _section(md, "Coverage")
    rows = [line for line in coverage.splitlines() if line.startswith("|")]
    assert len({line.count("|") - line.count(r"\|") for line in rows}) == 1


# --------------------------------------------------------------------------- pieces


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a | b", r"a \| b"),
        ("*bold* _it_", r"\*bold\* \_it\_"),
        ("[x](javascript:y)", r"\[x\]\(javascript:y\)"),
        ("line\n\nbreak", "line break"),
        ("1. not a list", r"1\. not a list"),
        ("- not a bullet", r"\- not a bullet"),
        ("AT&T <b>", r"AT\&T \<b\>"),
    ],
)
def test_markdown_escape(raw: str, shown: str) -> None:
    assert escape(raw) == shown


def test_markdown_link_encodes_the_address() -> None:
    assert link("a]b", "https://x.example/a b)(") == r"[a\]b](https://x.example/a%20b%29%28)"
    assert link("plain", None) == "plain"


@pytest.mark.parametrize(
    ("attribute", "value", "lang", "shown"),
    [
        ("duration", "PT7H30M", "en", "7 h 30 min"),
        ("duration", "PT8H", "uk", "8 год"),
        ("duration", "P2D", "ru", "2 сут"),
        ("date", "2021-12-15", "en", "15 Dec 2021"),
        ("date", "2022-01", "en", "January 2022"),
        ("date", "--12-15", "en", "--12-15"),
        ("count:killed", "17.0", "en", "17"),
    ],
)
def test_human_values(attribute: str, value: str, lang: str, shown: str) -> None:
    assert human_value(attribute, value, lang) == shown


def test_templates_are_package_data() -> None:
    import storyline.report

    folder = Path(storyline.report.__file__).parent / "templates"
    assert {p.name for p in folder.iterdir()} == {"dossier.md.j2", "dossier.html.j2"}
