"""aiogram FSM storage in the bot's SQLite file, so a restart loses no conversation."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
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
    Records are cached once read: aiogram reads the state and data several times per
    update, and only this process writes them (one bot process per database, see
    bot/instance_lock.py). Writes go to SQLite first (one statement, committed by itself),
    and the cache follows; a change that leaves the record as it is writes nothing.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[str, tuple[str | None, str]] = {}

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        await self._write(key, lambda record: (value, record[1]))

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._read(key))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        encoded = _encode(data)
        await self._write(key, lambda record: (record[0], encoded))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        return dict(json.loads((await self._read(key))[1]))

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        """Merge into the stored data under the write lock: two handlers updating different
        fields at once both keep their field (the base class reads and writes separately)."""
        _encode(data)  # refuse bad input before taking the write lock
        merged: dict[str, Any] = {}

        def merge(record: tuple[str | None, str]) -> tuple[str | None, str]:
            merged.update(json.loads(record[1]))
            merged.update(data)
            return record[0], _encode(merged)

        await self._write(key, merge)
        return merged

    async def close(self) -> None:
        """Nothing to do: the Database is shared, and its owner closes it."""

    async def _read(self, key: StorageKey) -> tuple[str | None, str]:
        record_key = _record_key(key)
        cached = self._cache.get(record_key)
        if cached is not None:
            return cached
        row = await self._db.fetchone(
            "SELECT state, data FROM fsm_records WHERE storage_key = ?", (record_key,)
        )
        record = (None, _EMPTY) if row is None else (row["state"], row["data"])
        return self._cache.setdefault(record_key, record)

    async def _write(
        self,
        key: StorageKey,
        change: Callable[[tuple[str | None, str]], tuple[str | None, str]],
    ) -> None:
        record_key = _record_key(key)
        # The connection is held from the read to the write, so concurrent changes apply
        # one after the other; the write is one statement, its own transaction.
        async with self._db.held() as conn:
            current = self._cache.get(record_key)
            if current is None:
                rows = await conn.execute_fetchall(
                    "SELECT state, data FROM fsm_records WHERE storage_key = ?", (record_key,)
                )
                current = next(((row["state"], row["data"]) for row in rows), (None, _EMPTY))
            state, data = change(current)
            if (state, data) == current:
                self._cache[record_key] = current
                return  # already stored as it is: nothing to write
            if state is None and data == _EMPTY:
                await conn.execute_fetchall(
                    "DELETE FROM fsm_records WHERE storage_key = ?", (record_key,)
                )
            else:
                await self._upsert(conn, key, record_key, state, data)
            # Still holding the connection: nobody saw the cache stale.
            self._cache[record_key] = (state, data)

    async def _upsert(
        self,
        conn: aiosqlite.Connection,
        key: StorageKey,
        record_key: str,
        state: str | None,
        data: str,
    ) -> None:
        await conn.execute_fetchall(
            """
            INSERT INTO fsm_records (storage_key, bot_id, chat_id, user_id, thread_id,
                                     business_connection_id, destiny, state, data, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (storage_key) DO UPDATE SET
                state = excluded.state, data = excluded.data, updated_at = excluded.updated_at
            """,
            (
                record_key,
                key.bot_id,
                key.chat_id,
                key.user_id,
                key.thread_id,
                key.business_connection_id,
                key.destiny,
                state,
                data,
                to_db(self._db.now()),
            ),
        )
