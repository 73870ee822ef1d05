"""Approval requests: a manager's big draft held until an admin approves or rejects it.

The request's states, and the only ways through them:

    (draft sending) --hold--> waiting       the draft goes back to pending, held
    waiting --claim--> approving            the draft pending -> sending, together
    approving --finish--> approved          a dispatch was made (or may have been)
    approving --reopen--> waiting           nothing was created; the draft pending again
    waiting --reject--> rejected            the draft abandoned, together
    waiting --expire--> expired             the draft abandoned, together

Each is one guarded statement (or two in one IMMEDIATE transaction), so of two admins
tapping Approve at once exactly one claims the draft, and a request never both sends and
expires. While a request is waiting or approving its draft is held: its author can
neither change nor confirm it (``storage/drafts.py``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from storage.dates import from_db, to_db
from storage.db import Database


class ApprovalState(StrEnum):
    WAITING = "waiting"
    APPROVING = "approving"  # an admin's approval is sending it now
    APPROVED = "approved"
    REJECTED = "rejected"
    EXPIRED = "expired"


OPEN_STATES = (ApprovalState.WAITING, ApprovalState.APPROVING)


@dataclass(frozen=True)
class ApprovalRequest:
    id: int
    draft_id: str
    requester_id: int
    chat_id: int
    message_id: int | None  # the requester's summary, to become the card
    recipients: int
    stopped: int
    parts: int
    cost: Decimal | None
    state: ApprovalState
    decided_by: int | None
    reason: str | None
    dispatch_id: int | None
    expires_at: datetime
    created_at: datetime
    updated_at: datetime


_COLUMNS = (
    "id, draft_id, requester_id, chat_id, message_id, recipients, stopped, parts, cost, "
    "state, decided_by, reason, dispatch_id, expires_at, created_at, updated_at"
)


def _request(row: sqlite3.Row) -> ApprovalRequest:
    return ApprovalRequest(
        id=row["id"],
        draft_id=row["draft_id"],
        requester_id=row["requester_id"],
        chat_id=row["chat_id"],
        message_id=row["message_id"],
        recipients=row["recipients"],
        stopped=row["stopped"],
        parts=row["parts"],
        cost=Decimal(row["cost"]) if row["cost"] is not None else None,
        state=ApprovalState(row["state"]),
        decided_by=row["decided_by"],
        reason=row["reason"],
        dispatch_id=row["dispatch_id"],
        expires_at=from_db(row["expires_at"]),
        created_at=from_db(row["created_at"]),
        updated_at=from_db(row["updated_at"]),
    )


class _NotClaimed(Exception):
    """The draft was not pending: the claim is rolled back."""


class ApprovalRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def hold(
        self,
        draft_id: str,
        *,
        requester_id: int,
        chat_id: int,
        message_id: int | None,
        recipients: int,
        stopped: int,
        parts: int,
        cost: Decimal | None,
        expires_at: datetime,
    ) -> ApprovalRequest | None:
        """The draft its sender claimed (``sending``) goes back to ``pending`` held by a
        new waiting request, in one transaction; None when the draft was not sending."""
        now = to_db(self._db.now())
        async with self._db.transaction(immediate=True) as conn:
            cursor = await conn.execute(
                "UPDATE drafts SET state = 'pending', updated_at = ? "
                "WHERE id = ? AND state = 'sending'",
                (now, draft_id),
            )
            if cursor.rowcount != 1:
                return None
            rows = await conn.execute_fetchall(
                f"""
                INSERT INTO approval_requests (draft_id, requester_id, chat_id, message_id,
                    recipients, stopped, parts, cost, expires_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                RETURNING {_COLUMNS}
                """,
                (
                    draft_id,
                    requester_id,
                    chat_id,
                    message_id,
                    recipients,
                    stopped,
                    parts,
                    None if cost is None else str(cost),
                    to_db(expires_at),
                    now,
                    now,
                ),
            )
        return _request(next(iter(rows)))

    async def get(self, request_id: int) -> ApprovalRequest | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM approval_requests WHERE id = ?", (request_id,)
        )
        return _request(row) if row else None

    async def open_for_draft(self, draft_id: str) -> ApprovalRequest | None:
        """The waiting (or approving) request that holds the draft, if any."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM approval_requests "
            "WHERE draft_id = ? AND state IN ('waiting', 'approving')",
            (draft_id,),
        )
        return _request(row) if row else None

    async def claim(self, request_id: int, approver_id: int) -> bool:
        """waiting -> approving, and its draft pending -> sending, together. True for
        exactly one caller; never for the requester, nor after the request expired."""
        now = to_db(self._db.now())
        try:
            async with self._db.transaction(immediate=True) as conn:
                rows = list(
                    await conn.execute_fetchall(
                        "UPDATE approval_requests SET state = 'approving', decided_by = ?, "
                        "updated_at = ? WHERE id = ? AND state = 'waiting' AND expires_at > ? "
                        "AND requester_id != ? RETURNING draft_id",
                        (approver_id, now, request_id, now, approver_id),
                    )
                )
                if not rows:
                    return False
                cursor = await conn.execute(
                    "UPDATE drafts SET state = 'sending', updated_at = ? "
                    "WHERE id = ? AND state = 'pending'",
                    (now, rows[0]["draft_id"]),
                )
                if cursor.rowcount != 1:
                    raise _NotClaimed
        except _NotClaimed:
            return False
        return True

    async def finish(self, request_id: int, dispatch_id: int | None) -> bool:
        """approving -> approved: the create went out (``dispatch_id``: None when its
        number is not known)."""
        return await self._set_state(
            request_id, ApprovalState.APPROVING, ApprovalState.APPROVED, dispatch_id=dispatch_id
        )

    async def reopen(self, request_id: int) -> bool:
        """approving -> waiting: nothing was created and the draft is pending again."""
        return await self._set_state(request_id, ApprovalState.APPROVING, ApprovalState.WAITING)

    async def reject(
        self, request_id: int, admin_id: int, reason: str | None
    ) -> ApprovalRequest | None:
        """waiting -> rejected, its draft abandoned; None unless it was waiting (an admin
        cannot reject their own request)."""
        return await self._close(
            "state = 'rejected', decided_by = ?, reason = ?",
            (admin_id, reason),
            "id = ? AND state = 'waiting' AND requester_id != ?",
            (request_id, admin_id),
        )

    async def expire(self, request_id: int) -> ApprovalRequest | None:
        """waiting -> expired once its time is up, its draft abandoned; None otherwise."""
        now = to_db(self._db.now())
        return await self._close(
            "state = 'expired'", (), "id = ? AND state = 'waiting' AND expires_at <= ?",
            (request_id, now),
        )  # fmt: skip

    async def due(self) -> list[int]:
        """Waiting requests whose time is up."""
        rows = await self._db.fetchall(
            "SELECT id FROM approval_requests WHERE state = 'waiting' AND expires_at <= ? "
            "ORDER BY expires_at, id",
            (to_db(self._db.now()),),
        )
        return [int(row["id"]) for row in rows]

    async def next_expiry(self) -> datetime | None:
        row = await self._db.fetchone(
            "SELECT min(expires_at) FROM approval_requests WHERE state = 'waiting'"
        )
        return from_db(row[0]) if row is not None and row[0] is not None else None

    async def interrupted(self) -> list[ApprovalRequest]:
        """Requests left approving (by a crash mid-send)."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM approval_requests WHERE state = 'approving' ORDER BY id"
        )
        return [_request(row) for row in rows]

    async def add_message(self, request_id: int, admin_id: int, message_id: int) -> None:
        await self._db.execute(
            "INSERT INTO approval_messages (request_id, admin_id, message_id) VALUES (?, ?, ?) "
            "ON CONFLICT (request_id, admin_id) DO UPDATE SET message_id = excluded.message_id",
            (request_id, admin_id, message_id),
        )

    async def messages(self, request_id: int) -> list[tuple[int, int]]:
        """(admin, message) of each admin told of the request."""
        rows = await self._db.fetchall(
            "SELECT admin_id, message_id FROM approval_messages WHERE request_id = ? "
            "ORDER BY admin_id",
            (request_id,),
        )
        return [(int(row["admin_id"]), int(row["message_id"])) for row in rows]

    # -- inside ------------------------------------------------------------------

    async def _set_state(
        self,
        request_id: int,
        source: ApprovalState,
        target: ApprovalState,
        dispatch_id: int | None = None,
    ) -> bool:
        async with self._db.transaction(immediate=True) as conn:
            cursor = await conn.execute(
                "UPDATE approval_requests SET state = ?, "
                "dispatch_id = COALESCE(?, dispatch_id), updated_at = ? "
                "WHERE id = ? AND state = ?",
                (target.value, dispatch_id, to_db(self._db.now()), request_id, source.value),
            )
            return cursor.rowcount == 1

    async def _close(
        self, assignments: str, values: tuple[object, ...], where: str, keys: tuple[object, ...]
    ) -> ApprovalRequest | None:
        # The request closes and its draft is abandoned in one transaction: the draft
        # is never left held by a closed request, nor free while the request waits.
        now = to_db(self._db.now())
        async with self._db.transaction(immediate=True) as conn:
            rows = list(
                await conn.execute_fetchall(
                    f"UPDATE approval_requests SET {assignments}, updated_at = ? "
                    f"WHERE {where} RETURNING {_COLUMNS}",
                    (*values, now, *keys),
                )
            )
            if not rows:
                return None
            request = _request(rows[0])
            await conn.execute(
                "UPDATE drafts SET state = 'abandoned', updated_at = ? "
                "WHERE id = ? AND state = 'pending'",
                (now, request.draft_id),
            )
        return request
