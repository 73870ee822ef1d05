"""The notifier's own memory: what each person was shown about each tracked dispatch.

One row per dispatch and person who heard of it (a subscriber, or an "all dispatches"
watcher): the status message edited in place and what it shows, whether the
NOT_ENOUGH_MONEY alert went out for the current stay in that status, and whether the
final message went out. A message is recorded right after Telegram accepted it, so a
restart repeats nothing that was recorded and sends whatever was not.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace

from storage.dates import to_db
from storage.db import Database


@dataclass(frozen=True)
class Notice:
    dispatch_id: int
    user_id: int
    message_id: int | None = None  # the status message; None = not sent yet
    # What the person has seen: what the message shows, or (no message yet) the state
    # they are taken to know already; None = nothing yet.
    rendered_key: str | None = None
    nem_alerted: bool = False  # NOT_ENOUGH_MONEY alert sent for the current stay there
    final_sent: bool = False  # the final-state message went out

    def but(self, **changes: object) -> Notice:
        return replace(self, **changes)  # type: ignore[arg-type]


_COLUMNS = "dispatch_id, user_id, message_id, rendered_key, nem_alerted, final_sent"


def _notice(row: sqlite3.Row) -> Notice:
    return Notice(
        dispatch_id=row["dispatch_id"],
        user_id=row["user_id"],
        message_id=row["message_id"],
        rendered_key=row["rendered_key"],
        nem_alerted=bool(row["nem_alerted"]),
        final_sent=bool(row["final_sent"]),
    )


class NotificationStateRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def notices(self, dispatch_id: int) -> dict[int, Notice]:
        """Every person's notice for the dispatch, by user id."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM dispatch_notices WHERE dispatch_id = ?", (dispatch_id,)
        )
        return {row["user_id"]: _notice(row) for row in rows}

    async def notice(self, dispatch_id: int, user_id: int) -> Notice:
        """The stored notice, or an empty one (nothing shown yet)."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM dispatch_notices WHERE dispatch_id = ? AND user_id = ?",
            (dispatch_id, user_id),
        )
        return _notice(row) if row else Notice(dispatch_id, user_id)

    async def save(self, notice: Notice) -> None:
        """Store the notice (the dispatch must be tracked: sqlite3.IntegrityError otherwise)."""
        await self._db.run(
            f"""
            INSERT INTO dispatch_notices ({_COLUMNS}, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (dispatch_id, user_id) DO UPDATE SET
                message_id = excluded.message_id,
                rendered_key = excluded.rendered_key,
                nem_alerted = excluded.nem_alerted,
                final_sent = excluded.final_sent,
                updated_at = excluded.updated_at
            """,
            (
                notice.dispatch_id,
                notice.user_id,
                notice.message_id,
                notice.rendered_key,
                int(notice.nem_alerted),
                int(notice.final_sent),
                to_db(self._db.now()),
            ),
        )
