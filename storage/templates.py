"""Message templates, shared by the company's users; the owner is kept for the audit."""

from __future__ import annotations

import builtins
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.dates import from_db, to_db
from storage.db import Database


@dataclass(frozen=True)
class Template:
    id: int
    owner_id: int
    name: str
    text: str
    created_at: datetime


_COLUMNS = "id, owner_id, name, text, created_at"


def _template(row: sqlite3.Row) -> Template:
    return Template(
        id=row["id"],
        owner_id=row["owner_id"],
        name=row["name"],
        text=row["text"],
        created_at=from_db(row["created_at"]),
    )


class TemplateRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, owner_id: int, name: str, text: str) -> Template:
        async with self._db.transaction(immediate=True) as conn:
            rows = await conn.execute_fetchall(
                f"INSERT INTO templates (owner_id, name, text, created_at) VALUES (?, ?, ?, ?) "
                f"RETURNING {_COLUMNS}",
                (owner_id, name, text, to_db(self._db.now())),
            )
        return _template(next(iter(rows)))

    async def get(self, template_id: int) -> Template | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM templates WHERE id = ?", (template_id,)
        )
        return _template(row) if row else None

    async def delete(self, template_id: int) -> bool:
        return await self._db.execute("DELETE FROM templates WHERE id = ?", (template_id,)) == 1

    async def count(self) -> int:
        row = await self._db.fetchone("SELECT count(*) FROM templates")
        return int(row[0]) if row else 0

    async def list(self, limit: int, offset: int = 0) -> builtins.list[Template]:
        """By name (case-insensitive for ASCII), then oldest first among equal names."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM templates ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [_template(row) for row in rows]
