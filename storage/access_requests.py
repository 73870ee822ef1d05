"""Strangers' requests for access, decided once by an admin."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from storage.dates import from_db, from_db_optional, to_db
from storage.db import Database
from storage.users import Role


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DENIED = "denied"


@dataclass(frozen=True)
class AccessRequest:
    id: int
    user_id: int
    status: RequestStatus
    created_at: datetime
    decided_at: datetime | None
    decided_by: int | None
    approved_role: Role | None


_COLUMNS = "id, user_id, status, created_at, decided_at, decided_by, approved_role"


def _request(row: sqlite3.Row) -> AccessRequest:
    return AccessRequest(
        id=row["id"],
        user_id=row["user_id"],
        status=RequestStatus(row["status"]),
        created_at=from_db(row["created_at"]),
        decided_at=from_db_optional(row["decided_at"]),
        decided_by=row["decided_by"],
        approved_role=Role(row["approved_role"]) if row["approved_role"] else None,
    )


class AccessRequestRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create_if_absent(self, user_id: int) -> tuple[AccessRequest, bool]:
        """Return the user's pending request, creating it if there is none.

        The flag says whether it was created now (then the admins are to be told).
        A user never seen before gets a bare profile, so the request can refer to it.
        """
        now = to_db(self._db.now())
        async with self._db.transaction(immediate=True) as conn:
            existing = list(
                await conn.execute_fetchall(
                    f"SELECT {_COLUMNS} FROM access_requests "
                    f"WHERE user_id = ? AND status = 'pending'",
                    (user_id,),
                )
            )
            if existing:
                return _request(existing[0]), False
            await conn.execute(
                "INSERT OR IGNORE INTO users (user_id, created_at, updated_at) VALUES (?, ?, ?)",
                (user_id, now, now),
            )
            rows = await conn.execute_fetchall(
                f"INSERT INTO access_requests (user_id, created_at) VALUES (?, ?) "
                f"RETURNING {_COLUMNS}",
                (user_id, now),
            )
        return _request(next(iter(rows))), True

    async def get(self, request_id: int) -> AccessRequest | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM access_requests WHERE id = ?", (request_id,)
        )
        return _request(row) if row else None

    async def latest(self, user_id: int) -> AccessRequest | None:
        """The user's most recent request, whatever its status."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM access_requests WHERE user_id = ? ORDER BY id DESC LIMIT 1",
            (user_id,),
        )
        return _request(row) if row else None

    async def pending(self) -> list[AccessRequest]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM access_requests WHERE status = 'pending' ORDER BY id"
        )
        return [_request(row) for row in rows]

    async def pending_count(self, up_to_id: int | None = None) -> int:
        """How many wait (of those numbered at most ``up_to_id``, if given)."""
        row = await self._db.fetchone(
            "SELECT count(*) FROM access_requests WHERE status = 'pending' AND id <= ?",
            (up_to_id if up_to_id is not None else 2**63 - 1,),
        )
        return int(row[0]) if row else 0

    async def pending_newest(self, limit: int, offset: int = 0) -> list[AccessRequest]:
        """A page of the pending requests, newest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM access_requests WHERE status = 'pending' "
            "ORDER BY id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [_request(row) for row in rows]

    async def last_decided(self) -> AccessRequest | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM access_requests WHERE status != 'pending' "
            "ORDER BY decided_at DESC, id DESC LIMIT 1"
        )
        return _request(row) if row else None

    async def deny_pending(self, decided_by: int, up_to_id: int) -> list[AccessRequest]:
        """Deny every request still pending whose id is at most ``up_to_id`` (those the
        admin was shown when asked); returns them. A request decided meanwhile, one by
        one or by another admin's "deny all", is not among them: each is decided once."""
        now = to_db(self._db.now())
        async with self._db.transaction(immediate=True) as conn:
            rows = await conn.execute_fetchall(
                f"""
                UPDATE access_requests
                SET status = 'denied', decided_at = ?, decided_by = ?, approved_role = NULL
                WHERE status = 'pending' AND id <= ?
                RETURNING {_COLUMNS}
                """,
                (now, decided_by, up_to_id),
            )
        return sorted((_request(row) for row in rows), key=lambda request: request.id)

    async def decide(
        self, request_id: int, decided_by: int, approved_role: Role | None
    ) -> AccessRequest | None:
        """Approve with ``approved_role`` (None denies); only a pending request can be decided.

        Returns the decided request, or None if it was already decided (or never existed):
        of two admins tapping at once, exactly one gets the request back. On approval
        the user's role is set in the same transaction.
        """
        role = None if approved_role is None else Role(approved_role).value
        status = RequestStatus.DENIED if role is None else RequestStatus.APPROVED
        now = to_db(self._db.now())
        async with self._db.transaction(immediate=True) as conn:
            rows = list(
                await conn.execute_fetchall(
                    f"""
                    UPDATE access_requests
                    SET status = ?, decided_at = ?, decided_by = ?, approved_role = ?
                    WHERE id = ? AND status = 'pending'
                    RETURNING {_COLUMNS}
                    """,
                    (status.value, now, decided_by, role, request_id),
                )
            )
            if not rows:
                return None
            decided = _request(rows[0])
            if role is not None:
                await conn.execute(
                    "UPDATE users SET role = ?, updated_at = ? WHERE user_id = ?",
                    (role, now, decided.user_id),
                )
        return decided
