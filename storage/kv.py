"""Small process-wide state that must survive a restart (e.g. "sms_api_down_since")."""

from __future__ import annotations

from collections.abc import Iterable

from storage.dates import to_db
from storage.db import Database


class StateRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, key: str) -> str | None:
        row = await self._db.fetchone("SELECT value FROM kv_state WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    async def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """The keys that are set, in one query (settings read together on every Confirm)."""
        wanted = list(keys)
        marks = ", ".join("?" * len(wanted))
        rows = await self._db.fetchall(
            f"SELECT key, value FROM kv_state WHERE key IN ({marks})", tuple(wanted)
        )
        return {str(row["key"]): str(row["value"]) for row in rows}

    async def set(self, key: str, value: str) -> None:
        await self._db.execute(
            "INSERT INTO kv_state (key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET "
            "value = excluded.value, updated_at = excluded.updated_at",
            (key, value, to_db(self._db.now())),
        )

    async def delete(self, key: str) -> bool:
        """Remove the key; True if it was there."""
        return await self._db.execute("DELETE FROM kv_state WHERE key = ?", (key,)) == 1
