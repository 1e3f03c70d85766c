"""Records several layers hand each other: made by one stage, stored, read and shown by others.

A canonical entity, an event of a story's account, a merge or split of stories and a
story's surface are made in :mod:`storyline.assemble`, saved by :mod:`storyline.store`
and read by the web, export, report and compare layers. Kept here, below all of them,
so that the store and the readers use them without importing the stage that makes
them (a layer imports only layers below it; ``tests/unit/test_layers.py`` checks).
Plain frozen values, no behaviour beyond presenting themselves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from storyline.display import date_label
from storyline.document import Article
from storyline.nlp.events import table

# --------------------------------------------------------------------------- entities


@dataclass(frozen=True)
class CanonicalEntity:
    """One entity across languages and forms (:class:`storyline.assemble.linking.EntityLinker`)."""

    id: str
    type: str
    name: str
    """Canonical English/Latin display name."""
    names: dict[str, str] = field(default_factory=dict)
    """Language → the best full form seen in that language."""
    aliases: tuple[str, ...] = ()
    """Every distinct surface form seen (and role phrases that referred to it)."""
    roles: tuple[str, ...] = ()
    """Roles in English ("deputy foreign minister", "NATO Secretary General")."""
    forms: dict[str, dict[str, int]] = field(default_factory=dict)
    """Language → each form linked to the entity and how often, in first-seen order: what
    ``names`` are chosen from. Stored, so a linker rebuilt from the store (a resumed
    ingest) holds the counts the live one had and chooses the same names."""


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class Source:
    """Where one article reports the event: the sentence, and what it says of the date."""

    article_id: str
    part: str
    start: int
    end: int
    sentence: str
    trigger: str
    date: str | None
    """The date this sentence gives (resolved); ``None`` when it gives none."""
    date_from: str
    """``text`` (the sentence), ``context`` (the mention it continues), ``published``."""


@dataclass(frozen=True)
class AttributeValue:
    name: str
    value: str
    approximate: bool
    article_id: str
    part: str
    start: int
    end: int


@dataclass(frozen=True)
class Event:
    """One happening of a story's account, merged from its mentions in many articles
    (:func:`storyline.assemble.events.build_events`)."""

    id: str
    type: str
    date: str | None
    date_inferred: bool
    """True when no source states the date: it is the publication date of a report."""
    place: str | None
    participants: tuple[str, ...]
    """Entity ids, the most often named first."""
    participant_types: tuple[str, ...]
    """PER/ORG/LOC of each participant."""
    attributes: tuple[AttributeValue, ...]
    sources: tuple[Source, ...]
    planned: bool
    """Every source announces it; none reports it happened."""
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict, compare=False)
    """Entity id → language → name (``""`` → the canonical display name), for titles."""

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.article_id for s in self.sources))

    def title(self, lang: str = "en") -> str:
        """A short title from canonical names: "Russia–United States talks, Geneva, 10 Jan 2022"."""
        spec = table()["title"].get(lang) or table()["title"]["en"]
        what = table()["types"][self.type]["names"].get(lang) or self.type
        who = "–".join(self._name(e, lang) for e in _title_participants(self))
        head = spec["pattern"].format(who=who, what=what).strip() if who else what
        head = head[:1].upper() + head[1:]
        pieces = [head]
        if self.place:
            pieces.append(self._name(self.place, lang))
        if self.date:
            pieces.append(date_label(self.date, lang))
        return ", ".join(pieces)

    def _name(self, entity: str, lang: str) -> str:
        names = self.names.get(entity, {})
        return names.get(lang) or names.get("") or entity


def _title_participants(event: Event) -> list[str]:
    if not event.participants:
        return []
    limit = int(table()["title_participants"].get(event.type, 2))
    people = [
        p for p, t in zip(event.participants, event.participant_types, strict=True) if t == "PER"
    ]
    if limit == 1 and people:
        return people[:1]  # a statement is made by a person, when the page names one
    top = event.participants[0]
    name = event.names.get(top, {}).get("", top)
    others = [p for p in event.participants[1:] if p != event.place]
    if any(event.names.get(p, {}).get("", p) in name for p in others):
        return [top]  # a body named after its members («Совет Россия – НАТО»)
    return [top, *others[: limit - 1]]


# --------------------------------------------------------------------------- stories


@dataclass(frozen=True, slots=True)
class Merge:
    """Story ``source`` was merged into ``target``
    (:meth:`storyline.assemble.stories.StoryClusterer.add`)."""

    target: str
    source: str


@dataclass(frozen=True, slots=True)
class Split:
    """Articles ``moved`` left ``story`` for ``new_story``
    (:meth:`storyline.assemble.stories.StoryClusterer.split_drifted`)."""

    story: str
    new_story: str
    moved: tuple[str, ...]


def split_id(story: str, article_ids: Sequence[str]) -> str:
    """A new story id for articles split off ``story`` (the same for the same split, by
    hand or automatic, so the clusterer and the store name it alike)."""
    key = story + "|" + "|".join(sorted(article_ids))
    return "s_" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class Member:
    """One article of a story, as the surface needs it."""

    article: Article
    entity_ids: frozenset[str]
    """Canonical ids of the PER/ORG/LOC/EVT entities it mentions."""


@dataclass(frozen=True, slots=True)
class Surface:
    """What a reader sees of a story: computed from its members by
    :func:`storyline.assemble.surface.surface`, saved and read by the store."""

    title: str | None
    titles: dict[str, str]
    summary: str | None
    languages: dict[str, int]
    outlets: dict[str, int]
    first_published: date | None
    last_published: date | None
    top_entities: tuple[str, ...]
    size: int
    score: float

    def title_in(self, lang: str | None) -> str | None:
        """The story's headline in ``lang`` if a member has one, else its main title."""
        return self.titles.get(lang or "", self.title)


@dataclass(frozen=True, slots=True)
class SurfaceInputs:
    """What the store reads of a story for its surface: its latest members, counts over
    all of them, and how many articles of the whole store name each of their entities.

    ``version`` identifies the membership read (count, sum and max of the members'
    clustering sequence numbers): the store saves a surface only while the story still
    has that membership, so a surface computed outside the write never overwrites a
    newer change (see :meth:`storyline.store.stories.StoryMethods.save_surface`).
    """

    story_id: str
    members: tuple[Member, ...]
    """The latest members (at most the number asked for), oldest first."""
    size: int
    languages: dict[str, int]
    outlets: dict[str, int]
    unknown_outlets: int
    """Members without an outlet."""
    span: tuple[date | None, date | None]
    """First and last publication day of the members."""
    df: dict[str, int]
    """Entity id → articles of the store mentioning it (for the members' entities)."""
    version: tuple[int, int, int]
