"""A :class:`~storyline.assemble.stories.StoryInput` as JSON, and back.

The store keeps what the clusterer saw of each article, so the clusterer can be
rebuilt by replaying stored articles in order, without re-reading or
re-annotating a page. JSON (not pickle) keeps the column readable by any tool.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from storyline.assemble.stories import StoryInput


def to_json(doc: StoryInput) -> dict[str, Any]:
    return {
        "lang": doc.lang,
        "published": doc.published.isoformat() if doc.published else None,
        "dates": [d.isoformat() for d in doc.dates],
        "days": list(doc.days),
        "title": doc.title,
        "entities": [[eid, weight] for eid, weight in doc.entities],
        "tokens": list(doc.tokens),
        "names": [[key, count] for key, count in doc.names],
        "roots": [[key, count] for key, count in doc.roots],
        **({"vector": [round(v, 5) for v in doc.vector]} if doc.vector is not None else {}),
        **({"approximate": doc.approximate.isoformat()} if doc.approximate else {}),
        **({"weekdays": [list(w) for w in doc.weekdays]} if doc.weekdays else {}),
        **({"people": list(doc.people)} if doc.people else {}),
    }


def from_json(article_id: str, data: Mapping[str, Any]) -> StoryInput:
    published = data.get("published")
    return StoryInput(
        article_id=article_id,
        lang=data.get("lang"),
        published=date.fromisoformat(published) if published else None,
        dates=tuple(date.fromisoformat(d) for d in data.get("dates", ())),
        days=tuple(data.get("days", ())),
        title=data.get("title") or "",
        entities=tuple((str(e), float(w)) for e, w in data.get("entities", ())),
        tokens=tuple(data.get("tokens", ())),
        vector=tuple(float(v) for v in vector) if (vector := data.get("vector")) else None,
        names=tuple((str(k), float(c)) for k, c in data.get("names", ())),
        roots=tuple((str(k), float(c)) for k, c in data.get("roots", ())),
        approximate=date.fromisoformat(approximate)
        if (approximate := data.get("approximate"))
        else None,
        weekdays=tuple((int(m), int(d), int(w)) for m, d, w in data.get("weekdays", ())),
        people=tuple(str(p) for p in data.get("people", ())),
    )
