"""One-time tokens for confirmation buttons.

A question ("Cancel dispatch 12?") is shown with a token in its "yes" button; the token
is good for that person, that action and that subject only, once, and for a while. An
old, replayed or made-up "yes" finds no token and does nothing.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from storage.dates import to_db
from storage.db import Database

# 6 random bytes: 8 URL-safe characters, short enough for 64-byte callback data, far
# too many to guess within a token's life.
TOKEN_BYTES = 6


class ConfirmationRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def issue(self, user_id: int, purpose: str, subject_id: int, ttl: timedelta) -> str:
        """A new token (URL-safe, no ``:``) for ``user_id`` to confirm ``purpose`` on
        ``subject_id`` within ``ttl``; expired tokens are dropped on the way."""
        now = self._db.now()
        token = secrets.token_urlsafe(TOKEN_BYTES)
        async with self._db.transaction(immediate=True) as conn:
            await conn.execute("DELETE FROM confirmations WHERE expires_at <= ?", (to_db(now),))
            await conn.execute(
                "INSERT INTO confirmations (token, user_id, purpose, subject_id, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (token, user_id, purpose, subject_id, to_db(now + ttl)),
            )
        return token

    async def consume(self, token: str, user_id: int, purpose: str, subject_id: int) -> bool:
        """Use the token up; True only the first time, for its own person, purpose and
        subject, before it expires. Of two taps at once, one gets True."""
        async with self._db.transaction(immediate=True) as conn:
            rows = await conn.execute_fetchall(
                "DELETE FROM confirmations WHERE token = ? AND user_id = ? AND purpose = ? "
                "AND subject_id = ? AND expires_at > ? RETURNING token",
                (token, user_id, purpose, subject_id, to_db(self._db.now())),
            )
        return bool(list(rows))
