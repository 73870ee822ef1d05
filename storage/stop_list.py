"""The stop list: numbers that must never receive an SMS (people who asked to be left
alone, staff numbers inside a customer book). Every send leaves them out before the POST
(``core/stoplist.py``); admins keep the list (``handlers/stoplist/``)."""

from __future__ import annotations

from collections.abc import Iterable

from storage.dates import to_db
from storage.db import Database


class StopListRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, phones: Iterable[str], added_by: int | None) -> int:
        """Add canonical numbers; returns how many were not on the list yet."""
        now = to_db(self._db.now())
        rows = [(phone, added_by, now) for phone in phones]
        if not rows:
            return 0
        async with self._db.transaction(immediate=True) as conn:
            cursor = await conn.executemany(
                "INSERT INTO stop_list (phone, added_by, added_at) VALUES (?, ?, ?) "
                "ON CONFLICT (phone) DO NOTHING",
                rows,
            )
            return max(cursor.rowcount, 0)

    async def remove(self, phones: Iterable[str]) -> int:
        """Take numbers off the list; returns how many were on it."""
        rows = [(phone,) for phone in phones]
        if not rows:
            return 0
        async with self._db.transaction(immediate=True) as conn:
            cursor = await conn.executemany("DELETE FROM stop_list WHERE phone = ?", rows)
            return max(cursor.rowcount, 0)

    async def count(self) -> int:
        row = await self._db.fetchone("SELECT count(*) FROM stop_list")
        return int(row[0]) if row else 0

    async def page(self, limit: int, offset: int = 0) -> list[str]:
        """Numbers in their order (a page of the admins' view)."""
        rows = await self._db.fetchall(
            "SELECT phone FROM stop_list ORDER BY phone LIMIT ? OFFSET ?", (limit, offset)
        )
        return [str(row["phone"]) for row in rows]

    async def phones(self) -> frozenset[str]:
        """The whole list, for leaving it out of a send."""
        rows = await self._db.fetchall("SELECT phone FROM stop_list")
        return frozenset(str(row["phone"]) for row in rows)
