"""The audit log: who did what, newest first for the admins' /audit."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from storage.dates import from_db, to_db
from storage.db import Database


@dataclass(frozen=True)
class AuditEntry:
    id: int
    actor_id: int | None  # None = the bot itself
    action: str
    dispatch_id: int | None
    draft_id: str | None
    details: dict[str, Any]  # empty when none were given
    created_at: datetime


_COLUMNS = "id, actor_id, action, dispatch_id, draft_id, details, created_at"
INSERT_ENTRY = (
    "INSERT INTO audit_log (actor_id, action, dispatch_id, draft_id, details, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def encode_details(details: Mapping[str, Any] | None) -> str | None:
    return json.dumps(dict(details), ensure_ascii=False) if details else None


def _entry(row: sqlite3.Row) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        actor_id=row["actor_id"],
        action=row["action"],
        dispatch_id=row["dispatch_id"],
        draft_id=row["draft_id"],
        details=json.loads(row["details"]) if row["details"] else {},
        created_at=from_db(row["created_at"]),
    )


class AuditRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self,
        actor_id: int | None,
        action: str,
        dispatch_id: int | None = None,
        draft_id: str | None = None,
        details: Mapping[str, Any] | None = None,
    ) -> AuditEntry:
        """Append an entry; ``details`` must be JSON-serialisable (TypeError otherwise)."""
        encoded = encode_details(details)
        async with self._db.transaction(immediate=True) as conn:
            rows = await conn.execute_fetchall(
                f"{INSERT_ENTRY} RETURNING {_COLUMNS}",
                (actor_id, action, dispatch_id, draft_id, encoded, to_db(self._db.now())),
            )
        return _entry(next(iter(rows)))

    async def recent(self, limit: int, offset: int = 0) -> list[AuditEntry]:
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM audit_log ORDER BY id DESC LIMIT ? OFFSET ?", (limit, offset)
        )
        return [_entry(row) for row in rows]

    async def count(self) -> int:
        row = await self._db.fetchone("SELECT count(*) FROM audit_log")
        return int(row[0]) if row else 0
