"""A :class:`~storyline.assemble.account_record.StoryAccount` as JSON, and back.

The ingest stores each story's account (events, conflicts, coverage, outlets) when it
changes, so a reader decodes one row instead of merging the story's event mentions
(:mod:`storyline.store.accounts`). JSON, not pickle: a database row must never run
code when read, and the column stays readable by any tool.

Left out: the events' entity names (:attr:`~storyline.records.Event.names`). An
entity's display name changes as other stories link to it, so the reader takes the
names from the stored entities when it decodes (:func:`with_names`), as a fresh merge
would. The coverage is kept whole, but a reader groups it anew
(:func:`storyline.assemble.timeline.story_account`): groups are the reader's to choose.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import astuple, replace
from typing import Any

from storyline.assemble.account_record import StoryAccount
from storyline.compare.conflicts import Conflict, ConflictValue
from storyline.compare.coverage import Coverage, EventCoverage
from storyline.records import AttributeValue, CanonicalEntity, Event, Source

FORMAT = 1
"""Bumped when the JSON changes shape, or when the merge gives another account for the
same rows: part of every stored account's key, so a row of another format is passed
over (merged again by the reader, stored again by the next ingest that changes it)."""


def to_json(account: StoryAccount) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "story_id": account.story_id,
        "events": [_event(e) for e in account.events],
        "conflicts": {
            event_id: [
                [c.attribute, [[v.value, list(v.article_ids)] for v in c.values]] for c in conflicts
            ]
            for event_id, conflicts in account.conflicts.items()
        },
        "coverage": {
            "events": [
                [c.event_id, list(c.outlets), list(c.groups)] for c in account.coverage.events
            ],
            "missing": {group: list(ids) for group, ids in account.coverage.missing.items()},
        },
        "outlets": dict(account.outlets),
    }


def from_json(data: Mapping[str, Any]) -> StoryAccount:
    """The account ``data`` encodes (its events without entity names: :func:`with_names`).
    Raises :class:`ValueError` for a row of another format."""
    if data.get("format") != FORMAT:
        raise ValueError(f"story account format {data.get('format')!r}, not {FORMAT}")
    coverage = data["coverage"]
    return StoryAccount(
        story_id=data["story_id"],
        events=tuple(_to_event(e) for e in data["events"]),
        conflicts={
            event_id: tuple(
                Conflict(attribute, tuple(ConflictValue(v, tuple(ids)) for v, ids in values))
                for attribute, values in conflicts
            )
            for event_id, conflicts in data["conflicts"].items()
        },
        coverage=Coverage(
            tuple(EventCoverage(e, tuple(o), tuple(g)) for e, o, g in coverage["events"]),
            {group: tuple(ids) for group, ids in coverage["missing"].items()},
        ),
        outlets=dict(data["outlets"]),
    )


def dumps(account: StoryAccount) -> str:
    """The account as one line of JSON (what the store keeps)."""
    return json.dumps(to_json(account), ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> StoryAccount:
    return from_json(json.loads(text))


def named_entities(account: StoryAccount) -> set[str]:
    """The entity ids the events' titles name: their places and participants."""
    return {e for event in account.events for e in (event.place, *event.participants) if e}


def with_names(account: StoryAccount, entities: Mapping[str, CanonicalEntity]) -> StoryAccount:
    """``account`` with each event naming its place and participants as ``entities`` do
    now, the way :func:`storyline.assemble.events.build_events` names them."""
    events = []
    for event in account.events:
        names = {
            entity: {"": known.name, **known.names}
            for entity in (event.place, *event.participants)
            if entity and (known := entities.get(entity)) is not None
        }
        events.append(replace(event, names=names))
    return replace(account, events=tuple(events))


def _event(e: Event) -> dict[str, Any]:
    return {
        "id": e.id,
        "type": e.type,
        "date": e.date,
        "date_inferred": e.date_inferred,
        "place": e.place,
        "participants": list(e.participants),
        "participant_types": list(e.participant_types),
        # in field order, as _to_event builds them back
        "attributes": [list(astuple(a)) for a in e.attributes],
        "sources": [list(astuple(s)) for s in e.sources],
        "planned": e.planned,
    }


def _to_event(data: Mapping[str, Any]) -> Event:
    return Event(
        id=data["id"],
        type=data["type"],
        date=data["date"],
        date_inferred=data["date_inferred"],
        place=data["place"],
        participants=tuple(data["participants"]),
        participant_types=tuple(data["participant_types"]),
        attributes=tuple(AttributeValue(*a) for a in data["attributes"]),
        sources=tuple(Source(*s) for s in data["sources"]),
        planned=data["planned"],
    )
