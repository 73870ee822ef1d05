"""Dispatches the poller follows, with what it saw last."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.dates import from_db, from_db_optional, to_db, to_db_optional
from storage.db import Database


@dataclass(frozen=True)
class TrackedDispatch:
    dispatch_id: int
    creator_id: int | None  # None = made elsewhere and followed with /track
    recipients_desc: str
    text: str
    date_send: datetime | None  # aware, UTC
    last_status: str | None  # the API's status name; None until first observed
    messages_count: int
    messages_sent: int
    messages_delivered: int
    is_final: bool
    next_check_at: datetime | None  # None = at the next poller cycle
    created_at: datetime
    updated_at: datetime
    known: KnownState | None = None  # the latest anyone read; None = nothing beyond last_status

    @property
    def shown(self) -> KnownState | None:
        """What lists show: the latest known status and counts (None: never read)."""
        if self.known is not None:
            return self.known
        if self.last_status is None:
            return None
        return KnownState(
            self.last_status, self.messages_count, self.messages_sent, self.messages_delivered
        )


@dataclass(frozen=True)
class KnownState:
    """A dispatch's status and counts as read from the API at some moment."""

    status: str
    count: int
    sent: int
    delivered: int


_COLUMNS = (
    "dispatch_id, creator_id, recipients_desc, text, date_send, last_status, messages_count, "
    "messages_sent, messages_delivered, is_final, next_check_at, created_at, updated_at, "
    "known_status, known_count, known_sent, known_delivered"
)

# Following a dispatch; one already followed is left as it is.
INSERT_TRACKED = """
    INSERT INTO tracked_dispatches (dispatch_id, creator_id, recipients_desc, text,
                                    date_send, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (dispatch_id) DO NOTHING
"""

# A user's dispatches: those they created and those they follow.
_FOR_USER = (
    "creator_id = :user_id OR dispatch_id IN "
    "(SELECT dispatch_id FROM dispatch_subscriptions WHERE user_id = :user_id)"
)


def _dispatch(row: sqlite3.Row) -> TrackedDispatch:
    return TrackedDispatch(
        dispatch_id=row["dispatch_id"],
        creator_id=row["creator_id"],
        recipients_desc=row["recipients_desc"],
        text=row["text"],
        date_send=from_db_optional(row["date_send"]),
        last_status=row["last_status"],
        messages_count=row["messages_count"],
        messages_sent=row["messages_sent"],
        messages_delivered=row["messages_delivered"],
        is_final=bool(row["is_final"]),
        next_check_at=from_db_optional(row["next_check_at"]),
        created_at=from_db(row["created_at"]),
        updated_at=from_db(row["updated_at"]),
        known=None
        if row["known_status"] is None
        else KnownState(
            row["known_status"],
            row["known_count"] or 0,
            row["known_sent"] or 0,
            row["known_delivered"] or 0,
        ),
    )


class TrackedDispatchRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def track(
        self,
        dispatch_id: int,
        creator_id: int | None,
        recipients_desc: str,
        text: str,
        date_send: datetime | None,
    ) -> tuple[TrackedDispatch, bool]:
        """Start following a dispatch; an already tracked one is left as it is.

        Returns the stored dispatch and whether it was added now.
        """
        now = to_db(self._db.now())
        async with self._db.transaction(immediate=True) as conn:
            cursor = await conn.execute(
                INSERT_TRACKED,
                (
                    dispatch_id,
                    creator_id,
                    recipients_desc,
                    text,
                    to_db_optional(date_send),
                    now,
                    now,
                ),
            )
            added = cursor.rowcount == 1
            rows = await conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM tracked_dispatches WHERE dispatch_id = ?", (dispatch_id,)
            )
        return _dispatch(next(iter(rows))), added

    async def get(self, dispatch_id: int) -> TrackedDispatch | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM tracked_dispatches WHERE dispatch_id = ?", (dispatch_id,)
        )
        return _dispatch(row) if row else None

    async def recent(self, limit: int, offset: int = 0) -> list[TrackedDispatch]:
        """Newest first (by dispatch id, which the API hands out in order)."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM tracked_dispatches ORDER BY dispatch_id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [_dispatch(row) for row in rows]

    async def count(self) -> int:
        row = await self._db.fetchone("SELECT count(*) FROM tracked_dispatches")
        return int(row[0]) if row else 0

    async def recent_for_user(
        self, user_id: int, limit: int, offset: int = 0
    ) -> list[TrackedDispatch]:
        """The user's dispatches, created or followed, newest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM tracked_dispatches WHERE {_FOR_USER} "
            f"ORDER BY dispatch_id DESC LIMIT :limit OFFSET :offset",
            {"user_id": user_id, "limit": limit, "offset": offset},
        )
        return [_dispatch(row) for row in rows]

    async def count_for_user(self, user_id: int) -> int:
        row = await self._db.fetchone(
            f"SELECT count(*) FROM tracked_dispatches WHERE {_FOR_USER}", {"user_id": user_id}
        )
        return int(row[0]) if row else 0

    async def due_for_poll(self, now: datetime, limit: int) -> list[TrackedDispatch]:
        """Non-final dispatches whose check is due: never checked first, then oldest due."""
        rows = await self._db.fetchall(
            f"""
            SELECT {_COLUMNS} FROM tracked_dispatches
            WHERE is_final = 0 AND (next_check_at IS NULL OR next_check_at <= ?)
            ORDER BY next_check_at IS NOT NULL, next_check_at, dispatch_id
            LIMIT ?
            """,
            (to_db(now), limit),
        )
        return [_dispatch(row) for row in rows]

    async def record_observation(
        self,
        dispatch_id: int,
        status: str,
        sent: int,
        delivered: int,
        count: int,
        is_final: bool,
        next_check_at: datetime | None,
        date_send: datetime | None = None,
    ) -> TrackedDispatch | None:
        """Store what the API said now; return the dispatch as it was before (None: untracked).
        ``date_send``: its send time as read now (None: keep the stored one).

        The caller compares the two to decide whom to notify; reading and writing in one
        BEGIN IMMEDIATE transaction means two pollers cannot both see the same change.
        """
        async with self._db.transaction(immediate=True) as conn:
            found = list(
                await conn.execute_fetchall(
                    f"SELECT {_COLUMNS} FROM tracked_dispatches WHERE dispatch_id = ?",
                    (dispatch_id,),
                )
            )
            if not found:
                return None
            now = to_db(self._db.now())
            await conn.execute(
                """
                UPDATE tracked_dispatches
                SET last_status = ?, messages_sent = ?, messages_delivered = ?,
                    messages_count = ?, is_final = ?, next_check_at = ?, updated_at = ?,
                    known_status = ?, known_count = ?, known_sent = ?, known_delivered = ?,
                    known_at = ?, date_send = COALESCE(?, date_send)
                WHERE dispatch_id = ?
                """,
                (
                    status,
                    sent,
                    delivered,
                    count,
                    int(is_final),
                    to_db_optional(next_check_at),
                    now,
                    status,
                    count,
                    sent,
                    delivered,
                    now,
                    to_db_optional(date_send),
                    dispatch_id,
                ),
            )
        return _dispatch(found[0])

    async def note_seen(
        self, dispatch_id: int, known: KnownState, date_send: datetime, read_at: datetime
    ) -> bool:
        """Whoever read the dispatch (a Refresh, /status, a card) records what it learned,
        so that lists show the same as the card. Something the poller has not seen yet (a
        new status, a send time moved by a re-run or the web interface) makes the dispatch
        due at its next cycle, which tells everyone and follows it from its new time.

        ``read_at``: when the read began; a reading older than the stored one is dropped.
        False if the dispatch is not followed, or a newer reading was already stored.
        """
        now = to_db(self._db.now())
        changed = await self._db.execute(
            """
            UPDATE tracked_dispatches
            SET known_status = :status, known_count = :count, known_sent = :sent,
                known_delivered = :delivered, known_at = :read_at, updated_at = :now,
                next_check_at = CASE
                    WHEN is_final = 0 AND (last_status IS NOT :status
                                           OR date_send IS NOT :date_send)
                    THEN NULL ELSE next_check_at END,
                date_send = :date_send
            WHERE dispatch_id = :id AND (known_at IS NULL OR known_at <= :read_at)
            """,
            {
                "status": known.status,
                "count": known.count,
                "sent": known.sent,
                "delivered": known.delivered,
                "now": now,
                "read_at": to_db(read_at),
                "date_send": to_db(date_send),
                "id": dispatch_id,
            },
        )
        return changed == 1

    async def postpone(self, dispatch_id: int, next_check_at: datetime) -> bool:
        """Move the next check without an observation (the API did not answer)."""
        changed = await self._db.execute(
            "UPDATE tracked_dispatches SET next_check_at = ?, updated_at = ? WHERE dispatch_id = ?",
            (to_db(next_check_at), to_db(self._db.now()), dispatch_id),
        )
        return changed == 1

    async def check_soon(self, dispatch_id: int) -> bool:
        """Look at the dispatch at the next poller cycle, even if its tracking had ended.

        For whoever just acted on it (cancel, re-run): a re-run brings a cancelled
        dispatch back to life, and a scheduled one would otherwise wait for its send time.
        False if the dispatch is not tracked.
        """
        changed = await self._db.execute(
            "UPDATE tracked_dispatches SET is_final = 0, next_check_at = NULL, updated_at = ? "
            "WHERE dispatch_id = ?",
            (to_db(self._db.now()), dispatch_id),
        )
        return changed == 1

    async def newest_id(self) -> int | None:
        """The highest dispatch id the bot follows (or followed)."""
        row = await self._db.fetchone("SELECT MAX(dispatch_id) AS newest FROM tracked_dispatches")
        return None if row is None or row["newest"] is None else int(row["newest"])
