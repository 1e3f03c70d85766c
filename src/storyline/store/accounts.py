"""Stored story accounts: each story's events, conflicts and coverage, merged at ingest.

Merging a story's account from its event mentions takes tens of milliseconds for a
big story; the ingest that changed the story does it once and saves the result here,
so a reader (a fresh server, the CLI, an export) reads one row. One row per story in
``story_account``:

* ``key``: what the account was built from (the story's members and the date
  references of their stored event mentions, hashed by the builder). A reader builds
  its own key from the rows it reads anyway and uses the body only when the two are
  equal, so a stale row is never served, only passed over;
* ``body``: the account as JSON text (:mod:`storyline.assemble.account_codec`), which
  this module neither reads nor writes the inside of.

A row whose ``key`` is ``NULL`` is *pending*: its story changed in a committed window
and its account is to be built by the end of the batch (:meth:`AccountMethods.mark_accounts`,
:meth:`AccountMethods.pending_accounts`). Pending rows are how a killed batch hands
the accounts it did not build to the next run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storyline.store.models import Base, story_table
from storyline.store.rows import chunked


class StoryAccountRow(Base):
    """A story's account as the ingest built it (see the module doc)."""

    __tablename__ = "story_account"

    story_id: Mapped[str] = mapped_column(String(40), ForeignKey("story.id"), primary_key=True)
    key: Mapped[str | None] = mapped_column(String(64))
    body: Mapped[str | None] = mapped_column(Text)


story_account_table = StoryAccountRow.__table__
_C = story_account_table.c
_S = story_table.c


@dataclass(frozen=True, slots=True)
class StoredAccount:
    key: str
    body: str


class AccountMethods:
    """Stored account rows; mixed into :class:`storyline.store.Store`."""

    _connect: Any
    _errors: Any

    def stored_account(self, story_id: str) -> StoredAccount | None:
        """The account saved for ``story_id``; ``None`` when there is none or it is pending."""
        stmt = sa.select(_C.key, _C.body).where(_C.story_id == story_id)
        with self._errors("read"), self._connect() as conn:
            row = conn.execute(stmt).first()
        if row is None or row.key is None or row.body is None:
            return None
        return StoredAccount(row.key, row.body)

    def mark_accounts(self, story_ids: Iterable[str]) -> None:
        """Mark the accounts of ``story_ids`` pending (their stories changed): the rows
        lose their body, and stories without a row get a pending one."""
        ids = list(dict.fromkeys(story_ids))
        if not ids:
            return
        with (
            self._errors("update story accounts in"),
            self._connect(write=True) as conn,
            conn.begin(),
        ):
            for chunk in chunked(ids):
                conn.execute(story_account_table.delete().where(_C.story_id.in_(chunk)))
            conn.execute(
                story_account_table.insert(),
                [{"story_id": i, "key": None, "body": None} for i in ids],
            )

    def pending_accounts(self) -> list[str]:
        """Ids of the stories whose account is pending, oldest story first."""
        stmt = (
            sa.select(_C.story_id)
            .join(story_table, _S.id == _C.story_id)
            .where(_C.key.is_(None))
            .order_by(_S.created_seq)
        )
        with self._errors("read"), self._connect() as conn:
            return list(conn.scalars(stmt))

    def drop_merged_accounts(self) -> int:
        """Drop the rows of stories merged into others (they have no members left; their
        ids read as the story they joined); returns how many went."""
        merged = sa.select(_S.id).where(_S.merged_into.is_not(None))
        stmt = story_account_table.delete().where(_C.story_id.in_(merged))
        with (
            self._errors("update story accounts in"),
            self._connect(write=True) as conn,
            conn.begin(),
        ):
            return int(conn.execute(stmt).rowcount or 0)

    def save_account(self, story_id: str, key: str | None, body: str | None) -> None:
        """Keep ``body``, built from what ``key`` names, as the account of ``story_id``;
        ``body=None`` drops the row (the story has no account to keep: merged away, or
        members whose event mentions are not stored)."""
        with (
            self._errors("update story accounts in"),
            self._connect(write=True) as conn,
            conn.begin(),
        ):
            conn.execute(story_account_table.delete().where(_C.story_id == story_id))
            if body is not None:
                conn.execute(
                    story_account_table.insert(),
                    [{"story_id": story_id, "key": key, "body": body}],
                )
