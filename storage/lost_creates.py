"""Creates whose outcome is not known: the search for the dispatch they may have made."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.dates import from_db, from_db_optional, to_db, to_db_optional
from storage.db import Database


class SearchState(StrEnum):
    SEARCHING = "searching"
    FOUND = "found"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class LostCreate:
    draft_id: str
    user_id: int
    chat_id: int
    text: str
    phones: int | None
    segments: int
    date_send: datetime | None
    posted_at: datetime
    after_id: int | None
    attempts: int
    next_try_at: datetime
    state: SearchState
    found_id: int | None


_COLUMNS = (
    "draft_id, user_id, chat_id, text, phones, segments, date_send, posted_at, after_id, "
    "attempts, next_try_at, state, found_id"
)


def _lost(row: sqlite3.Row) -> LostCreate:
    return LostCreate(
        draft_id=row["draft_id"],
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        text=row["text"],
        phones=row["phones"],
        segments=row["segments"],
        date_send=from_db_optional(row["date_send"]),
        posted_at=from_db(row["posted_at"]),
        after_id=row["after_id"],
        attempts=row["attempts"],
        next_try_at=from_db(row["next_try_at"]),
        state=SearchState(row["state"]),
        found_id=row["found_id"],
    )


class LostCreateRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(
        self,
        *,
        draft_id: str,
        user_id: int,
        chat_id: int,
        text: str,
        phones: int | None,
        segments: int,
        date_send: datetime | None,
        posted_at: datetime,
        after_id: int | None,
        first_try_at: datetime,
    ) -> None:
        """Start a search (once per draft: a second add changes nothing)."""
        now = to_db(self._db.now())
        await self._db.execute(
            f"INSERT OR IGNORE INTO lost_creates ({_COLUMNS}, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 'searching', NULL, ?, ?)",
            (
                draft_id,
                user_id,
                chat_id,
                text,
                phones,
                segments,
                to_db_optional(date_send),
                to_db(posted_at),
                after_id,
                to_db(first_try_at),
                now,
                now,
            ),
        )

    async def due(self, now: datetime, limit: int) -> list[LostCreate]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM lost_creates WHERE state = 'searching' "
            "AND next_try_at <= ? ORDER BY next_try_at LIMIT ?",
            (to_db(now), limit),
        )
        return [_lost(row) for row in rows]

    async def tried(self, draft_id: str, next_try_at: datetime) -> None:
        await self._db.execute(
            "UPDATE lost_creates SET attempts = attempts + 1, next_try_at = ?, updated_at = ? "
            "WHERE draft_id = ? AND state = 'searching'",
            (to_db(next_try_at), to_db(self._db.now()), draft_id),
        )

    async def settle(self, draft_id: str, found_id: int | None) -> bool:
        """End the search: the dispatch found, or none. False if it had ended already."""
        state = SearchState.FOUND if found_id is not None else SearchState.NOT_FOUND
        changed = await self._db.execute(
            "UPDATE lost_creates SET state = ?, found_id = ?, attempts = attempts + 1, "
            "updated_at = ? WHERE draft_id = ? AND state = 'searching'",
            (state.value, found_id, to_db(self._db.now()), draft_id),
        )
        return changed == 1

    async def found_as(self, dispatch_id: int) -> LostCreate | None:
        """The lost create that ``dispatch_id`` probably is, if a search found it."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM lost_creates WHERE found_id = ? AND state = 'found'",
            (dispatch_id,),
        )
        return _lost(row) if row else None

    async def get(self, draft_id: str) -> LostCreate | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM lost_creates WHERE draft_id = ?", (draft_id,)
        )
        return _lost(row) if row else None
