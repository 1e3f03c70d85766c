"""The two pieces of pre-built markup: highlighted article text and the SVG chart."""

from __future__ import annotations

from datetime import date

from storyline.web.chart import bar_chart, buckets
from storyline.web.highlight import highlight


def test_highlight_escapes_every_segment_and_links_entities() -> None:
    text = "<b>Йенс Столтенберг</b> said on 12 January: <script>x()</script>"
    entities = [
        {"start": 3, "end": 20, "text": "Йенс Столтенберг", "type": "PER", "entity_id": "e_1"},
        {"start": 8, "end": 20, "text": "Столтенберг", "type": "PER", "entity_id": "e_2"},
    ]
    dates = [{"start": 32, "end": 42, "text": "12 January", "value": "2022-01-12", "grain": "day"}]
    html = str(highlight(text, entities, dates, {"e_1": 'Jens "J" <S>'}))
    assert html.startswith("&lt;b&gt;")
    assert (
        '<a class="ent ent-PER" href="/entities/e_1" title="Jens &#34;J&#34; &lt;S&gt; · PER">'
        in html
    )
    assert "e_2" not in html  # overlapping span dropped
    assert '<mark class="date" title="2022-01-12">12 January</mark>' in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "<script" not in html


def test_highlight_ignores_spans_outside_the_text_and_unlinked_mentions() -> None:
    text = "NATO met."
    entities = [
        {"start": 0, "end": 4, "text": "NATO", "type": "ORG", "entity_id": None},
        {"start": 5, "end": 99, "text": "x", "type": "ORG", "entity_id": "e_9"},
    ]
    html = str(highlight(text, entities, []))
    assert html == '<span class="ent ent-ORG" title="ORG">NATO</span> met.'


def test_quotes_nest_between_cited_sentences_and_mentions() -> None:
    text = 'Рябков заявил: "Мы готовы. Решать будет НАТО". Дальше.'
    quote_start = text.index("Мы")
    quote_end = text.index('"', quote_start)
    second = text.index("Решать")
    quotes = [
        {
            "start": quote_start,
            "end": quote_end,
            "text": text[quote_start:quote_end],
            "speaker_text": "<b>Рябков</b>",
            "speaker_entity_id": None,
            "kind": "direct",
        }
    ]
    nato = text.index("НАТО")
    entities = [{"start": nato, "end": nato + 4, "text": "НАТО", "type": "ORG", "entity_id": "e_n"}]
    html = str(highlight(text, entities, [], quotes=quotes, cited=[(second, quote_end + 2)]))
    title = 'title="&lt;b&gt;Рябков&lt;/b&gt; (direct)"'
    # the quote is cut at the cited sentence's start: one piece before it, one inside it;
    # the first piece carries the quote's anchor (the story's "who said what" links to it)
    start = quotes[0]["start"]
    assert html.count(f'<span class="quote quote-direct" id="q-{start}" {title}>') == 1
    assert html.count(f'<span class="quote quote-direct" {title}>') == 1
    inside = html[html.index(f'<span class="cited" id="s-text-{second}">') :]
    assert inside.index('<span class="quote') < inside.index('<a class="ent ent-ORG"')
    assert "<b>" not in html


def test_chart_buckets_days_or_months() -> None:
    days = [date(2022, 1, 9), date(2022, 1, 9), date(2022, 1, 12)]
    assert buckets(days) == [("2022-01-09", 2), ("2022-01-12", 1)]
    spread = [date(2021, m, 1) for m in range(1, 13)] + [date(2022, 6, 1)]
    assert buckets(spread)[0] == ("2021-01", 1) and len(buckets(spread)) == 13
    svg = str(bar_chart(buckets(days), 'Mentions "over" time'))
    assert svg.count("<rect") == 2 and 'aria-label="Mentions &#34;over&#34; time"' in svg
    assert str(bar_chart([], "x")) == ""
