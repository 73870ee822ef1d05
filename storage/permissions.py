"""What admins allow beyond the roles' defaults (docs/architecture.md, "Who may do what")."""

from __future__ import annotations

from enum import StrEnum

from storage.dates import to_db
from storage.db import Database


class Permission(StrEnum):
    # Managers may cancel and re-run dispatches they did not create (another manager's,
    # or one made elsewhere). Off by default: only the creator and admins may.
    OTHERS_DISPATCHES = "others_dispatches"


class PermissionRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def allowed(self, permission: Permission) -> bool:
        row = await self._db.fetchone(
            "SELECT allowed FROM permissions WHERE name = ?", (Permission(permission).value,)
        )
        return row is not None and bool(row["allowed"])

    async def set(self, permission: Permission, allowed: bool, changed_by: int | None) -> bool:
        """Allow or forbid; True if that changed anything."""
        name = Permission(permission).value
        async with self._db.transaction(immediate=True) as conn:
            rows = list(
                await conn.execute_fetchall(
                    "SELECT allowed FROM permissions WHERE name = ?", (name,)
                )
            )
            if bool(rows and rows[0]["allowed"]) == allowed:
                return False
            await conn.execute(
                "INSERT INTO permissions (name, allowed, changed_by, changed_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET allowed = excluded.allowed, "
                "changed_by = excluded.changed_by, changed_at = excluded.changed_at",
                (name, int(allowed), changed_by, to_db(self._db.now())),
            )
        return True
