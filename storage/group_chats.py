"""Group chats the bot is in. A group is remembered so that the bot says once where to
talk to it, and forgotten when the bot leaves it; a group bound as an alert channel
(``group_alerts.py``) is bound while it is remembered here."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.dates import from_db, from_db_optional, to_db
from storage.db import Database


@dataclass(frozen=True)
class GroupChat:
    chat_id: int
    chat_type: str  # group, supergroup or channel
    title: str | None
    added_by: int | None  # the admin who added the bot; None = not known
    noticed_at: datetime | None  # when the bot said where to talk to it
    created_at: datetime


_COLUMNS = "chat_id, chat_type, title, added_by, noticed_at, created_at"


def _group(row: sqlite3.Row) -> GroupChat:
    return GroupChat(
        chat_id=row["chat_id"],
        chat_type=row["chat_type"],
        title=row["title"],
        added_by=row["added_by"],
        noticed_at=from_db_optional(row["noticed_at"]),
        created_at=from_db(row["created_at"]),
    )


class GroupChatRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, chat_id: int) -> GroupChat | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM group_chats WHERE chat_id = ?", (chat_id,)
        )
        return _group(row) if row else None

    async def record(
        self, chat_id: int, chat_type: str, title: str | None, added_by: int | None
    ) -> GroupChat:
        """Remember a group the bot was added to (again: its title and adder are renewed)."""
        now = to_db(self._db.now())
        async with self._db.transaction(immediate=True) as conn:
            rows = await conn.execute_fetchall(
                f"""
                INSERT INTO group_chats (chat_id, chat_type, title, added_by, created_at,
                                         updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (chat_id) DO UPDATE SET
                    chat_type = excluded.chat_type,
                    title = excluded.title,
                    added_by = excluded.added_by,
                    updated_at = excluded.updated_at
                RETURNING {_COLUMNS}
                """,
                (chat_id, chat_type, title, added_by, now, now),
            )
        return _group(next(iter(rows)))

    async def claim_notice(self, chat_id: int, chat_type: str, title: str | None) -> bool:
        """True exactly once per remembered group: the caller then says where to talk.

        Two messages in one group at once: one of them gets True. A group never recorded
        (the bot was in it before it kept groups) is remembered now.
        """
        now = to_db(self._db.now())
        async with self._db.transaction(immediate=True) as conn:
            rows = await conn.execute_fetchall(
                """
                INSERT INTO group_chats (chat_id, chat_type, title, noticed_at, created_at,
                                         updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (chat_id) DO UPDATE SET
                    noticed_at = excluded.noticed_at,
                    updated_at = excluded.updated_at
                WHERE group_chats.noticed_at IS NULL
                RETURNING chat_id
                """,
                (chat_id, chat_type, title, now, now, now),
            )
        return bool(list(rows))

    async def forget(self, chat_id: int) -> bool:
        """The bot left the group or was removed; True if it was remembered."""
        return await self._db.execute("DELETE FROM group_chats WHERE chat_id = ?", (chat_id,)) == 1

    async def count(self) -> int:
        row = await self._db.fetchone("SELECT count(*) FROM group_chats")
        return int(row[0]) if row else 0
