"""Who asked for the weekly digest, and which week each was last given.

A digest is taken for sending by :meth:`DigestRepo.claim`, which moves ``sent_week`` on in
one statement: of two processes, or of a bot restarted mid-way, only one sends a person's
digest for a week. Weeks are ISO weeks written ``2025-W07``, whose text order is time order.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.dates import to_db
from storage.db import Database


@dataclass(frozen=True)
class DigestClaim:
    """A week's digest taken for one person; ``previous`` is the week it replaced."""

    user_id: int
    week: str
    previous: str | None


class DigestRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def is_enabled(self, user_id: int) -> bool:
        row = await self._db.fetchone(
            "SELECT enabled FROM report_digests WHERE user_id = ?", (user_id,)
        )
        return row is not None and bool(row["enabled"])

    async def set_enabled(self, user_id: int, enabled: bool, *, done_week: str | None) -> None:
        """Switch the digest on or off. ``done_week``: a week whose digest the person is
        not to get (the one whose time already passed when they switched it on)."""
        await self._db.execute(
            """
            INSERT INTO report_digests (user_id, enabled, sent_week, updated_at)
            VALUES (:user_id, :enabled, :week, :now)
            ON CONFLICT (user_id) DO UPDATE SET
                enabled = excluded.enabled,
                sent_week = CASE
                    WHEN excluded.sent_week IS NULL THEN sent_week
                    WHEN sent_week IS NULL OR sent_week < excluded.sent_week
                        THEN excluded.sent_week
                    ELSE sent_week
                END,
                updated_at = excluded.updated_at
            """,
            {
                "user_id": user_id,
                "enabled": int(enabled),
                "week": done_week,
                "now": to_db(self._db.now()),
            },
        )

    async def waiting(self, week: str) -> list[int]:
        """Admins who can be written to, asked for the digest and were not given ``week``'s."""
        rows = await self._db.fetchall(
            """
            SELECT d.user_id FROM report_digests AS d JOIN users AS u ON u.user_id = d.user_id
            WHERE d.enabled = 1 AND u.role = 'admin' AND u.active = 1
              AND (d.sent_week IS NULL OR d.sent_week < ?)
            ORDER BY d.user_id
            """,
            (week,),
        )
        return [int(row["user_id"]) for row in rows]

    async def claim(self, user_id: int, week: str) -> DigestClaim | None:
        """Take ``week``'s digest of ``user_id`` for sending; None when it is not theirs to
        get (switched off, or already taken). Give it back with :meth:`release` if it
        could not be delivered."""
        async with self._db.transaction(immediate=True) as conn:
            rows = list(
                await conn.execute_fetchall(
                    "SELECT enabled, sent_week FROM report_digests WHERE user_id = ?", (user_id,)
                )
            )
            if not rows or not rows[0]["enabled"]:
                return None
            previous = rows[0]["sent_week"]
            if previous is not None and previous >= week:
                return None
            await conn.execute(
                "UPDATE report_digests SET sent_week = ?, updated_at = ? WHERE user_id = ?",
                (week, to_db(self._db.now()), user_id),
            )
        return DigestClaim(user_id, week, previous)

    async def release(self, claim: DigestClaim) -> None:
        """Give a claimed week back, so that the next try sends it."""
        await self._db.execute(
            "UPDATE report_digests SET sent_week = ?, updated_at = ? "
            "WHERE user_id = ? AND sent_week = ?",
            (claim.previous, to_db(self._db.now()), claim.user_id, claim.week),
        )
