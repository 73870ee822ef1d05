"""Which message is each admin's summary of the pending access requests, so that it is
edited in place (across restarts too) instead of a message per request."""

from __future__ import annotations

from storage.dates import to_db
from storage.db import Database


class AccessBoardRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def message_id(self, admin_id: int) -> int | None:
        row = await self._db.fetchone(
            "SELECT message_id FROM access_boards WHERE admin_id = ?", (admin_id,)
        )
        return None if row is None else int(row["message_id"])

    async def set(self, admin_id: int, message_id: int) -> None:
        await self._db.execute(
            "INSERT INTO access_boards (admin_id, message_id, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (admin_id) DO UPDATE SET "
            "message_id = excluded.message_id, updated_at = excluded.updated_at",
            (admin_id, message_id, to_db(self._db.now())),
        )

    async def forget(self, admin_id: int) -> bool:
        """The summary is closed; the next request starts a new message."""
        return (
            await self._db.execute("DELETE FROM access_boards WHERE admin_id = ?", (admin_id,)) == 1
        )
