"""People who talked to the bot, and their roles."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.dates import from_db, to_db
from storage.db import Database


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    OBSERVER = "observer"


@dataclass(frozen=True)
class User:
    user_id: int
    role: Role | None  # None = no access (a stranger, or revoked)
    first_name: str | None
    username: str | None
    language: str | None  # chosen in the bot; overrides telegram_language
    telegram_language: str | None
    active: bool  # False once the user blocked the bot
    created_at: datetime


_COLUMNS = "user_id, role, first_name, username, language, telegram_language, active, created_at"


def _user(row: sqlite3.Row) -> User:
    return User(
        user_id=row["user_id"],
        role=Role(row["role"]) if row["role"] is not None else None,
        first_name=row["first_name"],
        username=row["username"],
        language=row["language"],
        telegram_language=row["telegram_language"],
        active=bool(row["active"]),
        created_at=from_db(row["created_at"]),
    )


class UserRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> User | None:
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM users WHERE user_id = ?", (user_id,))
        return _user(row) if row else None

    async def upsert_seen(
        self,
        user_id: int,
        first_name: str | None,
        username: str | None,
        telegram_language: str | None,
    ) -> User:
        """Create the user or refresh the Telegram profile; the role is left as it is.

        A user who writes to the bot can be written to again, so ``active`` becomes True.
        """
        now = to_db(self._db.now())
        async with self._db.transaction(immediate=True) as conn:
            rows = await conn.execute_fetchall(
                f"""
                INSERT INTO users (user_id, first_name, username, telegram_language,
                                   active, created_at, updated_at)
                VALUES (?, ?, ?, ?, 1, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET
                    first_name = excluded.first_name,
                    username = excluded.username,
                    telegram_language = excluded.telegram_language,
                    active = 1,
                    updated_at = excluded.updated_at
                RETURNING {_COLUMNS}
                """,
                (user_id, first_name, username, telegram_language, now, now),
            )
        return _user(next(iter(rows)))

    async def set_role(self, user_id: int, role: Role | None) -> User:
        """Grant ``role`` (None revokes access). An unknown user id gets a bare profile."""
        now = to_db(self._db.now())
        async with self._db.transaction(immediate=True) as conn:
            rows = await conn.execute_fetchall(
                f"""
                INSERT INTO users (user_id, role, created_at, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET
                    role = excluded.role, updated_at = excluded.updated_at
                RETURNING {_COLUMNS}
                """,
                (user_id, _role_value(role), now, now),
            )
        return _user(next(iter(rows)))

    async def set_language(self, user_id: int, language: str | None) -> bool:
        """Set the user's own language choice (None = follow Telegram's). False if unknown user."""
        return await self._update(user_id, "language", language)

    async def set_active(self, user_id: int, active: bool) -> bool:
        """Mark whether the bot can write to the user. False if unknown user."""
        return await self._update(user_id, "active", int(active))

    async def list_with_roles(self) -> list[User]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM users WHERE role IS NOT NULL ORDER BY role, user_id"
        )
        return [_user(row) for row in rows]

    async def list_by_role(self, role: Role) -> list[User]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM users WHERE role = ? ORDER BY user_id", (role.value,)
        )
        return [_user(row) for row in rows]

    async def ensure_admins(self, admin_ids: Iterable[int]) -> None:
        """Make the role ``admin`` match ADMIN_IDS exactly.

        Everyone listed becomes admin (profiles are created for ids never seen); an admin
        no longer listed loses the role (None), not a lesser one: access was granted by
        the list, so it goes with the list.
        """
        ids = sorted(set(admin_ids))
        now = to_db(self._db.now())
        async with self._db.transaction(immediate=True) as conn:
            placeholders = ",".join("?" * len(ids))
            await conn.execute(
                f"UPDATE users SET role = NULL, updated_at = ? "
                f"WHERE role = 'admin' AND user_id NOT IN ({placeholders})",
                (now, *ids),
            )
            await conn.executemany(
                """
                INSERT INTO users (user_id, role, created_at, updated_at)
                VALUES (?, 'admin', ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET role = 'admin', updated_at = excluded.updated_at
                WHERE role IS NOT 'admin'
                """,
                [(user_id, now, now) for user_id in ids],
            )

    async def _update(self, user_id: int, column: str, value: object) -> bool:
        # column comes from this class only, never from a caller.
        changed = await self._db.execute(
            f"UPDATE users SET {column} = ?, updated_at = ? WHERE user_id = ?",
            (value, to_db(self._db.now()), user_id),
        )
        return changed == 1


def _role_value(role: Role | None) -> str | None:
    return None if role is None else Role(role).value
