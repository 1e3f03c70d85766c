"""A story's account as a value: what :mod:`storyline.assemble.timeline` merges and
:mod:`storyline.assemble.account_codec` stores. Its own module so that the merge and the
codec both import it, neither the other's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from storyline.compare.conflicts import Conflict
from storyline.compare.coverage import Coverage
from storyline.records import Event


@dataclass(frozen=True)
class StoryAccount:
    story_id: str
    events: tuple[Event, ...]
    """In date order (undated last)."""
    conflicts: Mapping[str, tuple[Conflict, ...]]
    """Event id → its conflicts (events without any are left out)."""
    coverage: Coverage
    outlets: Mapping[str, str | None]
    """Member article id → outlet."""
