"""Send drafts: one draft is one send, confirmed at most once.

The state machine, and the only ways through it:

    pending --claim_for_sending--> sending --mark_sent--> sent
    pending --abandon--> abandoned          sending --mark_unknown--> unknown
    sending --release--> pending            sending --mark_failed--> failed

``unknown`` is for a create whose answer was lost: the dispatch may or may not exist,
and the API cannot tell, so it is never retried blindly. A pending draft held by an
approval request (``storage/approvals.py``) is out of its author's hands: it neither
changes nor is claimed here, only by the request's approval.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import uuid4

from storage.dates import from_db, from_db_optional, to_db, to_db_optional
from storage.db import Database


class DraftState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    UNKNOWN = "unknown"
    FAILED = "failed"
    ABANDONED = "abandoned"


@dataclass(frozen=True)
class Draft:
    id: str
    user_id: int
    chat_id: int
    book_id: int | None
    book_name: str | None
    phones: list[str]  # typed numbers; empty when the recipients are a book
    text: str
    date_send: datetime | None  # aware, UTC; None = now
    state: DraftState
    dispatch_id: int | None
    created_at: datetime
    updated_at: datetime


CONTENT_FIELDS = frozenset({"book_id", "book_name", "phones", "text", "date_send"})

_COLUMNS = (
    "id, user_id, chat_id, book_id, book_name, phones, text, date_send, state, dispatch_id, "
    "created_at, updated_at"
)


def _draft(row: sqlite3.Row) -> Draft:
    return Draft(
        id=row["id"],
        user_id=row["user_id"],
        chat_id=row["chat_id"],
        book_id=row["book_id"],
        book_name=row["book_name"],
        phones=json.loads(row["phones"]),
        text=row["text"],
        date_send=from_db_optional(row["date_send"]),
        state=DraftState(row["state"]),
        dispatch_id=row["dispatch_id"],
        created_at=from_db(row["created_at"]),
        updated_at=from_db(row["updated_at"]),
    )


# A draft waiting for an admin's approval: only the approval may claim it.
_NOT_HELD = (
    "NOT EXISTS (SELECT 1 FROM approval_requests held WHERE held.draft_id = drafts.id "
    "AND held.state IN ('waiting', 'approving'))"
)


def _phones_json(book_id: int | None, phones: Iterable[str]) -> str:
    numbers = list(phones)
    if not all(isinstance(number, str) for number in numbers):
        raise TypeError("phones must be strings")
    if book_id is not None and numbers:
        raise ValueError("a draft goes either to a book or to typed numbers, not both")
    return json.dumps(numbers)


class DraftRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        user_id: int,
        chat_id: int,
        *,
        text: str,
        book_id: int | None = None,
        book_name: str | None = None,
        phones: Iterable[str] = (),
        date_send: datetime | None = None,
    ) -> Draft:
        created = await self.create_with_id(
            uuid4().hex,
            user_id,
            chat_id,
            text=text,
            book_id=book_id,
            book_name=book_name,
            phones=phones,
            date_send=date_send,
        )
        assert created is not None  # a fresh random id is nobody's yet
        return created

    async def create_with_id(
        self,
        draft_id: str,
        user_id: int,
        chat_id: int,
        *,
        text: str,
        book_id: int | None = None,
        book_name: str | None = None,
        phones: Iterable[str] = (),
        date_send: datetime | None = None,
    ) -> Draft | None:
        """A draft under an id the caller derives from what it is for (one per tap of a
        button); None when that id exists already, so a repeated tap makes no second."""
        now = to_db(self._db.now())
        params = (
            draft_id,
            user_id,
            chat_id,
            book_id,
            book_name,
            _phones_json(book_id, phones),
            text,
            to_db_optional(date_send),
            now,
            now,
        )
        rows = await self._db.run(
            f"""
            INSERT INTO drafts (id, user_id, chat_id, book_id, book_name, phones, text,
                                date_send, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO NOTHING
            RETURNING {_COLUMNS}
            """,
            params,
        )
        return next((_draft(row) for row in rows), None)

    async def get(self, draft_id: str) -> Draft | None:
        row = await self._db.fetchone(f"SELECT {_COLUMNS} FROM drafts WHERE id = ?", (draft_id,))
        return _draft(row) if row else None

    async def update_content(self, draft_id: str, **fields: Any) -> Draft | None:
        """Change recipients, text or time; only a pending draft can change.

        Accepts book_id, book_name, phones, text, date_send. Returns the updated draft,
        or None when the draft is missing, no longer pending (being or already sent) or
        held for an approval.
        """
        unknown = set(fields) - CONTENT_FIELDS
        if unknown:
            raise TypeError(f"not draft content: {sorted(unknown)}")
        values: dict[str, Any] = dict(fields)
        if "phones" in values:
            values["phones"] = _phones_json(values.get("book_id"), values["phones"])
        if "date_send" in values:
            values["date_send"] = to_db_optional(values["date_send"])
        # One guarded statement (the state = 'pending' is what keeps a sent draft as it
        # was sent, the approval check one held for an admin); a book and typed numbers
        # together are refused in its WHERE, from the fields given or else the stored ones.
        book = ":book_id" if "book_id" in values else "book_id"
        phones = ":phones" if "phones" in values else "phones"
        assignments = "".join(f"{name} = :{name}, " for name in sorted(values))
        rows = await self._db.run(
            f"""
            UPDATE drafts SET {assignments}updated_at = :updated_at
            WHERE id = :id AND state = 'pending' AND {_NOT_HELD}
              AND ({book} IS NULL OR {phones} = '[]')
            RETURNING {_COLUMNS}
            """,
            values | {"updated_at": to_db(self._db.now()), "id": draft_id},
        )
        if rows:
            return _draft(rows[0])
        found = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM drafts WHERE id = ? AND state = 'pending' AND {_NOT_HELD}",
            (draft_id,),
        )
        if found is None:
            return None
        current = _draft(found)
        merged = {name: getattr(current, name) for name in CONTENT_FIELDS} | fields
        _phones_json(merged["book_id"], merged["phones"])  # raises: both kinds of recipients
        return await self.update_content(draft_id, **fields)  # it changed in between

    async def by_dispatch_id(self, dispatch_id: int) -> Draft | None:
        """The sent draft that created this dispatch (None: made elsewhere)."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM drafts WHERE dispatch_id = ? AND state = 'sent' "
            f"ORDER BY updated_at DESC LIMIT 1",
            (dispatch_id,),
        )
        return _draft(row) if row else None

    async def recent_book_ids(self, user_id: int, limit: int) -> list[int]:
        """Address books of the user's drafts, most recently used first."""
        rows = await self._db.fetchall(
            "SELECT book_id FROM drafts WHERE user_id = ? AND book_id IS NOT NULL "
            "GROUP BY book_id ORDER BY MAX(updated_at) DESC, book_id LIMIT ?",
            (user_id, limit),
        )
        return [int(row["book_id"]) for row in rows]

    async def gone_out_since(self, text: str, since: datetime, but: str) -> list[Draft]:
        """Drafts with this text that went out (or may have: sending, unknown) since
        ``since``, newest first, other than ``but``: for a warning before a repeat."""
        rows = await self._db.fetchall(
            f"""
            SELECT {_COLUMNS} FROM drafts
            WHERE text = ? AND state IN ('sending', 'sent', 'unknown') AND updated_at >= ?
                  AND id != ?
            ORDER BY updated_at DESC LIMIT 20
            """,
            (text, to_db(since), but),
        )
        return [_draft(row) for row in rows]

    async def claim_for_sending(self, draft_id: str) -> bool:
        """pending -> sending. True for exactly one caller, however many race for it; never
        for a draft held for an approval (its approval claims it: storage/approvals.py)."""
        return await self._move(
            draft_id, DraftState.PENDING, DraftState.SENDING, condition=_NOT_HELD
        )

    async def mark_sent(self, draft_id: str, dispatch_id: int | None) -> bool:
        """sending -> sent, remembering the dispatch the API created (None: it gave no
        number the bot could read)."""
        return await self._move(
            draft_id, DraftState.SENDING, DraftState.SENT, dispatch_id=dispatch_id
        )

    async def mark_unknown(self, draft_id: str) -> bool:
        """sending -> unknown: the create may or may not have happened."""
        return await self._move(draft_id, DraftState.SENDING, DraftState.UNKNOWN)

    async def mark_failed(self, draft_id: str) -> bool:
        """sending -> failed: refused for good; nothing was created and a retry would not help."""
        return await self._move(draft_id, DraftState.SENDING, DraftState.FAILED)

    async def release(self, draft_id: str) -> bool:
        """sending -> pending: a definite failure where nothing was created; the user may retry."""
        return await self._move(draft_id, DraftState.SENDING, DraftState.PENDING)

    async def abandon(self, draft_id: str) -> bool:
        """pending -> abandoned: the user cancelled before confirming (a held draft is
        abandoned only with its request: storage/approvals.py)."""
        return await self._move(
            draft_id, DraftState.PENDING, DraftState.ABANDONED, condition=_NOT_HELD
        )

    async def stuck_sending(self) -> list[Draft]:
        """Drafts left in ``sending`` (by a crash mid-send): at start they become unknown."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM drafts WHERE state = 'sending' ORDER BY created_at, id"
        )
        return [_draft(row) for row in rows]

    async def count_by_state(self) -> dict[DraftState, int]:
        """How many drafts are in each state (every state named, zero included); read
        from the state index, for the metrics."""
        rows = await self._db.fetchall("SELECT state, COUNT(*) AS n FROM drafts GROUP BY state")
        counts = dict.fromkeys(DraftState, 0)
        for row in rows:
            counts[DraftState(row["state"])] = int(row["n"])
        return counts

    async def _move(
        self,
        draft_id: str,
        source: DraftState,
        target: DraftState,
        dispatch_id: int | None = None,
        condition: str = "1",
    ) -> bool:
        # One guarded UPDATE: the WHERE on the source state is what makes a transition
        # happen once. A lone writing statement takes the write lock as it starts (as
        # BEGIN IMMEDIATE would), so another process's write makes it wait, not fail.
        rows = await self._db.run(
            f"""
            UPDATE drafts SET state = ?, dispatch_id = COALESCE(?, dispatch_id),
                              updated_at = ?
            WHERE id = ? AND state = ? AND {condition}
            RETURNING id
            """,
            (target.value, dispatch_id, to_db(self._db.now()), draft_id, source.value),
        )
        return len(rows) == 1
