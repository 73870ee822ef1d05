"""aiogram FSM storage in the bot's SQLite file, so a restart loses no conversation."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import aiosqlite
from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, StateType, StorageKey

from storage.dates import to_db
from storage.db import Database

_EMPTY = "{}"


def _record_key(key: StorageKey) -> str:
    # Every field, None included, so None and 0 (or "") never share a record.
    return json.dumps(
        [
            key.bot_id,
            key.chat_id,
            key.user_id,
            key.thread_id,
            key.business_connection_id,
            key.destiny,
        ]
    )


def _encode(data: Mapping[str, Any]) -> str:
    """JSON of the data. Values must be JSON types (str, int, float, bool, None, lists,
    dicts with str keys); anything else raises TypeError before anything is written."""
    if not isinstance(data, Mapping):
        raise DataNotDictLikeError(
            f"Data must be a dict or dict-like object, got {type(data).__name__}"
        )
    return json.dumps(dict(data), ensure_ascii=False)


class SQLiteStorage(BaseStorage):
    """FSM states and data, one record per StorageKey, over the shared Database.

    A record with no state and no data is deleted, so finished conversations leave nothing.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        async with self._db.transaction(immediate=True) as conn:
            await self._upsert(conn, key, "state", value)

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self._db.fetchone(
            "SELECT state FROM fsm_records WHERE storage_key = ?", (_record_key(key),)
        )
        return None if row is None else row["state"]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        encoded = _encode(data)
        async with self._db.transaction(immediate=True) as conn:
            await self._upsert(conn, key, "data", encoded)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self._db.fetchone(
            "SELECT data FROM fsm_records WHERE storage_key = ?", (_record_key(key),)
        )
        return {} if row is None else dict(json.loads(row["data"]))

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        """Merge into the stored data in one transaction: two handlers updating different
        fields at once both keep their field (the base class reads and writes separately)."""
        _encode(data)  # refuse bad input before taking the write lock
        async with self._db.transaction(immediate=True) as conn:
            async with conn.execute(
                "SELECT data FROM fsm_records WHERE storage_key = ?", (_record_key(key),)
            ) as cursor:
                row = await cursor.fetchone()
            merged = {} if row is None else dict(json.loads(row["data"]))
            merged.update(data)
            await self._upsert(conn, key, "data", _encode(merged))
        return merged

    async def close(self) -> None:
        """Nothing to do: the Database is shared, and its owner closes it."""

    async def _upsert(
        self, conn: aiosqlite.Connection, key: StorageKey, column: str, value: str | None
    ) -> None:
        # column is "state" or "data", chosen by this class.
        record = _record_key(key)
        await conn.execute(
            f"""
            INSERT INTO fsm_records (storage_key, bot_id, chat_id, user_id, thread_id,
                                     business_connection_id, destiny, {column}, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (storage_key) DO UPDATE SET
                {column} = excluded.{column}, updated_at = excluded.updated_at
            """,
            (
                record,
                key.bot_id,
                key.chat_id,
                key.user_id,
                key.thread_id,
                key.business_connection_id,
                key.destiny,
                value,
                to_db(self._db.now()),
            ),
        )
        await conn.execute(
            "DELETE FROM fsm_records WHERE storage_key = ? AND state IS NULL AND data = ?",
            (record, _EMPTY),
        )
