"""The number each person shared with Telegram's contact button, for a test to themselves.

Only a person's own contact is kept (the handler checks the contact's user id); the
number is stored as Telegram gave it, and read as a Phoenix number when a test is made.
"""

from __future__ import annotations

from storage.dates import to_db
from storage.db import Database


class OwnPhoneRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def set(self, user_id: int, phone: str) -> None:
        await self._db.execute(
            "INSERT INTO own_phones (user_id, phone, shared_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE SET phone = excluded.phone, "
            "shared_at = excluded.shared_at",
            (user_id, phone, to_db(self._db.now())),
        )

    async def get(self, user_id: int) -> str | None:
        row = await self._db.fetchone("SELECT phone FROM own_phones WHERE user_id = ?", (user_id,))
        return None if row is None else str(row["phone"])
