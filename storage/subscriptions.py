"""Who follows which tracked dispatch, and the status message each of them sees."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.dates import from_db, to_db
from storage.db import Database


@dataclass(frozen=True)
class Subscription:
    dispatch_id: int
    user_id: int
    message_id: int | None  # the status message edited in place; None = not sent yet
    rendered_key: str | None  # what that message shows now (status and counts)
    created_at: datetime


_COLUMNS = "dispatch_id, user_id, message_id, rendered_key, created_at"


def _subscription(row: sqlite3.Row) -> Subscription:
    return Subscription(
        dispatch_id=row["dispatch_id"],
        user_id=row["user_id"],
        message_id=row["message_id"],
        rendered_key=row["rendered_key"],
        created_at=from_db(row["created_at"]),
    )


INSERT_SUBSCRIPTION = (
    "INSERT INTO dispatch_subscriptions (dispatch_id, user_id, created_at) "
    "VALUES (?, ?, ?) ON CONFLICT (dispatch_id, user_id) DO NOTHING"
)


class SubscriptionRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def subscribe(self, dispatch_id: int, user_id: int) -> bool:
        """Follow a dispatch; True if newly subscribed.

        The dispatch must be tracked first (TrackedDispatchRepo.track): sqlite3.IntegrityError
        otherwise.
        """
        changed = await self._db.execute(
            INSERT_SUBSCRIPTION, (dispatch_id, user_id, to_db(self._db.now()))
        )
        return changed == 1

    async def unsubscribe(self, dispatch_id: int, user_id: int) -> bool:
        changed = await self._db.execute(
            "DELETE FROM dispatch_subscriptions WHERE dispatch_id = ? AND user_id = ?",
            (dispatch_id, user_id),
        )
        return changed == 1

    async def subscribers(self, dispatch_id: int) -> list[Subscription]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM dispatch_subscriptions WHERE dispatch_id = ? "
            f"ORDER BY created_at, user_id",
            (dispatch_id,),
        )
        return [_subscription(row) for row in rows]

    async def for_user(self, user_id: int) -> list[Subscription]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM dispatch_subscriptions WHERE user_id = ? "
            f"ORDER BY dispatch_id DESC",
            (user_id,),
        )
        return [_subscription(row) for row in rows]

    async def is_subscribed(self, dispatch_id: int, user_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT 1 FROM dispatch_subscriptions WHERE dispatch_id = ? AND user_id = ?",
            (dispatch_id, user_id),
        )
        return row is not None

    async def set_message(
        self, dispatch_id: int, user_id: int, message_id: int | None, rendered_key: str | None
    ) -> bool:
        """Remember the status message and what it shows. False if not subscribed."""
        changed = await self._db.execute(
            "UPDATE dispatch_subscriptions SET message_id = ?, rendered_key = ? "
            "WHERE dispatch_id = ? AND user_id = ?",
            (message_id, rendered_key, dispatch_id, user_id),
        )
        return changed == 1
