"""Inside one ingest window the writer goes in publication order: of two copies of one
report, the one published first is the original, whatever order the inputs came in and
whatever time zone each states."""

from __future__ import annotations

import json
from pathlib import Path

from paths import seed
from storyline.config import Settings
from storyline.ingest import ingest
from storyline.store import Store


def test_the_earlier_copy_is_the_original_across_time_zones(tmp_path: Path) -> None:
    text = seed("002").read_text(encoding="utf-8")
    # Listed first and 07:00 on its own clock, but 07:00 at UTC-3 is 10:00 UTC: later
    # than 08:00 UTC.
    later = {"url": "https://a.example/1", "text": text, "published": "2022-01-10T07:00:00-03:00"}
    earlier = {"url": "https://b.example/1", "text": text, "published": "2022-01-10T08:00:00Z"}
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in (later, earlier)), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'order.db'}"
    with Store.open(url) as store:
        report = ingest([str(feed)], store, Settings.from_env(db_url=url))
        assert report.ingested == 1 and report.duplicates == 1
        (copy,) = [a for a in store.articles(limit=10) if a.duplicate_of]
        original = store.article(copy.duplicate_of)
    assert original is not None and original.url == earlier["url"]
    assert copy.url == later["url"]
